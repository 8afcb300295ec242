/**
 * Rules for the posts and reels lists' parameters (the list RPCs check the same in SQL): a search of
 * at most 100 characters, one of four orderings, a tag of letters, digits and `_` (1–50, a leading
 * `#` allowed), one of the five post types.
 */
import { z } from 'zod';
import { NOT_A_STRING, invalidChoice, maxLength } from './messages.ts';

export const POST_TYPES = ['post', 'reel', 'video', 'youtube_video', 'youtube_reel'] as const;
export const POST_ORDERINGS = ['created_at', '-created_at', 'post_type', '-post_type'] as const;
export const SEARCH_MAX = 100;
export const INVALID_TAG = 'Enter a valid tag: letters, digits and _, at most 50 characters.';

export const postSearch = z.string({ error: NOT_A_STRING }).trim().max(SEARCH_MAX, { error: maxLength(SEARCH_MAX) });
export const postOrdering = z.enum(POST_ORDERINGS, { error: (issue) => invalidChoice(issue.input) });
export const postType = z.enum(POST_TYPES, { error: (issue) => invalidChoice(issue.input) });
export const tagName = z
  .string({ error: NOT_A_STRING })
  .trim()
  .transform((value) => value.replace(/^#/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9_]{1,50}$/, INVALID_TAG));
