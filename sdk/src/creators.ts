/**
 * `marquee.creators`: the creator programme (000 §8). A user applies once; an admin approves or
 * rejects through the `creator-review` function. Approval grants the `creator` role, which reaches
 * the applicant's JWT at their next token refresh (`supabase.auth.refreshSession()`).
 *
 * Applying is an RPC that runs as the caller and reading is a plain select, so the table's policies
 * decide exactly as for a raw supabase-js client; the review is the edge function, which calls the
 * database as the admin.
 *
 * @module
 */
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { unwrap } from './errors.ts';
import { asDetail, currentUser, invokeFunction, parseInput } from './internal.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import type { DetailResult } from './results.ts';
import {
  CREATOR_APPLICATION_STATUSES,
  creatorReviewBody,
  invalidChoice,
  rejectionNeedsNote,
  type CreatorApplicationStatus,
  type CreatorDecision,
} from './rules/index.ts';

/** One creator application as its applicant reads it (000's fields plus the review). */
export interface CreatorApplication {
  id: number;
  /** The applicant's user id. */
  user: string;
  /** 000's status: `"0"` pending, `"1"` approved; `"2"` rejected (Marquee's addition). */
  application_status: '0' | '1' | '2';
  created_at: string;
  /** The reviewer's note (always set on a rejection), or `null`. */
  review_note: string | null;
  /** When the decision was made, or `null` while pending. */
  reviewed_at: string | null;
}

/** An application as admins see it (creator-review's answer and the admin list). */
export interface ReviewedCreatorApplication extends CreatorApplication {
  /** The applicant's username. */
  username: string;
  /** The status by name. */
  status: CreatorApplicationStatus;
  /** The admin who decided (`null` while pending, or when decided in the dashboard). */
  reviewed_by: string | null;
}

/** An admin's decision on an application. */
export interface CreatorReviewInput {
  application_id: number;
  decision: CreatorDecision;
  /** Shown to the applicant; required to reject, at most 1000 characters. */
  note?: string;
}

/** Which applications an admin lists. */
export interface CreatorApplicationListParams extends PageParams {
  /** Only applications in this status; all by default. */
  status?: CreatorApplicationStatus;
}

/** `marquee.creators`. */
export interface CreatorsApi {
  /**
   * Applies to become a creator (active visitors; once per user, even after a rejection). Errors:
   * 400 "You have already applied for creator.", 400 "You already have creator rights." for
   * creators and admins, 401 signed out, 403 for an account that is not active.
   *
   * @example
   * ```ts
   * await marquee.creators.apply(); // { detail: 'Creator application submitted successfully.' }
   * ```
   */
  apply(): Promise<DetailResult>;
  /**
   * The signed-in user's application as 000 answers it: a list of zero or one application.
   *
   * @example
   * ```ts
   * const [mine] = await marquee.creators.application();
   * if (mine?.application_status === '1') await marquee.supabase.auth.refreshSession(); // the creator role joins the JWT
   * if (mine?.application_status === '2') console.log(mine.review_note);
   * ```
   */
  application(): Promise<CreatorApplication[]>;
  /**
   * Admins: approves or rejects a pending application (the `creator-review` function). Errors: 403
   * for anyone but an active admin and for one's own application, 404 "Creator application not
   * found.", 409 "This application has already been reviewed.", 400 with `fields` (a rejection
   * needs a `note`).
   *
   * @example
   * ```ts
   * const approved = await marquee.creators.review({ application_id: 5, decision: 'approve' });
   * approved.application_status; // '1'
   * await marquee.creators.review({ application_id: 6, decision: 'reject', note: 'Show us three videos first.' });
   * ```
   */
  review(input: CreatorReviewInput): Promise<ReviewedCreatorApplication>;
  /**
   * Admins: applications newest first, optionally of one status (20 a page, at most 100).
   *
   * @example
   * ```ts
   * const queue = await marquee.creators.applications({ status: 'pending' });
   * for (const application of queue.results) console.log(application.username, application.created_at);
   * ```
   */
  applications(params?: CreatorApplicationListParams): Promise<Page<ReviewedCreatorApplication>>;
}

const applicationStatus = z.enum(CREATOR_APPLICATION_STATUSES, { error: (issue) => invalidChoice(issue.input) }).optional();

/**
 * Builds `marquee.creators` over a typed supabase-js client.
 *
 * @example
 * ```ts
 * const creators = createCreatorsApi(createMarquee({ url, key }).supabase);
 * await creators.apply();
 * ```
 */
export function createCreatorsApi(supabase: MarqueeSupabaseClient): CreatorsApi {
  return {
    async apply() {
      return asDetail(await unwrap(supabase.rpc('apply_for_creator')));
    },

    async application() {
      const me = await currentUser(supabase);
      const rows = await unwrap(
        supabase
          .from('creator_applications')
          .select('id, user:user_id, application_status, created_at, review_note, reviewed_at')
          .eq('user_id', me.id),
      );
      return rows as CreatorApplication[];
    },

    async review(input) {
      const body = parseInput(creatorReviewBody, input, rejectionNeedsNote);
      return invokeFunction<ReviewedCreatorApplication>(supabase, 'creator-review', body);
    },

    async applications(params = {}) {
      const status = parseInput(z.object({ status: applicationStatus }), { status: params.status }).status;
      const paging = pageParams(params, { defaultPageSize: 20, maxPageSize: 100 });
      const envelope = await unwrap(
        supabase.rpc('list_creator_applications', { p_status: status, p_page: paging.page, p_page_size: paging.page_size }),
      );
      return envelope as unknown as Page<ReviewedCreatorApplication>;
    },
  };
}
