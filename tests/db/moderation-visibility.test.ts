import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres, runAs } from '../helpers/db.ts';
import { uniqueTag } from './accounts-fixtures.ts';
import { createCast, MATRIX_ROLES, type Cast, type MatrixRole } from './interactions-fixtures.ts';
import { callAs } from './moderation-fixtures.ts';

/**
 * A post hidden by moderation vanishes for everyone but its author and admins, door by door, as each
 * role of the matrix: the posts table, get_post, the three lists (and their counters), post_media,
 * the post's files in storage.objects, comments and likes on it, and new likes and comments.
 */
let db: pg.Client;
let cast: Cast;
let token: string;
let hidden: number;
let shown: number;
let hiddenReel: number;
const mediaName = () => `${cast.author.id}/${hidden}-1.png`;

const SEES_HIDDEN: Record<MatrixRole, boolean> = {
  anon: false, owner: false, other: false, blocker: false, blocked: false, suspended: false, creator: false, admin: true,
};
// The author is not a matrix role; they are checked on their own below.

beforeAll(async () => {
  db = await connectAsPostgres();
  cast = await createCast(db);
  await db.query(`update public.user_roles set role = 'creator' where user_id = $1`, [cast.author.id]);
  token = `mod${uniqueTag()}`;
  const insert = async (title: string, type = 'post') =>
    Number((await db.query(
      `insert into public.posts (created_by, post_title, post_type, media_path)
       values ($1::uuid, $2, $3::public.post_type, case when $3::text = 'reel' then $1::text || '/r.mp4' end) returning id`,
      [cast.author.id, title, type],
    )).rows[0].id);
  hidden = await insert(`${token} hidden`);
  shown = await insert(`${token} shown`);
  hiddenReel = await insert(`${token} reel`, 'reel');
  await db.query(`insert into public.comments (post_id, created_by, comment) values ($1, $2, 'before the hide')`, [hidden, cast.users.other.id]);
  await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [hidden, cast.users.other.id]);
  await db.query(
    `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
     values ($1, 1, 'image', 'post-images', $2, 'image/png', 100)`,
    [hidden, mediaName()],
  );
  await db.query(`insert into storage.objects (bucket_id, name, owner) values ('post-images', $1, $2)`, [mediaName(), cast.author.id]);
  await db.query('update public.posts set moderation_hidden_at = now() where id = any ($1)', [[hidden, hiddenReel]]);
});
afterAll(async () => {
  await db.end();
});

const rows = (role: MatrixRole | 'author', sql: string, params: unknown[] = []) =>
  runAs(db, role === 'author' ? authorActor() : cast.actor(role), async (c) => (await c.query(sql, params)).rows);
const authorActor = () => ({ ...cast.actor('owner'), id: cast.author.id, claims: { ...cast.actor('owner').claims, sub: cast.author.id, user_role: 'creator' } });

describe.each([...MATRIX_ROLES, 'author' as const])('as %s', (role) => {
  const sees = role === 'author' || SEES_HIDDEN[role as MatrixRole];
  const readsAuthor = !['blocker', 'blocked'].includes(role);

  it(`${sees ? 'reads' : 'does not read'} the hidden post, its media, file, comments and likes`, async () => {
    expect(await rows(role, 'select id from public.posts where id = $1', [hidden])).toHaveLength(sees ? 1 : 0);
    expect(await rows(role, 'select 1 from public.post_media where post_id = $1', [hidden])).toHaveLength(sees ? 1 : 0);
    expect(await rows(role, `select 1 from storage.objects where bucket_id = 'post-images' and name = $1`, [mediaName()])).toHaveLength(sees ? 1 : 0);
    expect(await rows(role, 'select 1 from public.comments where post_id = $1', [hidden])).toHaveLength(sees ? 1 : 0);
    expect(await rows(role, 'select 1 from public.post_likes where post_id = $1', [hidden])).toHaveLength(sees ? 1 : 0);
    // the shown post of the same author stays as the other rules make it
    expect(await rows(role, 'select id from public.posts where id = $1', [shown])).toHaveLength(readsAuthor ? 1 : 0);
  });

  it(`get_post ${sees ? 'answers it' : 'answers 404'}`, async () => {
    const outcome = await runAs(db, role === 'author' ? authorActor() : cast.actor(role), async (c) => {
      try {
        return (await c.query('select public.get_post($1) as r', [hidden])).rows[0].r.id as number;
      } catch (error) {
        return (error as { code: string }).code;
      }
    });
    expect(outcome).toBe(sees ? hidden : 'PT404');
  });

  it('no list shows it, not even to its author or an admin', async () => {
    const list = (await rows(role, `select public.list_posts(1, 100, $1) as r`, [token]))[0].r as { count: number; results: { id: number }[] };
    expect(list.results.map((p) => p.id)).not.toContain(hidden);
    expect(list.count).toBe(list.results.length);
    if (readsAuthor && role !== 'suspended') expect(list.results.map((p) => p.id)).toContain(shown);
    const reels = (await rows(role, 'select public.list_reels(1, 100) as r'))[0].r as { results: { post: number }[] };
    expect(reels.results.map((p) => p.post)).not.toContain(hiddenReel);
    const own = (await rows(role, 'select public.list_user_posts($1, 1, 100) as r', [cast.author.id]))[0].r as { count: number; results: { id: number }[] };
    expect(own.results.map((p) => p.id).includes(hidden)).toBe(role === 'author');
    expect(own.count).toBe(own.results.length);
  });
});

describe('new likes and comments on a hidden post', () => {
  it('are refused for everyone: its author and admins are told why, others get 404, postgres too is refused', async () => {
    const author = authorActor();
    expect((await callAs(db, author, 'select public.like_post($1)', [hidden])).error).toMatchObject({
      code: '42501', message: 'This post is hidden by moderation.',
    });
    expect((await callAs(db, author, `select public.add_comment($1, 'mine')`, [hidden])).error).toMatchObject({
      code: '42501', message: 'This post is hidden by moderation.',
    });
    expect((await callAs(db, cast.actor('admin'), `insert into public.post_likes (post_id) values ($1)`, [hidden])).error).toMatchObject({
      code: '42501', message: 'This post is hidden by moderation.',
    });
    expect((await callAs(db, cast.actor('other'), `insert into public.comments (post_id, comment) values ($1, 'x')`, [hidden])).error).toMatchObject({
      code: 'PT404', message: 'Not found.',
    });
    expect((await callAs(db, cast.actor('creator'), 'select public.like_post($1)', [hidden])).error).toMatchObject({ code: 'PT404' });
    await expect(
      db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [hidden, cast.users.creator.id]),
    ).rejects.toMatchObject({ message: 'This post is hidden by moderation.' });
    const { rows: counts } = await db.query('select like_count, comment_count from public.posts where id = $1', [hidden]);
    expect(counts[0]).toEqual({ like_count: 1, comment_count: 1 });
  });
});

describe('the list counters', () => {
  it('count only posts not hidden by moderation, through hides and unhides', async () => {
    const consistent = async () =>
      (await db.query(
        `select (select sum(listable) from private.post_list_counters where post_type = 'post')::bigint =
                (select count(*) from public.posts where post_type = 'post' and visibility = 'public' and author_active and moderation_hidden_at is null) as ok`,
      )).rows[0].ok as boolean;
    expect(await consistent()).toBe(true);
    await db.query('update public.posts set moderation_hidden_at = null where id = $1', [hidden]);
    expect(await consistent()).toBe(true);
    await db.query('update public.posts set moderation_hidden_at = now() where id = $1', [hidden]);
    expect(await consistent()).toBe(true);
  });
});
