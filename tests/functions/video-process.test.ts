import { beforeAll, describe, expect, it } from 'vitest';
import { call, sql } from './accounts.ts';
import { member, stored, type Member } from '../helpers/posts.ts';
import { makeMp4, startUpload, tusUpload } from '../helpers/video-uploads.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * The whole upload journey on Marquee Local with a real MP4: reserve (start_video_upload), TUS in
 * 6 MB chunks, video-process, then the video processor (ffprobe/ffmpeg) marks it ready with the
 * measured duration, the quality from the frame height and a stored thumbnail, and the uploader is
 * notified. A missing file or a file that is not a video is refused and changes nothing.
 */
let creator: Member;
let mp4: Buffer;

beforeAll(async () => {
  creator = await member('creator');
  mp4 = await makeMp4({ width: 640, height: 480, seconds: 2 });
});

const postRow = async (id: number) =>
  (await sql<{ upload_status: string; duration_seconds: string | null; video_quality: string | null; thumbnail_path: string | null }>(
    'select upload_status, duration_seconds, video_quality, thumbnail_path from public.posts where id = $1', [id]))[0]!;

describe('video-process', { timeout: 60_000 }, () => {
  it('a real MP4 goes uploading → processing → ready with duration, quality and thumbnail, and the uploader is notified', async () => {
    const started = await startUpload(creator, { p_size_bytes: mp4.byteLength, p_title: 'Sample reel' });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ bucket: 'creator-videos', upload_status: 'uploading', chunk_size: 6 * 1024 * 1024 });
    expect((await postRow(started.body.id)).upload_status).toBe('uploading');

    expect(await tusUpload(creator.token, 'creator-videos', started.body.object_name, mp4)).toBe(204);
    const reply = await call(`video-process`, { id: started.body.id }, { token: creator.token });
    expect(reply).toMatchObject({ status: 202, body: { id: started.body.id, upload_status: 'processing' } });

    const ready = await waitFor(async () => {
      const row = await postRow(started.body.id);
      return row.upload_status === 'ready' ? row : null;
    }, { timeoutMs: 30_000 });
    expect(Number(ready.duration_seconds)).toBeCloseTo(2, 1);
    expect(ready.video_quality).toBe('480p');
    expect(ready.thumbnail_path).toBe(`${creator.user.id}/${started.body.id}.jpg`);
    expect(await stored('video-thumbnails', ready.thumbnail_path!)).toBe(true);
    const notes = await sql("select message, page_item_id from public.notifications where user_id = $1 and message like 'Your reel%'", [creator.user.id]);
    expect(notes).toEqual([expect.objectContaining({ message: 'Your reel "Sample reel" is ready.', page_item_id: String(started.body.id) })]);
  });

  it('"No video file provided" when nothing was uploaded; the post stays uploading', async () => {
    const started = await startUpload(creator, {});
    const reply = await call('video-process', { id: started.body.id }, { token: creator.token });
    expect(reply).toMatchObject({ status: 400, body: { video: ['No video file provided'] } });
    expect((await postRow(started.body.id)).upload_status).toBe('uploading');
  });

  it('a file that is not a video is refused and removed; the post stays uploading', async () => {
    const html = Buffer.from('<!doctype html><html><body>not a video</body></html>');
    const started = await startUpload(creator, { p_size_bytes: html.byteLength });
    expect(await tusUpload(creator.token, 'creator-videos', started.body.object_name, html)).toBe(204);
    const reply = await call('video-process', { id: started.body.id }, { token: creator.token });
    expect(reply).toMatchObject({ status: 400, body: { video: ['The file is not a video.'] } });
    expect((await postRow(started.body.id)).upload_status).toBe('uploading');
    expect(await stored('creator-videos', started.body.object_name)).toBe(false);
  });

  it('bytes that only look like a video fail in processing, with the post marked failed', async () => {
    // An ftyp box and nothing playable: the signature passes, ffprobe finds no video stream.
    const fake = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.alloc(4), Buffer.from('isomavc1'), Buffer.alloc(64)]);
    const started = await startUpload(creator, { p_size_bytes: fake.byteLength });
    expect(await tusUpload(creator.token, 'creator-videos', started.body.object_name, fake)).toBe(204);
    const reply = await call('video-process', { id: started.body.id }, { token: creator.token });
    expect(reply.status).toBe(202);
    await waitFor(async () => (await postRow(started.body.id)).upload_status === 'failed' || null, { timeoutMs: 30_000 });
    const row = await postRow(started.body.id);
    expect(row).toMatchObject({ duration_seconds: null, video_quality: null, thumbnail_path: null });
  });

  it('someone else\'s upload is 404 and a second call 409; a bad id is 400', async () => {
    const started = await startUpload(creator, { p_size_bytes: mp4.byteLength });
    const other = await member('creator');
    expect(await tusUpload(creator.token, 'creator-videos', started.body.object_name, mp4)).toBe(204);
    expect(await call('video-process', { id: started.body.id }, { token: other.token })).toMatchObject({ status: 404 });
    expect((await postRow(started.body.id)).upload_status).toBe('uploading');
    expect(await call('video-process', { id: started.body.id }, { token: creator.token })).toMatchObject({ status: 202 });
    expect(await call('video-process', { id: started.body.id }, { token: creator.token })).toMatchObject({ status: 409 });
    expect(await call('video-process', { id: 'x' }, { token: creator.token })).toMatchObject({ status: 400, body: { id: ['A valid integer is required.'] } });
    expect(await call('video-process', { id: started.body.id })).toMatchObject({ status: 401 });
  });
});
