/**
 * Rules for the creator programme (000 §8): an admin's review of an application (`creator-review`),
 * and the messages the database answers with. The database holds the same rules
 * (public.review_creator_application); these give the SDK and the function the field's message first.
 */
import { z } from 'zod';
import { body, id, optionalText } from './fields.ts';
import { REQUIRED, invalidChoice } from './messages.ts';
import type { CrossFieldCheck, FieldErrors } from './validate.ts';

/** 000's answer to a new application. */
export const CREATOR_APPLICATION_SUBMITTED = 'Creator application submitted successfully.';
/** 000's answer to a second application. */
export const ALREADY_APPLIED_FOR_CREATOR = 'You have already applied for creator.';
/** The answer to an application by a creator or an admin. */
export const ALREADY_HAS_CREATOR_RIGHTS = 'You already have creator rights.';
/** A review of an application that is not there. */
export const CREATOR_APPLICATION_NOT_FOUND = 'Creator application not found.';
/** A second review of one application. */
export const CREATOR_APPLICATION_ALREADY_REVIEWED = 'This application has already been reviewed.';
/** An admin reviewing their own application. */
export const CANNOT_REVIEW_OWN_APPLICATION = 'You cannot review your own application.';
/** A rejection without a note. */
export const REJECTION_NEEDS_NOTE = 'A note is required to reject an application.';

/** The longest review note, in characters after trimming. */
export const REVIEW_NOTE_MAX_LENGTH = 1000;
/** What an admin decides. */
export const CREATOR_DECISIONS = ['approve', 'reject'] as const;
/** One of {@link CREATOR_DECISIONS}. */
export type CreatorDecision = (typeof CREATOR_DECISIONS)[number];
/** An application's status (`application_status` "0", "1", "2"). */
export const CREATOR_APPLICATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
/** One of {@link CREATOR_APPLICATION_STATUSES}. */
export type CreatorApplicationStatus = (typeof CREATOR_APPLICATION_STATUSES)[number];

/** A decision: `approve` or `reject`, else DRF's `"x" is not a valid choice.`. */
export const creatorDecision = z.enum(CREATOR_DECISIONS, {
  error: (issue) => (issue.input === undefined || issue.input === null ? REQUIRED : invalidChoice(issue.input)),
});

/** `{application_id, decision, note?}`: what the creator-review function takes. */
export const creatorReviewBody = body({
  application_id: id,
  decision: creatorDecision,
  note: optionalText(REVIEW_NOTE_MAX_LENGTH),
});

/**
 * A rejection needs a note (the applicant reads it): the cross-field check of {@link creatorReviewBody}.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.rejectionNeedsNote({ application_id: 5, decision: 'reject' });
 * // { note: ['A note is required to reject an application.'] }
 * rules.rejectionNeedsNote({ application_id: 5, decision: 'approve' }); // {}
 * ```
 */
export const rejectionNeedsNote: CrossFieldCheck = (raw) => {
  const errors: FieldErrors = {};
  const note = typeof raw.note === 'string' ? raw.note.trim() : '';
  if (raw.decision === 'reject' && note === '') errors.note = [REJECTION_NEEDS_NOTE];
  return errors;
};
