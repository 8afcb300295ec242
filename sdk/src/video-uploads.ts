/**
 * Creator video uploads (000 §5 "create reel", 003 "upload video" and "upload status"): reels and
 * long videos, creators and admins only. `uploadVideo` reserves the post (`start_video_upload`),
 * sends the file in 6 MB chunks through Storage's resumable (TUS) endpoint, then asks the
 * `video-process` function to check it; the video processor measures its duration and quality and
 * makes its thumbnail, and the post goes uploading → processing → ready (or failed). The lead
 * composes `marquee.videos` from {@link createVideoUploadsApi} and the videos helper.
 *
 * @module
 */
import { MarqueeError, toMarqueeError } from './errors.ts';
import { callRpc } from './rpc.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import { subscribeChannel } from './channels.ts';
import { requireWebSocket } from './websocket.ts';

/** Storage's resumable uploads take 6 MB chunks. */
export const VIDEO_CHUNK_BYTES = 6 * 1024 * 1024;

/** Where an upload stands. */
export type VideoUploadState = 'uploading' | 'processing' | 'ready' | 'failed';

/** An uploaded reel's or video's state and what processing measured (003 VideoUploadStatus). */
export interface VideoUploadStatus {
  /** The post id. */
  id: number;
  upload_status: VideoUploadState;
  /** Seconds, once ready. */
  duration_seconds: number | null;
  /** `'240p'` … `'2160p'` from the frame height, once ready. */
  video_quality: string | null;
  /** The thumbnail in bucket `video-thumbnails`, once ready. */
  thumbnail_path: string | null;
  /** The video in bucket `creator-videos`. */
  media_path: string | null;
}

/** A file to upload: a browser `File`/`Blob`, or bytes (Node: a `Buffer` or `Uint8Array`). */
export type VideoFile = Blob | Uint8Array;

/** What {@link VideoUploadsApi.uploadVideo} takes. */
export interface UploadVideoInput {
  file: VideoFile;
  title: string;
  post_type: 'reel' | 'video';
  /** The file's type (`video/mp4`…); a `File`'s own type when left out. */
  content_type?: string;
  description?: string;
  visibility?: 'public' | 'unlisted' | 'private';
  category?: string;
  allow_download?: boolean;
  require_premium?: boolean;
  /** Called as chunks arrive: bytes sent so far and in all. */
  onProgress?: (sent: number, total: number) => void;
}

/** `marquee.videos` (uploads). */
export interface VideoUploadsApi {
  /**
   * Uploads a reel or video (creators and admins): resolves once the file is stored and processing
   * has begun (`upload_status: 'processing'`); follow it with {@link VideoUploadsApi.onUploadStatus}.
   * Errors: 400 `{"video": ["No video file provided"]}` (an empty file), `{"video": ["The file is not a
   * video."]}`; 403 for a visitor.
   *
   * @example
   * ```ts
   * const bytes = new Uint8Array(1024); // an MP4's bytes
   * const started = await marquee.videos.uploadVideo({
   *   file: bytes, content_type: 'video/mp4', title: 'My Cool Reel', post_type: 'reel',
   *   onProgress: (sent, total) => console.log(`${Math.round((100 * sent) / total)}%`),
   * });
   * started.upload_status; // 'processing'
   * ```
   */
  uploadVideo(input: UploadVideoInput): Promise<VideoUploadStatus>;
  /**
   * An upload's state now (anyone who may read the post).
   *
   * @example
   * ```ts
   * const status = await marquee.videos.uploadStatus({ id: 42 });
   * if (status.upload_status === 'ready') console.log(status.duration_seconds, status.video_quality);
   * ```
   */
  uploadStatus(params: { id: number }): Promise<VideoUploadStatus>;
  /**
   * Calls `callback` with each new state of the post (Realtime postgres_changes on its row, for
   * whoever may read the post); resolves once listening, with the function that stops. A 503
   * MarqueeError when Realtime cannot subscribe.
   *
   * @example
   * ```ts
   * const stop = await marquee.videos.onUploadStatus(42, (status) => {
   *   if (status.upload_status === 'ready') console.log('ready', status.video_quality);
   * });
   * await stop();
   * ```
   */
  onUploadStatus(id: number, callback: (status: VideoUploadStatus) => void): Promise<() => Promise<void>>;
}

interface StartedUpload {
  id: number;
  bucket: string;
  object_name: string;
  chunk_size: number;
}

const isBlob = (file: VideoFile): file is Blob => typeof Blob !== 'undefined' && file instanceof Blob;
const sizeOf = (file: VideoFile) => (isBlob(file) ? file.size : file.byteLength);

type NodeBuffer = { from(bytes: ArrayBuffer | Uint8Array): unknown };

