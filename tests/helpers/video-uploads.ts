import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Member } from './posts.ts';
import { stackEnv } from './env.ts';
import { randomIp } from '../functions/accounts.ts';

/**
 * Video uploads through the whole stack: real MP4s made with the ffmpeg binary the
 * @ffmpeg-installer package ships, start_video_upload over REST, Storage's TUS endpoint spoken by
 * hand (so each request of the protocol can be attacked), and the status as the uploader sees it.
 */
const run = promisify(execFile);
const ffmpegPath = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;

/** An H.264 MP4 of a test pattern: `seconds` long, `width`×`height`. */
export async function makeMp4(options: { width: number; height: number; seconds: number }): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'marquee-mp4-'));
  try {
    await chmod(ffmpegPath, 0o755).catch(() => undefined);
    const file = path.join(dir, 'sample.mp4');
    await run(ffmpegPath, [
      '-v', 'error', '-f', 'lavfi', '-i', `testsrc=size=${options.width}x${options.height}:rate=10`,
      '-t', String(options.seconds), '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-y', file,
    ]);
    return await readFile(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface StartedUpload {
  id: number;
  bucket: string;
  object_name: string;
  upload_status: string;
  chunk_size: number;
}

/** POST /rest/v1/rpc/start_video_upload as `who`: the status and body. */
export async function startUpload(who: Member, args: Record<string, unknown>): Promise<{ status: number; body: StartedUpload & Record<string, unknown> }> {
  const response = await fetch(`${stackEnv().url}/rest/v1/rpc/start_video_upload`, {
    method: 'POST',
    headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${who.token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': randomIp() },
    body: JSON.stringify({ p_title: 'My Cool Reel', p_post_type: 'reel', p_mime_type: 'video/mp4', p_size_bytes: 1000, ...args }),
  });
  return { status: response.status, body: (await response.json()) as StartedUpload & Record<string, unknown> };
}

const tusUrl = () => `${stackEnv().url}/storage/v1/upload/resumable`;
const tusHeaders = (token: string, extra: Record<string, string> = {}) => ({
  apikey: stackEnv().anonKey, Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0', ...extra,
});
const b64 = (value: string) => Buffer.from(value).toString('base64');

/** TUS creation: the upload's URL, or the refusal's status. */
export async function tusCreate(token: string, bucket: string, name: string, length: number, contentType = 'video/mp4') {
  const response = await fetch(tusUrl(), {
    method: 'POST',
    headers: tusHeaders(token, {
      'Upload-Length': String(length),
      'Upload-Metadata': `bucketName ${b64(bucket)},objectName ${b64(name)},contentType ${b64(contentType)}`,
    }),
  });
  const body = await response.text();
  return { status: response.status, location: response.headers.get('location'), body };
}

/** One TUS PATCH of `chunk` at `offset`. */
export async function tusPatch(token: string, location: string, offset: number, chunk: Uint8Array) {
  const response = await fetch(location, {
    method: 'PATCH',
    headers: tusHeaders(token, { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' }),
    body: chunk,
  });
  const body = await response.text();
  return { status: response.status, offset: Number(response.headers.get('upload-offset') ?? NaN), body };
}

/** TUS HEAD: the offset the server holds (as `owner`). */
export async function tusOffset(token: string, location: string): Promise<number> {
  const response = await fetch(location, { method: 'HEAD', headers: tusHeaders(token) });
  if (response.status !== 200) throw new Error(`HEAD answered ${response.status}`);
  return Number(response.headers.get('upload-offset'));
}

export const CHUNK = 6 * 1024 * 1024;

/** Uploads `bytes` through TUS in 6 MB chunks; the final status. */
export async function tusUpload(token: string, bucket: string, name: string, bytes: Uint8Array, contentType = 'video/mp4'): Promise<number> {
  const created = await tusCreate(token, bucket, name, bytes.byteLength, contentType);
  if (created.status !== 201 || !created.location) return created.status;
  let offset = 0;
  do {
    const reply = await tusPatch(token, created.location, offset, bytes.subarray(offset, offset + CHUNK));
    if (reply.status !== 204) return reply.status;
    offset = reply.offset;
  } while (offset < bytes.byteLength);
  return 204;
}
