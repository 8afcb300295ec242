/**
 * `marquee.videos` (003's videos): videos are `posts` rows of type `video` (reels are `reel`), so
 * every wall of posts holds here too. The list, one video, create / update / delete, the like with
 * `{is_like}`, stream and download URLs (signed by Storage, which signs only what the caller may
 * read), and the creator dashboard. Each call is one RPC of the database, which validates and decides;
 * the SDK only checks the shape of its input.
 *
 * @module
 */
import { z } from 'zod';
import { MarqueeError, toMarqueeError } from './errors.ts';
import { parseInput } from './internal.ts';
import { pageParams, type Page, type PageParams } from './pagination.ts';
import type { PostAuthor } from './post-lists.ts';
import { callRpc } from './rpc.ts';
import { body, id, POST_VISIBILITIES } from './rules/index.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** A video's visibility: `unlisted` is reachable by id only, `private` by its owner (and admins) only. */
export type VideoVisibility = (typeof POST_VISIBILITIES)[number];

/** 003's Video (a `video` or `reel` post). */
export interface Video {
  id: number;
  post_type: 'video' | 'reel';
  title: string;
  description: string;
  visibility: VideoVisibility;
  /** Whether viewers get a download URL. */
  allow_download: boolean;
  /** Readable only by premium users, the owner and admins. */
  require_premium: boolean;
  category: string | null;
  upload_status: 'uploading' | 'processing' | 'ready' | 'failed';
  duration_seconds: number | null;
  video_quality: string | null;
  /** Storage path of the thumbnail. */
  thumbnail_path: string | null;
  /** Storage path of the video file. */
  media_path: string | null;
  like_count: number;
  comment_count: number;
  view_count: number;
  created_at: string;
  updated_at: string;
  uploader: PostAuthor | null;
  liked_by_user: boolean;
}

/** Orderings of {@link VideosApi.list}. */
export const VIDEO_ORDERINGS = ['created_at', '-created_at', 'title', '-title', 'like_count', '-like_count', 'view_count', '-view_count'] as const;

/** Parameters of {@link VideosApi.list} (003 Get Videos List). */
export interface VideoListParams extends PageParams {
  /** Words in the title or description (at most 100 characters). */
  search?: string;
  /** `public` (default); `private` / `unlisted` list only the caller's own. */
  visibility?: VideoVisibility;
  /** The uploader's username (case-insensitive). */
  uploader?: string;
  /** Default `-created_at`. */
  ordering?: (typeof VIDEO_ORDERINGS)[number];
}

/** 003's Create Video body, plus the uploaded file's storage path (in the caller's folder). */
export interface NewVideo {
  title: string;
  description?: string;
  visibility?: VideoVisibility;
  allow_download?: boolean;
  require_premium?: boolean;
  category?: string | null;
  /** The uploaded file, `<your user id>/…` in the `post-videos` bucket. */
  media_path: string;
  /** `video` (default) or `reel`. */
  post_type?: 'video' | 'reel';
}

/** What the owner may change (003's Partial<Video>). */
export type VideoChanges = Partial<Pick<Video, 'title' | 'description' | 'visibility' | 'allow_download' | 'require_premium' | 'category'>>;

/** 003's like answer. */
export interface VideoLikeResult {
  success: boolean;
  is_liked: boolean;
  like_count: number;
}

/** 003's stream info: a signed URL with its expiry. */
export interface VideoStreamInfo {
  video_id: number;
  /** Signed URL of the file (a download URL for {@link VideosApi.download}). */
  url: string;
  /** When the URL stops working (ISO 8601). */
  expires_at: string;
  duration_seconds: number | null;
  video_quality: string | null;
  thumbnail_path: string | null;
}

/** One row of the creator dashboard. */
export interface DashboardVideo {
  id: number;
  post_type: 'video' | 'reel';
  title: string;
  visibility: VideoVisibility;
  upload_status: Video['upload_status'];
  view_count: number;
  like_count: number;
  comment_count: number;
  duration_seconds: number | null;
  video_quality: string | null;
  thumbnail_path: string | null;
  require_premium: boolean;
  allow_download: boolean;
  created_at: string;
}

/** The creator dashboard: a page of the caller's videos and reels, and totals over all of them. */
export interface CreatorDashboard extends Page<DashboardVideo> {
  totals: { videos: number; reels: number; views: number; likes: number; comments: number };
}

