/**
 * `marquee.comments`: a post's comments (000 §7) over the RPCs `list_post_comments`, `add_comment`
 * and `delete_comment`. Comments of users in a block with the caller are never listed.
 *
 * @module
 */
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { callRpc } from './rpc.ts';
import { parseInput } from './internal.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import { commentBody, commentRefBody, postRefBody } from './rules/index.ts';

/** A comment in 000's shape. */
export interface Comment {
  id: number;
  /** The post's id. */
  post: number;
  comment: string;
  /** The author: their user id, username and profile picture path. */
  created_by: { id: string; user: { username: string; profile_pic: string | null } };
  created_at: string;
}

/** Which post's comments, and which page (page_size default 10, at most 30). */
export interface CommentListParams extends PageParams {
  post_id: number;
}

/** What {@link CommentsApi.create} takes: 1–2000 characters after trimming. */
export interface CommentInput {
  post_id: number;
  comment: string;
}

/** A comment, by id (000's DELETE body). */
export interface CommentRef {
  comment_id: number;
}

/** `marquee.comments`. */
export interface CommentsApi {
  /**
   * A post's comments, newest first (page_size default 10, at most 30). Signed-out callers may read
   * it; 404 "Not found." for a post the caller cannot see.
   *
   * @example
   * ```ts
   * const page = await marquee.comments.list({ post_id: 42 });
   * page.results[0]?.created_by.user.username; // 'jane_doe'
   * ```
   */
  list(params: CommentListParams): Promise<Page<Comment>>;
  /**
   * Comments on a post the caller can read (not one of a user in a block with them). 400
   * `{"comment": [...]}` for an empty or over-long comment.
   *
   * @example
   * ```ts
   * const comment = await marquee.comments.create({ post_id: 42, comment: 'This is amazing!' });
   * ```
   */
  create(input: CommentInput): Promise<Comment>;
  /**
   * Deletes one of the caller's comments. 404 "Comment not found or you don't have permission to
   * delete it." for anyone else's or a missing one.
   *
   * @example
   * ```ts
   * await marquee.comments.remove({ comment_id: 12 });
   * ```
   */
  remove(input: CommentRef): Promise<void>;
}

/**
 * Builds `marquee.comments` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const comments = createCommentsApi(marquee.supabase);
 * await comments.list({ post_id: 42, page: 2 });
 * ```
 */
export function createCommentsApi(supabase: MarqueeSupabaseClient): CommentsApi {
  return {
    async list(params) {
      const { post_id, page, page_size } = params;
      const bounds = pageParams({ page, page_size }, { defaultPageSize: 10, maxPageSize: 30 });
      const args = { p_post_id: parseInput(postRefBody, { post_id }).post_id, p_page: bounds.page, p_page_size: bounds.page_size };
      return (await callRpc(supabase, 'list_post_comments', args)) as unknown as Page<Comment>;
    },
    async create(input) {
      const { post_id, comment } = parseInput(commentBody, input);
      return (await callRpc(supabase, 'add_comment', { p_post_id: post_id, p_comment: comment })) as unknown as Comment;
    },
    async remove(input) {
      const { comment_id } = parseInput(commentRefBody, input);
      await callRpc(supabase, 'delete_comment', { p_comment_id: comment_id });
    },
  };
}
