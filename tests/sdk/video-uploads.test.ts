import { beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, type Marquee, type VideoUploadStatus } from '../../sdk/src/index.ts';
import { createAccount, randomIp, sql } from '../functions/accounts.ts';
import { stackEnv } from '../helpers/env.ts';
import { stored } from '../helpers/posts.ts';
import { makeMp4 } from '../helpers/video-uploads.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { refusal } from './signed-in.ts';

/**
 * The creator's journey through `marquee.videos`: uploadVideo sends a real MP4 in 6 MB TUS chunks
 * (tus-js-client) with progress, the status is followed live (Realtime) and polled until ready, and
 * refusals arrive as MarqueeErrors with the reference's messages.
 */
async function signedIn(role: 'visitor' | 'creator'): Promise<Marquee> {
  const user = await createAccount();
  if (role !== 'visitor') await sql('update public.user_roles set role = $2 where user_id = $1', [user.id, role]);
  const stack = stackEnv();
  const marquee = createMarquee({
    url: stack.url,
    key: stack.anonKey,
    options: {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: ws as never },
      global: { headers: { 'X-Forwarded-For': randomIp() } },
    },
  });
  const { error } = await marquee.supabase.auth.signInWithPassword({ email: user.email, password: user.password });
  if (error) throw error;
  return marquee;
}

let creator: Marquee;
let mp4: Buffer;

beforeAll(async () => {
  creator = await signedIn('creator');
  // Over one 6 MB chunk, so the upload takes two PATCHes and reports progress between them.
  mp4 = await makeMp4({ width: 1280, height: 720, seconds: 1 });
  mp4 = Buffer.concat([mp4, Buffer.alloc(Math.max(0, 6 * 1024 * 1024 + 1024 - mp4.byteLength))]);
});

describe('marquee.videos uploads', { timeout: 90_000 }, () => {
  it('uploadVideo sends the file in 6 MB chunks with progress; polling the status reaches ready with what processing measured', async () => {
    const progress: number[] = [];
    const started = await creator.videos.uploadVideo({
      file: new Uint8Array(mp4), content_type: 'video/mp4', title: 'SDK video', post_type: 'video',
      onProgress: (sent) => progress.push(sent),
    });
    expect(progress.at(-1)).toBe(mp4.byteLength);
    expect(progress).toContain(6 * 1024 * 1024);
    const ready = await waitFor(async () => {
      const status = await creator.videos.uploadStatus({ id: started.id });
      return status.upload_status === 'ready' ? status : null;
    }, { timeoutMs: 30_000 });
    expect(ready).toMatchObject({ video_quality: '720p', thumbnail_path: expect.stringMatching(/\.jpg$/) });
    expect(ready.duration_seconds).toBeGreaterThan(0.5);
    expect(await stored('creator-videos', ready.media_path!)).toBe(true);
    // The videos API streams an uploaded video from the bucket it was uploaded to.
    const stream = await creator.videos.stream({ id: started.id });
    const fetched = await fetch(stream.url);
    expect(fetched.status).toBe(200);
    expect((await fetched.arrayBuffer()).byteLength).toBe(mp4.byteLength);
  });

  it('onUploadStatus hears a change of the row as it happens', async () => {
    const small = await makeMp4({ width: 320, height: 240, seconds: 1 });
    const started = await creator.videos.uploadVideo({ file: small, content_type: 'video/mp4', title: 'Live reel', post_type: 'reel' });
    await waitFor(async () => (await creator.videos.uploadStatus({ id: started.id })).upload_status === 'ready' || null, { timeoutMs: 30_000 });
    const seen: VideoUploadStatus[] = [];
    const stop = await creator.videos.onUploadStatus(started.id, (status) => seen.push(status));
    try {
      // The dashboard fails it (as an admin would): the subscriber hears the new state.
      await sql("update public.posts set upload_status = 'failed' where id = $1", [started.id]);
      const heard = await waitFor(() => seen.find((s) => s.upload_status === 'failed') ?? null, { timeoutMs: 15_000 });
      expect(heard).toMatchObject({ id: started.id, video_quality: '240p' });
    } finally {
      await stop();
    }
  });

  it('refusals: a visitor gets 403, an empty file "No video file provided", a non-video type a field error', async () => {
    const visitor = await signedIn('visitor');
    expect(await refusal(visitor.videos.uploadVideo({ file: mp4, content_type: 'video/mp4', title: 'x', post_type: 'reel' })))
      .toMatchObject({ status: 403, detail: 'Only creators and admins can upload reels and videos.' });
    expect(await refusal(creator.videos.uploadVideo({ file: new Uint8Array(0), content_type: 'video/mp4', title: 'x', post_type: 'reel' })))
      .toMatchObject({ status: 400, fields: { video: ['No video file provided'] } });
    expect(await refusal(creator.videos.uploadVideo({ file: mp4, content_type: 'text/html', title: 'x', post_type: 'reel' })))
      .toMatchObject({ status: 400, fields: { video: ['The file is not a video.'] } });
  });
});
