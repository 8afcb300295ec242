/**
 * The video processor: measures uploaded reels and videos that video-process marked `processing`.
 * It works only through the project's public doors with the service key (REST's service RPCs and
 * the Storage API), so the same code can run beside a hosted project: claim an upload
 * (service.claim_video_processing), download the file, probe it (duration, frame height), write a
 * thumbnail to `video-thumbnails/<uid>/<post id>.jpg`, then service.finish_video_processing (ready,
 * the uploader is notified) or service.fail_video_processing (failed, with the reason).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { probeVideo, writeThumbnail } from './media-tools.ts';

export interface ProcessorApi {
  /** The stack's API URL (`http://127.0.0.1:54321`). */
  apiUrl: string;
  serviceRoleKey: string;
}

interface ClaimedUpload {
  post_id: number;
  created_by: string;
  object_name: string;
  mime_type: string;
}

const THUMBNAIL_BUCKET = 'video-thumbnails';
const VIDEO_BUCKET = 'creator-videos';

const encodePath = (name: string) => name.split('/').map(encodeURIComponent).join('/');

function headers(api: ProcessorApi, extra: Record<string, string> = {}): Record<string, string> {
  return { apikey: api.serviceRoleKey, Authorization: `Bearer ${api.serviceRoleKey}`, ...extra };
}

async function serviceRpc<T>(api: ProcessorApi, fn: string, args: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${api.apiUrl}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: headers(api, { 'Content-Type': 'application/json', 'Content-Profile': 'service' }),
    body: JSON.stringify(args),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${fn} answered ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Claims up to `limit` processing uploads. */
export const claimUploads = (api: ProcessorApi, limit = 2) =>
  serviceRpc<ClaimedUpload[]>(api, 'claim_video_processing', { p_limit: limit });

async function download(api: ProcessorApi, name: string, file: string): Promise<void> {
  const response = await fetch(`${api.apiUrl}/storage/v1/object/${VIDEO_BUCKET}/${encodePath(name)}`, { headers: headers(api) });
  if (!response.ok || !response.body) throw new Error(`The video file could not be read (storage answered ${response.status}).`);
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
}

async function uploadThumbnail(api: ProcessorApi, name: string, file: string): Promise<void> {
  const response = await fetch(`${api.apiUrl}/storage/v1/object/${THUMBNAIL_BUCKET}/${encodePath(name)}`, {
    method: 'POST',
    headers: headers(api, { 'Content-Type': 'image/jpeg', 'x-upsert': 'true' }),
    body: await readFile(file),
  });
  if (!response.ok) throw new Error(`The thumbnail could not be stored (storage answered ${response.status}).`);
  await response.body?.cancel();
}

/** Measures one claimed upload and records the outcome; never throws for a bad file. */
export async function processUpload(api: ProcessorApi, upload: ClaimedUpload): Promise<'ready' | 'failed'> {
  const work = await mkdtemp(path.join(tmpdir(), 'marquee-video-'));
  try {
    let facts;
    const video = path.join(work, 'video');
    const thumbnail = path.join(work, 'thumbnail.jpg');
    try {
      await download(api, upload.object_name, video);
      facts = await probeVideo(video);
      await writeThumbnail(video, Math.min(1, facts.durationSeconds / 2), thumbnail);
    } catch (error) {
      await serviceRpc(api, 'fail_video_processing', { p_post_id: upload.post_id, p_reason: (error as Error).message });
      return 'failed';
    }
    const thumbnailPath = `${upload.created_by}/${upload.post_id}.jpg`;
    await uploadThumbnail(api, thumbnailPath, thumbnail);
    await serviceRpc(api, 'finish_video_processing', {
      p_post_id: upload.post_id,
      p_duration_seconds: Number(facts.durationSeconds.toFixed(3)),
      p_height: facts.height,
      p_thumbnail_path: thumbnailPath,
    });
    return 'ready';
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
