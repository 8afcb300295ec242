/**
 * The inputs of moderation (issue 9, item 5), checked the same way the database checks them: the
 * queue's filters are one of their choices, a decision's note is at most 1000 characters.
 */
import { z } from 'zod';
import { body, flag, id, optionalText } from './fields.ts';
import { REQUIRED, invalidChoice } from './messages.ts';
import { REPORT_REASONS } from './interactions.ts';
import { POST_TYPES } from './posts.ts';

/** The states of a post's reports in the moderation queue. */
export const REPORT_STATES = ['open', 'resolved', 'dismissed'] as const;
/** One of {@link REPORT_STATES}. */
export type ReportState = (typeof REPORT_STATES)[number];
/** The longest note on a moderation decision, in characters after trimming. */
export const MODERATION_NOTE_MAX_LENGTH = 1000;

const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => (issue.input === undefined || issue.input === null ? REQUIRED : invalidChoice(issue.input)) });

/** The queue's filters (paging apart): state (default open), reason, post type. */
export const moderationQueueFilters = z.strictObject({
  state: choice(REPORT_STATES).optional(),
  reason: choice(REPORT_REASONS).optional(),
  post_type: choice(POST_TYPES).optional(),
});

/** `{post_id, note?, suspend_author?}`: uphold a post's reports. */
export const moderationResolveBody = body({
  post_id: id,
  note: optionalText(MODERATION_NOTE_MAX_LENGTH),
  suspend_author: flag.optional(),
});

/** `{post_id, note?}`: reject a post's reports. */
export const moderationDismissBody = body({ post_id: id, note: optionalText(MODERATION_NOTE_MAX_LENGTH) });
