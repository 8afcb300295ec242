/**
 * `marquee.moderation`: the report types anyone may read (003 "Get Report Types"), and for admins
 * the moderation queue of reported posts and the two decisions on it, resolve (the post is hidden,
 * the author optionally suspended) and dismiss (a post hidden automatically is shown again). The
 * database decides: every admin call by a non-admin is 403, and every decision is audited in
 * `moderation_actions`.
 *
 * @module
 */
import type { Json } from './database.types.ts';
import { unwrap } from './errors.ts';
import { parseInput } from './internal.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import {
  moderationDismissBody,
  moderationQueueFilters,
  moderationResolveBody,
  type PostType,
  type ReportReason,
  type ReportState,
} from './rules/index.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** One report reason, as a report form offers it. */
export interface ReportType {
  /** What `posts.report` takes: spam, abuse, false, hate, nsfw or other. */
  value: ReportReason;
  label: string;
  description: string;
}

/** The last moderation action on a queued post. */
export interface ModerationActionSummary {
  action: 'auto_hide' | 'resolve' | 'dismiss' | 'hide' | 'unhide';
  /** The acting user's id, or `service_role` / `dashboard`. */
  actor: string;
  note: string;
  created_at: string;
}

/** One reported post in the moderation queue. */
export interface ModerationQueueItem {
  post_id: number;
  post_type: PostType;
  post_title: string;
  visibility: 'public' | 'unlisted' | 'private';
  created_by: string;
  author: { id: string; username: string; status: 'active' | 'deactivated' | 'suspended' | 'banned' };
  /** The state of the reports counted here (the queue's `state` filter). */
  state: ReportState;
  /** Whether moderation hides the post from everyone but its author and admins. */
  hidden: boolean;
  moderation_hidden_at: string | null;
  /** Reports of the post in this state (one per user). */
  report_count: number;
  /** Those reports per reason; all six keys. */
  reasons: Record<ReportReason, number>;
  first_reported_at: string;
  last_reported_at: string;
  last_action: ModerationActionSummary | null;
}

/** Filters and page of {@link ModerationApi.queue}. */
export interface ModerationQueueParams extends PageParams {
  /** `open` (default), `resolved` or `dismissed`. */
  state?: ReportState;
  /** Only posts with at least one report of this reason. */
  reason?: ReportReason;
  /** Only posts of this type. */
  post_type?: PostType;
}

/** What {@link ModerationApi.resolve} takes. */
export interface ResolveInput {
  post_id: number;
  /** Why, kept in the audit (at most 1000 characters). */
  note?: string;
  /** Also suspend the post's author (through the admin suspend RPC, audited in `account_actions`). */
  suspend_author?: boolean;
}

/** What {@link ModerationApi.dismiss} takes. */
export interface DismissInput {
  post_id: number;
  /** Why, kept in the audit (at most 1000 characters). */
  note?: string;
}

/** What resolve answers. */
export interface ResolveResult {
  detail: string;
  post_id: number;
  hidden: true;
  resolved_reports: number;
  author_suspended: boolean;
}

/** What dismiss answers. */
export interface DismissResult {
  detail: string;
  post_id: number;
  /** False when the post was hidden automatically and is shown again. */
  hidden: boolean;
  dismissed_reports: number;
}

/** `marquee.moderation`. */
export interface ModerationApi {
  /**
   * The six report reasons with a label and a description, in order. Anyone may read them.
   *
   * @example
   * ```ts
   * const types = await marquee.moderation.reportTypes(); // [{ value: 'spam', label: 'Spam', … }, …]
   * ```
   */
  reportTypes(): Promise<ReportType[]>;
  /**
   * Admins: reported posts with their report counts per post and per reason, newest report first
   * (20 a page, at most 100). 403 for everyone else.
   *
   * @example
   * ```ts
   * const page = await marquee.moderation.queue({ state: 'open', reason: 'spam', page_size: 50 });
   * page.results[0]?.reasons.spam; // 3
   * ```
   */
  queue(params?: ModerationQueueParams): Promise<Page<ModerationQueueItem>>;
  /**
   * Admins: upholds a post's open reports. The post is hidden from everyone but its author and
   * admins (its author is told), the author optionally suspended. 404 for an unknown post, 409
   * "This post has no open reports.".
   *
   * @example
   * ```ts
   * await marquee.moderation.resolve({ post_id: 42, note: 'Spam ring', suspend_author: true });
   * ```
   */
  resolve(input: ResolveInput): Promise<ResolveResult>;
  /**
   * Admins: rejects a post's open reports. A post hidden automatically by reports is shown again; one
   * hidden by a decision stays hidden. 409 "This post has no open reports." when there are none.
   *
   * @example
   * ```ts
   * const { hidden } = await marquee.moderation.dismiss({ post_id: 42, note: 'Not spam' });
   * ```
   */
  dismiss(input: DismissInput): Promise<DismissResult>;
}

const asPage = <T>(envelope: Json): Page<T> => envelope as unknown as Page<T>;

/**
 * Builds `marquee.moderation` over a typed supabase-js client.
 *
 * @example
 * ```ts
 * const moderation = createModerationApi(createMarquee({ url, key }).supabase);
 * const types = await moderation.reportTypes();
 * ```
 */
export function createModerationApi(supabase: MarqueeSupabaseClient): ModerationApi {
  return {
    async reportTypes() {
      return (await unwrap(supabase.rpc('report_types'))) as unknown as ReportType[];
    },
    async queue({ page, page_size, ...filters }: ModerationQueueParams = {}) {
      const paging = pageParams({ page, page_size }, { defaultPageSize: 20, maxPageSize: 100 });
      const input = parseInput(moderationQueueFilters, filters);
      return asPage<ModerationQueueItem>(
        await unwrap(
          supabase.rpc('moderation_queue', {
            p_state: input.state ?? 'open',
            ...(input.reason ? { p_reason: input.reason } : {}),
            ...(input.post_type ? { p_post_type: input.post_type } : {}),
            p_page: paging.page,
            p_page_size: paging.page_size,
          }),
        ),
      );
    },
    async resolve(input) {
      const { post_id, note, suspend_author } = parseInput(moderationResolveBody, input);
      return (await unwrap(
        supabase.rpc('moderation_resolve', { p_post_id: post_id, p_note: note, p_suspend_author: suspend_author ?? false }),
      )) as unknown as ResolveResult;
    },
    async dismiss(input) {
      const { post_id, note } = parseInput(moderationDismissBody, input);
      return (await unwrap(supabase.rpc('moderation_dismiss', { p_post_id: post_id, p_note: note }))) as unknown as DismissResult;
    },
  };
}
