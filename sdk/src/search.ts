/**
 * Search (000 §11, 003 "Search Videos") and the home screen's trending list. Each call is one
 * security-invoker RPC (`search_posts`, `search_videos`, `trending_posts`) — the same SQL the `search`
 * edge function calls — so the caller's policies and search's exclusions (blocks both ways, their
 * hides and reports, private and unlisted posts, moderation-hidden posts, unfinished uploads,
 * children's posts for adults) hold whichever door is used. The RPCs need a signed-in client (a
 * signed-out one gets a 401); signed-out apps call the `search` function
 * (`supabase.functions.invoke('search?query=dance', { method: 'GET' })`). Bad input comes back as a 400
 * {@link MarqueeError} with `fields` (`query`, `q`, `quality`…), from the database.
 *
 * @module
 */
import { pageParams, type Page, type PageParams } from './pagination.ts';
import type { PostAuthor, PostItem } from './post-lists.ts';
import { callRpc } from './rpc.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** The video qualities processing derives (search facet and filter). */
export const VIDEO_QUALITIES = ['240p', '360p', '480p', '720p', '1080p', '1440p', '2160p'] as const;

/** Orderings of {@link SearchApi.videos}. */
export const VIDEO_SEARCH_ORDERINGS = ['relevance', '-trending_score', '-created_at', 'created_at', '-view_count', 'duration_seconds', '-duration_seconds'] as const;

/** One result of {@link SearchApi.query} or {@link SearchApi.trending} (000 §11's item). */
export interface SearchResult {
  id: number;
  post_title: string;
  post_type: PostItem['post_type'];
  post_description: string;
  /** The author's username. */
  created_by: string | null;
  created_at: string;
  /** 000's priority: 1 title match, 2 reel, 3 username match, 4 description match; null in the trending list. */
  priority: 1 | 2 | 3 | 4 | null;
  /** Engagement with time decay: log10(1 + likes + 2·comments + views/10) + hours since 2026-01-01 / 12.5. */
  trending_score: number;
  like_count: number;
  comment_count: number;
  view_count: number;
  /** For reels and YouTube shorts: where to play it; null for other posts. */
  reels_data: { post: number; video_url: string | null; youtube_id: string | null; thumbnail_url: string | null; duration_seconds: number | null } | null;
  user_profile: PostAuthor | null;
}

/** A page of search results: no total count (a page costs only its own rows). */
export interface SearchPage {
  page: number;
  page_size: number;
  /** The next page's number, or null on the last page. */
  next: number | null;
  previous: number | null;
  results: SearchResult[];
}

/** Parameters of {@link SearchApi.query}. */
export interface SearchParams extends PageParams {
  /** Words of a title, description or username: 1–200 characters, at least one word of 3+ letters or digits. */
  query: string;
}

/** Parameters of {@link SearchApi.trending}. */
export interface TrendingParams extends PageParams {
  /** Only posts of this type. */
  post_type?: PostItem['post_type'];
}

/** Parameters of {@link SearchApi.videos} (003's query parameters). */
export interface VideoSearchParams extends PageParams {
  /** Words of the title or description (the same rules as {@link SearchParams.query}). */
  q: string;
  /** Only this category (any case). */
  category?: string;
  /** At least this many seconds long. */
  duration_min?: number;
  /** At most this many seconds long. */
  duration_max?: number;
  quality?: (typeof VIDEO_QUALITIES)[number];
  /** Default `relevance`: title matches first, then by trending score. */
  ordering?: (typeof VIDEO_SEARCH_ORDERINGS)[number];
}

/** A video result: a post item with 003's video fields. */
export interface VideoResult extends PostItem {
  category: string | null;
  duration_seconds: number | null;
  video_quality: (typeof VIDEO_QUALITIES)[number] | null;
  upload_status: 'ready';
  allow_download: boolean;
  require_premium: boolean;
  trending_score: number;
}

/** One facet value and how many matches have it. */
export interface FacetCount {
  name: string;
  count: number;
}

/** 003's `PaginatedResponse<Video> & { facets }`; each facet counts under every filter but its own. */
export type VideoSearchPage = Page<VideoResult> & { facets: { categories: FacetCount[]; qualities: FacetCount[] } };

/** Search and trending. */
export interface SearchApi {
  /**
   * Posts and reels by title, description or creator username, ranked by 000's priority table, then
   * by trending score. Typo-tolerant ("dnace" finds "dance"), prefix-friendly, accent- and
   * case-insensitive. Default 20 a page, at most 50. Throws a 400 {@link MarqueeError} with
   * `fields.query` for a blank query, one over 200 characters, or one with no word.
   *
   * @example
   * ```ts
   * const page = await marquee.search.query({ query: 'dance', page: 1 });
   * page.results[0]?.priority;   // 1: the title matches
   * page.results[0]?.created_by; // 'john_doe'
   * page.next;                   // 2, or null on the last page
   * ```
   */
  query(params: SearchParams): Promise<SearchPage>;
  /**
   * Ready videos by words of the title or description, with 003's filters, orderings and facets.
   *
   * @example
   * ```ts
   * const page = await marquee.search.videos({ q: 'salsa', category: 'Dance', duration_max: 600, quality: '1080p', ordering: '-created_at' });
   * page.count;                   // matches under every filter
   * page.facets.categories;       // [{ name: 'Dance', count: 12 }, { name: 'Music', count: 3 }]
   * ```
   */
  videos(params: VideoSearchParams): Promise<VideoSearchPage>;
  /**
   * The home screen's trending list: what search may show the caller, by trending score.
   *
   * @example
   * ```ts
   * const page = await marquee.search.trending({ post_type: 'reel', page_size: 10 });
   * page.results.map((r) => r.trending_score); // highest first
   * ```
   */
  trending(params?: TrendingParams): Promise<SearchPage>;
}

const PAGING = { defaultPageSize: 20, maxPageSize: 50 };

/**
 * Builds the search namespace over a typed supabase-js client.
 *
 * @example
 * ```ts
 * const search = createSearchApi(createMarquee({ url, key }).supabase);
 * const { results } = await search.query({ query: 'dance' });
 * ```
 */
export function createSearchApi(supabase: MarqueeSupabaseClient): SearchApi {
  return {
    async query({ query, ...paging }) {
      const { page, page_size } = pageParams(paging, PAGING);
      return (await callRpc(supabase, 'search_posts', { p_query: query, p_page: page, p_page_size: page_size })) as unknown as SearchPage;
    },
    async videos({ q, category, duration_min, duration_max, quality, ordering, ...paging }) {
      const { page, page_size } = pageParams(paging, PAGING);
      return (await callRpc(supabase, 'search_videos', {
        p_q: q,
        p_page: page,
        p_page_size: page_size,
        ...(category !== undefined ? { p_category: category } : {}),
        ...(duration_min !== undefined ? { p_duration_min: duration_min } : {}),
        ...(duration_max !== undefined ? { p_duration_max: duration_max } : {}),
        ...(quality !== undefined ? { p_quality: quality } : {}),
        ...(ordering !== undefined ? { p_ordering: ordering } : {}),
      })) as unknown as VideoSearchPage;
    },
    async trending({ post_type, ...paging } = {}) {
      const { page, page_size } = pageParams(paging, PAGING);
      return (await callRpc(supabase, 'trending_posts', {
        p_page: page,
        p_page_size: page_size,
        ...(post_type !== undefined ? { p_post_type: post_type } : {}),
      })) as unknown as SearchPage;
    },
  };
}

