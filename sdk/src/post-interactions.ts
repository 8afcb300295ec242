/**
 * Likes, hides, reports and views of a post (000 §6), over the database's RPCs: `like_post`,
 * `unlike_post`, `list_post_likers`, `hide_post`, `unhide_post`, `report_post`, `withdraw_report`,
 * `record_post_view`. The tables' policies are the wall; these add 000's answers.
 *
 * @module
 */
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { callRpc } from './rpc.ts';
import { parseInput } from './internal.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import { postRefBody, reportBody, type ReportReason } from './rules/index.ts';

/** A post, by id. */
export interface PostRef {
  post_id: number;
}

/** A like, as `like` answers it. */
export interface Like {
  /** The post's id. */
  post: number;
  /** The liker's user id. */
  user: string;
  created_at: string;
}

/** One liker in {@link PostInteractionsApi.likers}. */
export interface Liker {
  post: number;
  user: { id: string; username: string; profile_pic: string | null };
  created_at: string;
}

/** A hide, as `hide` answers it. */
export interface Hide {
  post: number;
  user: string;
  created_at: string;
}

/** What {@link PostInteractionsApi.report} takes. */
export interface ReportInput extends PostRef {
  /** One of the six: spam, abuse, false, hate, nsfw, other. */
  reason: ReportReason;
  /** At most 1000 characters. */
  description?: string;
}

/** A report, as `report` answers it. */
export interface Report {
  id: number;
  post: number;
  user: string;
  reason: ReportReason;
  description: string;
  created_at: string;
}

/** What {@link PostInteractionsApi.view} answers. */
export interface ViewResult {
  post: number;
  /** False when the caller had already viewed the post this UTC day. */
  counted: boolean;
  /** The post's view count after this view. */
  view_count: number;
}

/** Which post's likers, and which page (page_size default 30, at most 100). */
export interface LikersParams extends PostRef, PageParams {}

/** Likes, hides, reports and views. */
export interface PostInteractionsApi {
  /**
   * Likes a post. 400 "You already liked this post." the second time; 404 "Not found." for a post
   * the caller cannot see (private, missing, or across a block); 403 for an account that is not active.
   *
   * @example
   * ```ts
   * const interactions = createPostInteractionsApi(marquee.supabase);
   * const like = await interactions.like({ post_id: 42 }); // { post: 42, user: '…', created_at: '…' }
   * ```
   */
  like(input: PostRef): Promise<Like>;
  /**
   * Removes the caller's like. 404 "Not found." when there is none.
   *
   * @example
   * ```ts
   * await createPostInteractionsApi(marquee.supabase).unlike({ post_id: 42 });
   * ```
   */
  unlike(input: PostRef): Promise<void>;
  /**
   * Who liked a post, newest first (page_size default 30, at most 100). Users in a block with the
   * caller and inactive accounts are left out. Signed-out callers may read it.
   *
   * @example
   * ```ts
   * const page = await createPostInteractionsApi(marquee.supabase).likers({ post_id: 42, page: 1 });
   * page.results[0]?.user.username; // 'jane_doe'
   * ```
   */
  likers(params: LikersParams): Promise<Page<Liker>>;
  /**
   * Hides a post from the caller's lists. 400 "You already hid this post." the second time.
   *
   * @example
   * ```ts
   * await createPostInteractionsApi(marquee.supabase).hide({ post_id: 42 });
   * ```
   */
  hide(input: PostRef): Promise<Hide>;
  /**
   * Shows a hidden post again. 404 "Not found." when it was not hidden.
   *
   * @example
   * ```ts
   * await createPostInteractionsApi(marquee.supabase).unhide({ post_id: 42 });
   * ```
   */
  unhide(input: PostRef): Promise<void>;
  /**
   * Reports a post with one of the six reasons. 400 "You already reported this post." the second
   * time; 400 `{"reason": ['"x" is not a valid choice.']}` for another reason.
   *
   * @example
   * ```ts
   * await createPostInteractionsApi(marquee.supabase).report({ post_id: 42, reason: 'spam', description: 'This post is spam.' });
   * ```
   */
  report(input: ReportInput): Promise<Report>;
  /**
   * Withdraws the caller's report. 404 "Not found." when there is none.
   *
   * @example
   * ```ts
   * await createPostInteractionsApi(marquee.supabase).withdrawReport({ post_id: 42 });
   * ```
   */
  withdrawReport(input: PostRef): Promise<void>;
  /**
   * Records the caller's view of a post, counted once per viewer per post per UTC day.
   *
   * @example
   * ```ts
   * const { counted, view_count } = await createPostInteractionsApi(marquee.supabase).view({ post_id: 42 });
   * ```
   */
  view(input: PostRef): Promise<ViewResult>;
}

/**
 * Builds the post interactions API over a typed supabase-js client.
 *
 * @example
 * ```ts
 * const interactions = createPostInteractionsApi(marquee.supabase);
 * await interactions.like({ post_id: 42 });
 * ```
 */
export function createPostInteractionsApi(supabase: MarqueeSupabaseClient): PostInteractionsApi {
  const postId = (input: PostRef) => parseInput(postRefBody, input).post_id;

  return {
    async like(input) {
      return (await callRpc(supabase, 'like_post', { p_post_id: postId(input) })) as unknown as Like;
    },
    async unlike(input) {
      await callRpc(supabase, 'unlike_post', { p_post_id: postId(input) });
    },
    async likers(params) {
      const { post_id, page, page_size } = params;
      const bounds = pageParams({ page, page_size }, { defaultPageSize: 30, maxPageSize: 100 });
      const args = { p_post_id: postId({ post_id }), p_page: bounds.page, p_page_size: bounds.page_size };
      return (await callRpc(supabase, 'list_post_likers', args)) as unknown as Page<Liker>;
    },
    async hide(input) {
      return (await callRpc(supabase, 'hide_post', { p_post_id: postId(input) })) as unknown as Hide;
    },
    async unhide(input) {
      await callRpc(supabase, 'unhide_post', { p_post_id: postId(input) });
    },
    async report(input) {
      const { post_id, reason, description } = parseInput(reportBody, input);
      const args = { p_post_id: post_id, p_reason: reason, p_description: description };
      return (await callRpc(supabase, 'report_post', args)) as unknown as Report;
    },
    async withdrawReport(input) {
      await callRpc(supabase, 'withdraw_report', { p_post_id: postId(input) });
    },
    async view(input) {
      return (await callRpc(supabase, 'record_post_view', { p_post_id: postId(input) })) as unknown as ViewResult;
    },
  };
}
