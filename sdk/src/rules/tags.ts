/**
 * The rules for tags and mentions on posts, as the database applies them (migrations
 * `…050000_tag_and_mention_parsing.sql` and `…050300_tag_and_mention_rpcs.sql`): a tag is 1–50 ASCII
 * letters, digits or `_` (a leading `#` is dropped, case does not matter: tags are stored
 * lower-case); at most 30 tags and 20 mentioned users on one post, text and explicit lists together.
 */
import { z } from 'zod';
import { NOT_A_STRING, NOT_AN_INTEGER, REQUIRED, maxLength } from './messages.ts';
import { body, id, uuid } from './fields.ts';

export const MAX_TAGS_PER_POST = 30;
export const MAX_MENTIONS_PER_POST = 20;
export const MAX_TAG_LENGTH = 50;
export const TAG_PATTERN = /^[A-Za-z0-9_]{1,50}$/;

export const INVALID_TAG = 'Enter a valid tag: 1 to 50 letters, digits or underscores.';
export const NOT_A_LIST = 'Expected a list of items.';
/**
 * The message for a post with more than `n` tags.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.tooManyTags(); // 'A post can carry at most 30 tags.'
 * ```
 */
export const tooManyTags = (n = MAX_TAGS_PER_POST) => `A post can carry at most ${n} tags.`;
/**
 * The message for a post mentioning more than `n` users.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.tooManyMentions(); // 'A post can mention at most 20 users.'
 * ```
 */
export const tooManyMentions = (n = MAX_MENTIONS_PER_POST) => `A post can mention at most ${n} users.`;
export const INVALID_LIMIT = 'Ensure this value is between 1 and 100.';

const dropHash = (value: string) => value.trim().replace(/^#/, '');

/** One tag: `#` optional, lower-cased. */
export const tag = z
  .string({ error: (issue) => (issue.input === undefined ? REQUIRED : NOT_A_STRING) })
  .transform(dropHash)
  .refine((value) => TAG_PATTERN.test(value), INVALID_TAG)
  .transform((value) => value.toLowerCase());

const list = <T extends z.ZodType>(item: T) =>
  z.array(item, { error: (issue) => (issue.input === undefined ? REQUIRED : NOT_A_LIST) });

/** A post's explicit tags: distinct case-insensitively, at most {@link MAX_TAGS_PER_POST}. */
export const tagList = list(tag)
  .transform((tags) => [...new Set(tags)])
  .refine((tags) => tags.length <= MAX_TAGS_PER_POST, tooManyTags());

/** A post's explicit mentions: distinct user ids, at most {@link MAX_MENTIONS_PER_POST}. */
export const mentionList = list(uuid)
  .transform((ids) => [...new Set(ids.map((value) => value.toLowerCase()))])
  .refine((ids) => ids.length <= MAX_MENTIONS_PER_POST, tooManyMentions());

export const setPostTagsBody = body({ post_id: id, tags: tagList });
export const setPostMentionsBody = body({ post_id: id, user_ids: mentionList });
export const listTagsParams = body({
  search: z
    .string({ error: NOT_A_STRING })
    .transform(dropHash)
    .refine((value) => value.length <= MAX_TAG_LENGTH, maxLength(MAX_TAG_LENGTH))
    .optional(),
  limit: z.number({ error: NOT_AN_INTEGER }).int(NOT_AN_INTEGER).min(1, INVALID_LIMIT).max(100, INVALID_LIMIT).optional(),
});