/** What tus-js-client reads here: a Buffer on Node (its Node build takes only Buffers and streams), else a Blob. */
async function tusInput(file: VideoFile): Promise<unknown> {
  const buffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;
  if (buffer) return buffer.from(isBlob(file) ? new Uint8Array(await file.arrayBuffer()) : file);
  return isBlob(file) ? file : new Blob([file as Uint8Array<ArrayBuffer>]);
}

/** The supabase-js client's URL, key and the caller's token, which TUS needs as plain headers. */
async function endpointOf(supabase: MarqueeSupabaseClient): Promise<{ endpoint: string; headers: Record<string, string> }> {
  const internals = supabase as unknown as { storageUrl?: string; supabaseUrl?: string; supabaseKey: string };
  const storageUrl = internals.storageUrl ?? `${String(internals.supabaseUrl)}/storage/v1`;
  const { data } = await supabase.auth.getSession();
  const token = data.session?.access_token ?? internals.supabaseKey;
  return {
    endpoint: `${String(storageUrl).replace(/\/$/, '')}/upload/resumable`,
    headers: { apikey: internals.supabaseKey, authorization: `Bearer ${token}` },
  };
}

async function sendResumable(
  file: unknown,
  started: StartedUpload,
  contentType: string,
  target: { endpoint: string; headers: Record<string, string> },
  onProgress?: (sent: number, total: number) => void,
): Promise<void> {
  // Loaded on first upload: apps that never upload do not carry the TUS client in their bundle.
  const tus = await import('tus-js-client');
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(file as never, {
      endpoint: target.endpoint,
      headers: target.headers,
      chunkSize: VIDEO_CHUNK_BYTES,
      retryDelays: [0, 1000, 3000],
      uploadDataDuringCreation: false,
      removeFingerprintOnSuccess: true,
      metadata: { bucketName: started.bucket, objectName: started.object_name, contentType },
      ...(onProgress ? { onProgress } : {}),
      onError: (error) => {
        const response = (error as { originalResponse?: { getStatus(): number; getBody(): string } | null }).originalResponse;
        reject(response
          ? new MarqueeError({ status: response.getStatus(), code: 'storage_error', detail: response.getBody() || error.message, cause: error })
          : error);
      },
      onSuccess: () => resolve(),
    });
    upload.start();
  });
}

/** A posts row from Realtime → the status fields. */
function statusOfRow(row: Record<string, unknown>): VideoUploadStatus {
  return {
    id: Number(row.id),
    upload_status: row.upload_status as VideoUploadState,
    duration_seconds: row.duration_seconds === null || row.duration_seconds === undefined ? null : Number(row.duration_seconds),
    video_quality: (row.video_quality as string | null) ?? null,
    thumbnail_path: (row.thumbnail_path as string | null) ?? null,
    media_path: (row.media_path as string | null) ?? null,
  };
}

/**
 * Builds the uploads half of `marquee.videos` over a typed supabase-js client.
 *
 * @example
 * ```ts
 * const uploads = createVideoUploadsApi(createClient<Database>(url, key));
 * await uploads.uploadStatus({ id: 42 });
 * ```
 */
export function createVideoUploadsApi(supabase: MarqueeSupabaseClient): VideoUploadsApi {
  const uploadStatus = async ({ id }: { id: number }) =>
    (await callRpc(supabase, 'video_upload_status', { p_post_id: id })) as unknown as VideoUploadStatus;

  return {
    async uploadVideo(input) {
      const size = input.file ? sizeOf(input.file) : 0;
      const contentType = input.content_type ?? (input.file && isBlob(input.file) ? input.file.type : '');
      const started = (await callRpc(supabase, 'start_video_upload', {
        p_title: input.title,
        p_post_type: input.post_type,
        p_mime_type: contentType,
        p_size_bytes: size,
        p_description: input.description ?? '',
        p_visibility: input.visibility ?? 'public',
        ...(input.category !== undefined ? { p_category: input.category } : {}),
        p_allow_download: input.allow_download ?? false,
        p_require_premium: input.require_premium ?? false,
      })) as unknown as StartedUpload;
      await sendResumable(await tusInput(input.file), started, contentType, await endpointOf(supabase), input.onProgress);
      const processed = await supabase.functions.invoke('video-process', { method: 'POST', body: { id: started.id } });
      if (processed.error) throw await toMarqueeError(processed.error);
      return uploadStatus({ id: started.id });
    },

    uploadStatus,

    async onUploadStatus(id, callback) {
      requireWebSocket(supabase);
      const channel = supabase
        .channel(`video-upload:${id}:${Math.random().toString(36).slice(2)}`)
        .on('postgres_changes', { event: 'UPDATE', schema: 'public', table: 'posts', filter: `id=eq.${id}` }, (change) => {
          callback(statusOfRow(change.new as Record<string, unknown>));
        });
      return subscribeChannel(supabase, channel);
    },
  };
}
