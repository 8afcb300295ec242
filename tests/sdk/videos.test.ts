import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import type pg from 'pg';
import { createMarquee } from '../../sdk/src/index.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { MP4 } from '../helpers/media-samples.ts';
import { refusal, signedIn, type Signed } from './signed-in.ts';

/**
 * Journeys through `marquee.videos` on the stack: a creator uploads a file, creates a video, edits it,
 * and others list, like, stream and download it; the refusals of 003 (403, 404, 400 fields); likes
 * counted right when many users like at once.
 */
/** Uploads the sample MP4 to the creator's folder of post-videos; its path. */
async function uploadFile(who: Signed): Promise<string> {
  const path = `${who.user.id}/${randomUUID()}.mp4`;
  const { error } = await who.marquee.supabase.storage.from('post-videos').upload(path, new Blob([MP4], { type: 'video/mp4' }), { contentType: 'video/mp4' });
  if (error) throw error;
  return path;
}

let db: pg.Client;
let creator: Signed;
let viewer: Signed;
const signedOut = () => {
  const stack = stackEnv();
  return createMarquee({ url: stack.url, key: stack.anonKey, options: { auth: { persistSession: false }, realtime: { transport: ws as never } } });
};

beforeAll(async () => {
  db = await connectAsPostgres();
  [creator, viewer] = await Promise.all([signedIn('creator'), signedIn()]);
});
afterAll(async () => db?.end());

describe('marquee.videos', () => {
  it('a creator creates, edits and lists a video; others get, like, stream it; downloads only when allowed', async () => {
    const media_path = await uploadFile(creator);
    const video = await creator.marquee.videos.create({ title: `Clip ${randomUUID().slice(0, 6)}`, description: 'moves', media_path, category: 'Dance' });
    expect(video).toMatchObject({ post_type: 'video', visibility: 'public', allow_download: false, category: 'Dance', media_path });

    const listed = await signedOut().videos.list({ uploader: creator.user.username });
    expect(listed.results.map((v) => v.id)).toEqual([video.id]);
    expect(listed).toMatchObject({ count: 1, page: 1, total_pages: 1 });

    expect(await viewer.marquee.videos.like({ id: video.id, is_like: true })).toEqual({ success: true, is_liked: true, like_count: 1 });
    expect((await viewer.marquee.videos.get({ id: video.id })).liked_by_user).toBe(true);

    const stream = await viewer.marquee.videos.stream({ id: video.id });
    expect(Date.parse(stream.expires_at)).toBeGreaterThan(Date.now());
    const played = await fetch(stream.url);
    expect(played.status).toBe(200);
    expect(Buffer.from(await played.arrayBuffer()).equals(MP4)).toBe(true);

    expect(await refusal(viewer.marquee.videos.download({ id: video.id }))).toMatchObject({ status: 403, detail: 'Downloads are not allowed for this video.' });
    await creator.marquee.videos.update({ id: video.id, changes: { allow_download: true } });
    const download = await viewer.marquee.videos.download({ id: video.id });
    const got = await fetch(download.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-disposition') ?? '').toMatch(/attachment/);
    await got.body?.cancel();

    await creator.marquee.videos.update({ id: video.id, changes: { visibility: 'private' } });
    expect(await refusal(viewer.marquee.videos.stream({ id: video.id }))).toMatchObject({ status: 404 });
    expect((await creator.marquee.videos.list({ visibility: 'private' })).results.map((v) => v.id)).toEqual([video.id]);
    // Storage itself refuses to sign the private video's file for the viewer.
    const raw = await viewer.marquee.supabase.storage.from('post-videos').createSignedUrl(media_path, 60);
    expect(raw.data).toBeNull();

    const board = await creator.marquee.videos.dashboard();
    expect(board.results[0]).toMatchObject({ id: video.id, like_count: 1, upload_status: 'ready', visibility: 'private' });
    expect(board.totals).toMatchObject({ videos: 1, reels: 0, likes: 1 });

    expect(await creator.marquee.videos.remove({ id: video.id })).toEqual({ success: true, message: 'Video deleted successfully.' });
    expect(await refusal(creator.marquee.videos.get({ id: video.id }))).toMatchObject({ status: 404 });
  });

  it('a premium-only video is refused to a non-premium reader at every door (is_premium is false until billing)', async () => {
    const media_path = await uploadFile(creator);
    const video = await creator.marquee.videos.create({ title: 'Premium clip', media_path, require_premium: true, allow_download: true });
    expect(await refusal(viewer.marquee.videos.get({ id: video.id }))).toMatchObject({ status: 404 });
    expect(await refusal(viewer.marquee.videos.stream({ id: video.id }))).toMatchObject({ status: 404 });
    expect(await refusal(signedOut().videos.download({ id: video.id }))).toMatchObject({ status: 404 });
    const raw = await viewer.marquee.supabase.storage.from('post-videos').createSignedUrl(media_path, 60);
    expect(raw.data).toBeNull();
    const rest = await viewer.marquee.supabase.from('posts').select('id').eq('id', video.id);
    expect(rest.data).toEqual([]);
    // The owner still streams it.
    expect((await creator.marquee.videos.stream({ id: video.id })).url).toContain('/storage/v1/object/sign/post-videos/');
  });

  it('refuses non-creators (403), bad fields (400 with every field) and strangers editing (403)', async () => {
    expect(await refusal(viewer.marquee.videos.create({ title: 'x', media_path: `${viewer.user.id}/x.mp4` }))).toMatchObject({
      status: 403,
      detail: 'Only creators and admins can create reels and videos.',
    });
    expect(await refusal(creator.marquee.videos.create({ title: '', media_path: `${creator.user.id}/missing.mp4`, visibility: 'secret' as never }))).toMatchObject({
      status: 400,
      fields: { title: ['This field may not be blank.'], visibility: ['"secret" is not a valid choice.'], media_path: ['No video file provided'] },
    });
    const video = await creator.marquee.videos.create({ title: 'Mine', media_path: await uploadFile(creator) });
    expect(await refusal(viewer.marquee.videos.update({ id: video.id, changes: { title: 'hijacked' } }))).toMatchObject({ status: 403 });
    expect(await refusal(viewer.marquee.videos.remove({ id: video.id }))).toMatchObject({ status: 403 });
    expect(await refusal(viewer.marquee.videos.dashboard())).toMatchObject({ status: 403 });
    expect(await refusal(signedOut().videos.like({ id: video.id, is_like: true }))).toMatchObject({ status: 401 });
    expect(await refusal(creator.marquee.videos.list({ ordering: 'best' as never }))).toMatchObject({ status: 400 });
    expect((await creator.marquee.videos.get({ id: video.id })).title).toBe('Mine');
  });

  it('counts likes right when many users like and unlike at once', async () => {
    const video = await creator.marquee.videos.create({ title: 'Popular', media_path: await uploadFile(creator) });
    const fans = await Promise.all(Array.from({ length: 8 }, () => signedIn()));
    const answers = await Promise.all(fans.map((fan) => fan.marquee.videos.like({ id: video.id, is_like: true })));
    expect(answers.map((a) => a.like_count).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await Promise.all(fans.slice(0, 3).map((fan) => fan.marquee.videos.like({ id: video.id, is_like: false })));
    await Promise.all(fans.slice(3, 5).map((fan) => fan.marquee.videos.like({ id: video.id, is_like: true })));
    const { rows } = await db.query('select like_count, (select count(*) from public.post_likes where post_id = $1)::int as likes from public.posts where id = $1', [video.id]);
    expect(rows[0]).toEqual({ like_count: 5, likes: 5 });
  });
});
