/**
 * `marquee.reels`: the reels list of 000 §5 — public reels and YouTube shorts, newest first, for
 * anyone (signed in, without what the caller hid or reported and anything across a block).
 *
 * @module
 */
import { unwrap } from './errors.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import type { PostAuthor } from './post-lists.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** 000's reel item. `comments` is a count here. */
export interface ReelItem {
  /** The post id. */
  post: number;
  post_type: 'reel' | 'youtube_reel';
  title: string;
  reel_description: string;
  /** The uploaded video's storage path (a reel), or the YouTube Shorts URL (a youtube_reel). */
  video_url: string | null;
  youtube_id: string | null;
  /** The thumbnail's storage path. */
  thumbnail_url: string | null;
  created_at: string;
  view_count: number;
  like_count: number;
  comments: number;
  created_by: string;
  user_profile: PostAuthor | null;
  username: { username: string } | null;
  liked_by_user: boolean;
  hidden_by_user: boolean;
  reported_by_user: boolean;
}

/** `marquee.reels`. */
export interface ReelsApi {
  /**
   * One page of reels, newest first. Default 30 a page, at most 100; no sign-in needed.
   *
   * @example
   * ```ts
   * const page = await marquee.reels.list({ page: 1 });
   * page.results[0]?.video_url; // 'c0ffee…/reel.mp4' or 'https://www.youtube.com/shorts/…'
   * ```
   */
  list(params?: PageParams): Promise<Page<ReelItem>>;
}

/**
 * Builds `marquee.reels` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const reels = createReelsApi(createClient<Database>(url, key));
 * await reels.list();
 * ```
 */
export function createReelsApi(supabase: MarqueeSupabaseClient): ReelsApi {
  return {
    async list(params = {}) {
      const { page, page_size } = pageParams(params, { defaultPageSize: 30, maxPageSize: 100 });
      const envelope = await unwrap(supabase.rpc('list_reels', { p_page: page, p_page_size: page_size }));
      return envelope as unknown as Page<ReelItem>;
    },
  };
}
