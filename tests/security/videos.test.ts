import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../functions/accounts.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { MP4 } from '../helpers/media-samples.ts';
import { member, readable, upload, type Member } from '../helpers/posts.ts';
import { rawRest } from '../helpers/raw-rest.ts';

/**
 * The videos API's walls as a hostile client meets them: raw REST on posts and the RPCs, raw
 * Storage on the video files (private, premium, a post naming someone else's file), and the
 * dashboard (`postgres`) to see that nothing changed.
 */
let db: pg.Client;
let owner: Member;
let creator: Member;
let visitor: Member;
let blocked: Member;
const files = {} as Record<'public' | 'private' | 'premium' | 'unlisted', string>;
const ids = {} as Record<keyof typeof files, number>;

async function videoWithFile(who: Member, fields: Record<string, unknown>): Promise<[number, string]> {
  const path = `${who.user.id}/${randomUUID()}.mp4`;
  const error = await upload(who, 'post-videos', path, MP4, 'video/mp4');
  if (error) throw error;
  const reply = await rawRest('POST', 'rpc/create_video', who.token, { p_video: { title: 'v', media_path: path, ...fields } });
  if (reply.status !== 200) throw new Error(JSON.stringify(reply));
  return [(reply.body as { id: number }).id, path];
}

beforeAll(async () => {
  db = await connectAsPostgres();
  [owner, creator, visitor, blocked] = await Promise.all([member('creator'), member('creator'), member(), member()]);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocked.user.id, owner.user.id]);
  [ids.public, files.public] = await videoWithFile(owner, {});
  [ids.private, files.private] = await videoWithFile(owner, { visibility: 'private' });
  [ids.premium, files.premium] = await videoWithFile(owner, { require_premium: true, allow_download: true });
  [ids.unlisted, files.unlisted] = await videoWithFile(owner, { visibility: 'unlisted' });
});
afterAll(async () => db?.end());

describe('video files through raw Storage', () => {
  it('are readable exactly when their video is: public and unlisted yes, private and premium only for the owner, nothing across a block', async () => {
    expect(await readable(null, 'post-videos', files.public)).toBe(true);
    expect(await readable(visitor, 'post-videos', files.unlisted)).toBe(true);
    expect(await readable(visitor, 'post-videos', files.private)).toBe(false);
    expect(await readable(null, 'post-videos', files.premium)).toBe(false);
    expect(await readable(visitor, 'post-videos', files.premium)).toBe(false);
    expect(await readable(blocked, 'post-videos', files.public)).toBe(false);
    expect(await readable(owner, 'post-videos', files.premium)).toBe(true);
  });

  it("a video naming someone else's file does not open that file to its readers", async () => {
    const reply = await rawRest('POST', 'posts', creator.token, { post_title: 'borrowed', post_type: 'video', media_path: files.private });
    expect(reply.status).toBe(201);
    expect(await readable(visitor, 'post-videos', files.private)).toBe(false);
    expect(await readable(creator, 'post-videos', files.private)).toBe(false);
    const viaRpc = await rawRest('POST', 'rpc/create_video', creator.token, { p_video: { title: 'x', media_path: files.private } });
    expect(viaRpc.status).toBe(400);
    expect(JSON.parse((viaRpc.body as { details: string }).details)).toEqual({ media_path: ['No video file provided'] });
  });
});

describe('video rows and RPCs through raw REST', () => {
  it('a premium or private video is invisible to REST and every RPC for others', async () => {
    for (const id of [ids.premium, ids.private]) {
      expect((await rawRest('GET', `posts?id=eq.${id}&select=id`, visitor.token)).body).toEqual([]);
      expect((await rawRest('GET', `posts?id=eq.${id}&select=id`, null)).body).toEqual([]);
      for (const fn of ['get_video', 'video_stream', 'video_download']) {
        expect((await rawRest('POST', `rpc/${fn}`, visitor.token, { p_video_id: id })).status).toBe(404);
      }
      expect((await rawRest('POST', 'rpc/like_video', visitor.token, { p_video_id: id, p_is_like: true })).status).toBe(404);
      expect((await rawRest('POST', 'post_likes', visitor.token, { post_id: id })).status).toBe(403);
    }
    expect((await rawRest('POST', 'rpc/get_video', owner.token, { p_video_id: ids.premium })).status).toBe(200);
  });

  it("another user cannot flip a video's premium, download or visibility flags, or its server-kept columns", async () => {
    const before = await sql('select visibility, require_premium, allow_download, upload_status from public.posts where id = $1', [ids.public]);
    const patch = await rawRest('PATCH', `posts?id=eq.${ids.public}`, visitor.token, { require_premium: true, allow_download: true, visibility: 'private' });
    expect(patch.body).toEqual([]);
    const status = await rawRest('PATCH', `posts?id=eq.${ids.public}`, owner.token, { upload_status: 'failed' });
    expect([401, 403]).toContain(status.status);
    const viaRpc = await rawRest('POST', 'rpc/update_video', visitor.token, { p_video_id: ids.public, p_changes: { title: 'mine' } });
    expect(viaRpc.status).toBe(403);
    expect(await sql('select visibility, require_premium, allow_download, upload_status from public.posts where id = $1', [ids.public])).toEqual(before);
  });

  it('unlisted and private videos never reach list_videos for anyone else', async () => {
    for (const token of [null, visitor.token, creator.token]) {
      for (const visibility of [null, 'public', 'unlisted', 'private']) {
        const reply = await rawRest('POST', 'rpc/list_videos', token, { p_uploader: owner.user.username, p_visibility: visibility });
        const listed = (reply.body as { results: { id: number }[] }).results.map((r) => r.id);
        expect(listed).not.toContain(ids.unlisted);
        expect(listed).not.toContain(ids.private);
        expect(listed).not.toContain(ids.premium);
      }
    }
  });

  it('downloads, the dashboard and likes answer 401 / 403 / 400 in the project style', async () => {
    expect(await rawRest('POST', 'rpc/video_download', visitor.token, { p_video_id: ids.public })).toMatchObject({
      status: 403,
      body: { message: 'Downloads are not allowed for this video.' },
    });
    expect((await rawRest('POST', 'rpc/video_download', null, { p_video_id: ids.public })).status).toBe(401);
    expect((await rawRest('POST', 'rpc/creator_dashboard', visitor.token, {})).status).toBe(403);
    expect((await rawRest('POST', 'rpc/creator_dashboard', null, {})).status).toBe(401);
    expect((await rawRest('POST', 'rpc/like_video', null, { p_video_id: ids.public, p_is_like: true })).status).toBe(401);
    expect((await rawRest('POST', 'rpc/like_video', visitor.token, { p_video_id: ids.public, p_is_like: null })).status).toBe(400);
    expect(await sql('select count(*)::int as n from public.post_likes where post_id = $1', [ids.public])).toEqual([{ n: 0 }]);
  });

  it('a suspended creator can neither create nor edit videos', async () => {
    const suspended = await member('creator');
    await sql(`update public.profiles set status = 'suspended' where id = $1`, [suspended.user.id]);
    expect((await rawRest('POST', 'rpc/create_video', suspended.token, { p_video: { title: 'x', media_path: `${suspended.user.id}/x.mp4` } })).status).toBe(403);
    expect((await rawRest('POST', 'rpc/creator_dashboard', suspended.token, {})).status).toBe(403);
  });
});
