/**
 * The posts lists of 000 §4: every public post (search, ordering, type and tag filters), one post
 * by id, one author's posts, and posts by tag — each answered by a security-invoker RPC, so the
 * posts policies decide and a raw supabase-js client gets exactly the same rows.
 *
 * @module
 */
import { z } from 'zod';
import type { Json } from './database.types.ts';
import { unwrap } from './errors.ts';
import { parseInput } from './internal.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import { POST_ORDERINGS, POST_TYPES, id, postOrdering, postSearch, postType, tag, uuid } from './rules/index.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** A post's author as items show it (000's `user_profile`). */
export interface PostAuthor {
  id: string;
  username: string;
  first_name: string;
  last_name: string;
  profile_pic: string | null;
}

/** One of the latest comments previewed on a post item. */
export interface CommentPreview {
  id: number;
  comment: string;
}

/** 000's post item. */
export interface PostItem {
  id: number;
  post_type: (typeof POST_TYPES)[number];
  post_title: string;
  post_description: string;
  post_banner: string | null;
  youtube_id: string | null;
  media_path: string | null;
  thumbnail_path: string | null;
  visibility: 'public' | 'unlisted' | 'private';
  created_at: string;
  like_count: number;
  comment_count: number;
  view_count: number;
  created_by: string;
  /** Null only when the caller may not read the author's profile (e.g. an admin reading a suspended author's post). */
  user_profile: PostAuthor | null;
  username: { username: string } | null;
  /** The 3 latest comments the caller may see, newest first. */
  comments: CommentPreview[];
  liked_by_user: boolean;
  hidden_by_user: boolean;
  reported_by_user: boolean;
}

/** Parameters of {@link PostListsApi.list}. */
export interface PostListParams extends PageParams {
  /** Words in the title or description (case-insensitive; at most 100 characters). */
  search?: string;
  /** `created_at`, `-created_at` (default), `post_type` or `-post_type` (newest first within a type). */
  ordering?: (typeof POST_ORDERINGS)[number];
  /** Only posts of this type. */
  post_type?: PostItem['post_type'];
  /** Only posts carrying this tag (case-insensitive, `#` optional). */
  tag?: string;
}

/** The posts lists (000 §4). */
export interface PostListsApi {
  /**
   * Public posts, newest first, without what the caller hid or reported and without anything of a
   * user in a block with them. Signed out, every public post. Default 10 a page, at most 100.
   *
   * @example
   * ```ts
   * import { createPostListsApi } from '@marquee/sdk';
   * const lists = createPostListsApi(marquee.supabase);
   * const page = await lists.list({ search: 'dance', ordering: '-created_at', page_size: 20 });
   * page.count;                       // every matching post, exactly
   * page.results[0]?.liked_by_user;   // false
   * ```
   */
  list(params?: PostListParams): Promise<Page<PostItem>>;
  /**
   * One post by id (unlisted posts too; private ones only for their author and admins).
   * 404 "Not found." when the caller may not read it.
   *
   * @example
   * ```ts
   * import { createPostListsApi } from '@marquee/sdk';
   * const lists = createPostListsApi(marquee.supabase);
   * const post = await lists.get({ id: 42 });
   * post.comments; // [{ id: 7, comment: 'Great post!' }]
   * ```
   */
  get(input: { id: number }): Promise<PostItem>;
  /**
   * One author's posts, newest first: every post of their own for the author, public ones for others,
   * none across a block.
   *
   * @example
   * ```ts
   * import { createPostListsApi } from '@marquee/sdk';
   * const lists = createPostListsApi(marquee.supabase);
   * const page = await lists.byUser({ user_id: userId, page: 2 });
   * ```
   */
  byUser(input: { user_id: string } & PageParams): Promise<Page<PostItem>>;
  /**
   * Public posts carrying a tag, newest first (the same rules as {@link PostListsApi.list}).
   *
   * @example
   * ```ts
   * import { createPostListsApi } from '@marquee/sdk';
   * const lists = createPostListsApi(marquee.supabase);
   * const page = await lists.byTag({ tag: '#Dance' });
   * ```
   */
  byTag(input: { tag: string } & Omit<PostListParams, 'tag'>): Promise<Page<PostItem>>;
}

const listSchema = z.strictObject({
  search: postSearch.optional(),
  ordering: postOrdering.optional(),
  post_type: postType.optional(),
  tag: tag.optional(),
});
const getSchema = z.strictObject({ id });
const byUserSchema = z.strictObject({ user_id: uuid });

/** The RPC's envelope as the SDK's {@link Page}. */
const asPage = <T>(envelope: Json): Page<T> => envelope as unknown as Page<T>;

/**
 * Builds the posts lists over a typed supabase-js client.
 *
 * @example
 * ```ts
 * const lists = createPostListsApi(createMarquee({ url, key }).supabase);
 * const { results } = await lists.list();
 * ```
 */
export function createPostListsApi(supabase: MarqueeSupabaseClient): PostListsApi {
  const list = async ({ page, page_size, ...filters }: PostListParams = {}) => {
    const input = parseInput(listSchema, filters);
    const paging = pageParams({ page, page_size }, { defaultPageSize: 10, maxPageSize: 100 });
    const envelope = await unwrap(
      supabase.rpc('list_posts', {
        p_page: paging.page,
        p_page_size: paging.page_size,
        ...(input.search ? { p_search: input.search } : {}),
        ...(input.ordering ? { p_ordering: input.ordering } : {}),
        ...(input.post_type ? { p_post_type: input.post_type } : {}),
        ...(input.tag ? { p_tag: input.tag } : {}),
      }),
    );
    return asPage<PostItem>(envelope);
  };
  return {
    list,
    async get(input) {
      const { id: postId } = parseInput(getSchema, input);
      return (await unwrap(supabase.rpc('get_post', { p_post_id: postId }))) as unknown as PostItem;
    },
    async byUser({ page, page_size, ...rest }) {
      const paging = pageParams({ page, page_size }, { defaultPageSize: 10, maxPageSize: 100 });
      const { user_id } = parseInput(byUserSchema, rest);
      return asPage<PostItem>(await unwrap(supabase.rpc('list_user_posts', { p_user_id: user_id, p_page: paging.page, p_page_size: paging.page_size })));
    },
    async byTag({ tag, ...params }) {
      return list({ ...params, tag });
    },
  };
}
