/**
 * The inputs of likes, hides, reports, comments and views (000 §6–7), checked the same way the
 * database checks them: a comment is 1–2000 characters after trimming, a report's reason is one of
 * the six and its description at most 1000 characters.
 */
import { z } from 'zod';
import { body, id, optionalText, text } from './fields.ts';
import { REQUIRED, invalidChoice, maxLength } from './messages.ts';

/** The longest comment, in characters after trimming. */
export const COMMENT_MAX_LENGTH = 2000;
/** The longest report description, in characters after trimming. */
export const REPORT_DESCRIPTION_MAX_LENGTH = 1000;
/** 000's six report reasons. */
export const REPORT_REASONS = ['spam', 'abuse', 'false', 'hate', 'nsfw', 'other'] as const;
/** One of {@link REPORT_REASONS}. */
export type ReportReason = (typeof REPORT_REASONS)[number];

/** A report's reason: one of the six, else DRF's `"x" is not a valid choice.`. */
export const reportReason = z.enum(REPORT_REASONS, {
  error: (issue) => (issue.input === undefined || issue.input === null ? REQUIRED : invalidChoice(issue.input)),
});

/** A comment's text. */
export const commentText = text().max(COMMENT_MAX_LENGTH, { error: maxLength(COMMENT_MAX_LENGTH), abort: true });

/** `{post_id}`: like, unlike, hide, unhide, withdraw a report, record a view. */
/** `{post_id, reason, description?}`: report a post. */
export const reportBody = body({ post_id: id, reason: reportReason, description: optionalText(REPORT_DESCRIPTION_MAX_LENGTH) });
/** `{post_id, comment}`: comment on a post. */
export const commentBody = body({ post_id: id, comment: commentText });
/** `{comment_id}`: delete your comment (000's DELETE body). */
export const commentRefBody = body({ comment_id: id });
