/**
 * Rules for the posts and reels lists' parameters (the list RPCs check the same in SQL): a search of
 * at most 100 characters, one of four orderings. The tag filter is the tags module's `tag` and the
 * type the posts module's `postType`.
 */
import { z } from 'zod';
import { NOT_A_STRING, invalidChoice, maxLength } from './messages.ts';

export const POST_ORDERINGS = ['created_at', '-created_at', 'post_type', '-post_type'] as const;
export const SEARCH_MAX = 100;

export const postSearch = z.string({ error: NOT_A_STRING }).trim().max(SEARCH_MAX, { error: maxLength(SEARCH_MAX) });
export const postOrdering = z.enum(POST_ORDERINGS, { error: (issue) => invalidChoice(issue.input) });
