import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres, sqlstateOf } from '../helpers/db.ts';
import { member, newPost, type Member } from '../helpers/posts.ts';
import { sql } from '../functions/accounts.ts';

/**
 * Posts through raw REST (supabase-js without the SDK) and as postgres: the walls hold without the
 * SDK's checks — reels and videos by creators and admins only (the live role, not the token), the
 * database's own limits on titles, captions, types and YouTube ids, and post_media written by the
 * service only. Every refusal changes nothing.
 */
let visitor: Member;
let creator: Member;
let admin: Member;
let db: pg.Client;

beforeAll(async () => {
  [visitor, creator, admin] = await Promise.all([member(), member('creator'), member('admin')]);
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

const countOf = async (who: Member) =>
  (await sql<{ n: number }>('select count(*)::int as n from public.posts where created_by = $1', [who.user.id]))[0]!.n;

describe('reels and videos: creators and admins only, through every door', { timeout: 60_000 }, () => {
  it.each(['reel', 'video'] as const)('a visitor inserting a %s through REST: 403 with the reason, nothing written', async (post_type) => {
    const before = await countOf(visitor);
    const { error, status } = await visitor.client.from('posts').insert({ post_title: 'Mine', post_type, media_path: `${visitor.user.id}/v.mp4` });
    expect({ status, code: error?.code, message: error?.message }).toEqual({
      status: 403,
      code: '42501',
      message: 'Only creators and admins can create reels and videos.',
    });
    expect(await countOf(visitor)).toBe(before);
  });

  it.each([
    ['creator', () => creator],
    ['admin', () => admin],
  ])('a %s may create both through REST', async (_, who) => {
    for (const post_type of ['reel', 'video']) {
      const { data, error } = await who().client.from('posts').insert({ post_title: 'Ours', post_type, media_path: `${who().user.id}/v.mp4` }).select('post_type').single();
      expect(error).toBeNull();
      expect(data).toEqual({ post_type });
    }
  });

  it('a visitor cannot turn a post into a reel afterwards (the type is set once)', async () => {
    const id = await newPost(visitor);
    const { error } = await visitor.client.from('posts').update({ post_type: 'reel', media_path: 'x/v.mp4' } as never).eq('id', id);
    expect(error?.code).toBe('42501');
    expect(await sql('select post_type::text from public.posts where id = $1', [id])).toEqual([{ post_type: 'post' }]);
  });

  it('a creator whose role was taken away cannot use the token that still says creator', async () => {
    const demoted = await member('creator');
    await sql(`update public.user_roles set role = 'visitor' where user_id = $1`, [demoted.user.id]);
    const { error } = await demoted.client.from('posts').insert({ post_title: 'Late', post_type: 'reel', media_path: `${demoted.user.id}/v.mp4` });
    expect(error?.code).toBe('42501');
    expect(await countOf(demoted)).toBe(0);
  });

  it('as postgres (the dashboard), a reel or video for a visitor author is refused', async () => {
    const before = await countOf(visitor);
    for (const type of ['reel', 'video']) {
      const state = await sqlstateOf(
        db.query(`insert into public.posts (created_by, post_title, post_type, media_path) values ($1, 'x', $2::public.post_type, 'x/v.mp4')`, [visitor.user.id, type]),
      );
      expect(state).toBe('42501');
    }
    expect(await countOf(visitor)).toBe(before);
    const made = await db.query(`insert into public.posts (created_by, post_title, post_type, media_path) values ($1, 'x', 'video', 'x/v.mp4') returning id`, [creator.user.id]);
    expect(made.rowCount).toBe(1);
  });
});

describe("bad input through REST: the database's own limits, 400, nothing written", { timeout: 60_000 }, () => {
  it.each([
    ['an empty title', { post_title: '   ' }, '23514'],
    ['a 151-character title', { post_title: 'x'.repeat(151) }, '23514'],
    ['a 5001-character caption', { post_title: 't', post_description: 'x'.repeat(5001) }, '23514'],
    ['an unknown type', { post_title: 't', post_type: 'story' }, '22P02'],
    ['a YouTube id that is not one', { post_title: 't', post_type: 'youtube_video', youtube_id: 'dQw4w9WgXc!' }, '23514'],
    ['a YouTube link instead of an id', { post_title: 't', post_type: 'youtube_reel', youtube_id: 'https://youtu.be/dQw4w9WgXcQ' }, '23514'],
    ['a YouTube post without an id', { post_title: 't', post_type: 'youtube_video' }, '23514'],
    ['a YouTube id on a plain post', { post_title: 't', youtube_id: 'dQw4w9WgXcQ' }, '23514'],
  ])('%s', async (_, row, code) => {
    const before = await countOf(visitor);
    const { error, status } = await visitor.client.from('posts').insert(row as never);
    expect({ status, code: error?.code }).toEqual({ status: 400, code });
    expect(await countOf(visitor)).toBe(before);
  });

  it('a valid YouTube post is accepted', async () => {
    const { data, error } = await visitor.client.from('posts').insert({ post_title: 't', post_type: 'youtube_reel', youtube_id: 'aBcDeFgHi_-' }).select('youtube_id').single();
    expect(error).toBeNull();
    expect(data).toEqual({ youtube_id: 'aBcDeFgHi_-' });
  });
});

describe('post_media is written by the service only', { timeout: 60_000 }, () => {
  it('an author inserting or editing media rows through REST is refused', async () => {
    const id = await newPost(visitor);
    const row = { post_id: id, position: 1, kind: 'image', bucket_id: 'post-images', object_name: `${visitor.user.id}/x.png`, mime_type: 'image/png', size_bytes: 10 };
    const inserted = await visitor.client.from('post_media').insert(row as never);
    expect({ status: inserted.status, code: inserted.error?.code }).toEqual({ status: 403, code: '42501' });
    const anon = await anonClient().from('post_media').insert(row as never);
    expect({ status: anon.status, code: anon.error?.code }).toEqual({ status: 401, code: '42501' });
    expect(await sql('select count(*)::int as n from public.post_media where post_id = $1', [id])).toEqual([{ n: 0 }]);
  });

  it('the service attach RPC is out of reach of clients', async () => {
    const { error } = await (visitor.client as unknown as { schema: (s: string) => typeof visitor.client }).schema('service').rpc('attach_post_object' as never, {} as never);
    expect(error).not.toBeNull();
    expect(await sql(`select has_function_privilege('authenticated', 'service.attach_post_object(uuid, bigint, text, text, text)', 'execute') as ok`)).toEqual([{ ok: false }]);
  });
});