/** `marquee.videos`. */
export interface VideosApi {
  /**
   * Public, ready videos, newest first (default 20 a page, at most 100), without anything across a
   * block or that the caller hid or reported; or the caller's own `private` / `unlisted` ones.
   *
   * @example
   * ```ts
   * const page = await marquee.videos.list({ search: 'dance', uploader: 'jane', ordering: '-like_count' });
   * page.results[0]?.title;
   * ```
   */
  list(params?: VideoListParams): Promise<Page<Video>>;
  /**
   * One video or reel by id (unlisted too; private only for its owner and admins); 404 otherwise.
   *
   * @example
   * ```ts
   * const video = await marquee.videos.get({ id: 42 });
   * video.upload_status; // 'ready'
   * ```
   */
  get(input: { id: number }): Promise<Video>;
  /**
   * Creates a video (creators and admins) for a file already uploaded to the caller's folder.
   *
   * @example
   * ```ts
   * const video = await marquee.videos.create({ title: 'My clip', media_path: `${userId}/clip.mp4`, visibility: 'unlisted' });
   * ```
   */
  create(input: NewVideo): Promise<Video>;
  /**
   * Changes the caller's own video (title, description, visibility, allow_download, require_premium, category).
   *
   * @example
   * ```ts
   * await marquee.videos.update({ id: 42, changes: { visibility: 'private', allow_download: true } });
   * ```
   */
  update(input: { id: number; changes: VideoChanges }): Promise<Video>;
  /**
   * Deletes the caller's video (an admin: any video): `{success, message}`.
   *
   * @example
   * ```ts
   * const { message } = await marquee.videos.remove({ id: 42 }); // 'Video deleted successfully.'
   * ```
   */
  remove(input: { id: number }): Promise<{ success: boolean; message: string }>;
  /**
   * Likes (`is_like: true`) or unlikes a video; doing it twice changes nothing.
   *
   * @example
   * ```ts
   * const { is_liked, like_count } = await marquee.videos.like({ id: 42, is_like: true });
   * ```
   */
  like(input: { id: number; is_like: boolean }): Promise<VideoLikeResult>;
  /**
   * A signed URL to play a ready video the caller can read, valid for an hour.
   *
   * @example
   * ```ts
   * const { url, expires_at } = await marquee.videos.stream({ id: 42 });
   * ```
   */
  stream(input: { id: number }): Promise<VideoStreamInfo>;
  /**
   * A signed download URL, only when the video allows downloads (its owner and admins always); 403 otherwise.
   *
   * @example
   * ```ts
   * const { url } = await marquee.videos.download({ id: 42 });
   * ```
   */
  download(input: { id: number }): Promise<VideoStreamInfo>;
  /**
   * The caller's (creator or admin) videos and reels, newest first, with views, likes, comments and
   * upload status, and totals; 403 for others.
   *
   * @example
   * ```ts
   * const board = await marquee.videos.dashboard();
   * board.totals.views;
   * board.results[0]?.upload_status; // 'processing'
   * ```
   */
  dashboard(params?: PageParams): Promise<CreatorDashboard>;
}

const refSchema = body({ id });
const listSchema = z.strictObject({
  search: z.string().optional(),
  visibility: z.string().optional(),
  uploader: z.string().optional(),
  ordering: z.string().optional(),
});
const likeSchema = body({ id, is_like: z.boolean({ error: 'This field is required.' }) });
const updateSchema = body({ id, changes: z.record(z.string(), z.unknown()) });

interface SignTarget {
  video_id: number;
  bucket: string;
  path: string;
  expires_in: number;
  duration_seconds: number | null;
  video_quality: string | null;
  thumbnail_path: string | null;
}

/**
 * Builds `marquee.videos` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const videos = createVideosApi(createClient<Database>(url, key));
 * await videos.list();
 * ```
 */
export function createVideosApi(supabase: MarqueeSupabaseClient): VideosApi {
  // Storage signs only objects the caller may read (the video's storage policy asks the posts policies).
  const sign = async (target: SignTarget, download: boolean): Promise<VideoStreamInfo> => {
    const { data, error } = await supabase.storage
      .from(target.bucket)
      .createSignedUrl(target.path, target.expires_in, download ? { download: true } : undefined);
    if (error || !data) throw error ? await toMarqueeError(error) : new MarqueeError({ status: 502, code: 'empty_response', detail: 'No signed URL.' });
    return {
      video_id: target.video_id,
      url: data.signedUrl,
      expires_at: new Date(Date.now() + target.expires_in * 1000).toISOString(),
      duration_seconds: target.duration_seconds,
      video_quality: target.video_quality,
      thumbnail_path: target.thumbnail_path,
    };
  };
  return {
    async list({ page, page_size, ...filters } = {}) {
      const input = parseInput(listSchema, filters);
      const paging = pageParams({ page, page_size }, { defaultPageSize: 20, maxPageSize: 100 });
      const envelope = await callRpc(supabase, 'list_videos', {
        p_page: paging.page,
        p_page_size: paging.page_size,
        ...(input.search !== undefined ? { p_search: input.search } : {}),
        ...(input.visibility !== undefined ? { p_visibility: input.visibility } : {}),
        ...(input.uploader !== undefined ? { p_uploader: input.uploader } : {}),
        ...(input.ordering !== undefined ? { p_ordering: input.ordering } : {}),
      });
      return envelope as unknown as Page<Video>;
    },
    async get(input) {
      const { id: videoId } = parseInput(refSchema, input);
      return (await callRpc(supabase, 'get_video', { p_video_id: videoId })) as unknown as Video;
    },
    async create(input) {
      return (await callRpc(supabase, 'create_video', { p_video: input as unknown as Record<string, string> })) as unknown as Video;
    },
    async update(input) {
      const { id: videoId, changes } = parseInput(updateSchema, input);
      return (await callRpc(supabase, 'update_video', { p_video_id: videoId, p_changes: changes as Record<string, string> })) as unknown as Video;
    },
    async remove(input) {
      const { id: videoId } = parseInput(refSchema, input);
      return (await callRpc(supabase, 'delete_video', { p_video_id: videoId })) as unknown as { success: boolean; message: string };
    },
    async like(input) {
      const { id: videoId, is_like } = parseInput(likeSchema, input);
      return (await callRpc(supabase, 'like_video', { p_video_id: videoId, p_is_like: is_like })) as unknown as VideoLikeResult;
    },
    async stream(input) {
      const { id: videoId } = parseInput(refSchema, input);
      return sign((await callRpc(supabase, 'video_stream', { p_video_id: videoId })) as unknown as SignTarget, false);
    },
    async download(input) {
      const { id: videoId } = parseInput(refSchema, input);
      return sign((await callRpc(supabase, 'video_download', { p_video_id: videoId })) as unknown as SignTarget, true);
    },
    async dashboard(params = {}) {
      const paging = pageParams(params, { defaultPageSize: 20, maxPageSize: 100 });
      return (await callRpc(supabase, 'creator_dashboard', { p_page: paging.page, p_page_size: paging.page_size })) as unknown as CreatorDashboard;
    },
  };
}
