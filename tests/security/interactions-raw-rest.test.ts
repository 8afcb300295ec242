/**
 * Hostile clients against post interactions (issue 8, item 6): raw REST inserts that bypass the
 * RPCs, forged owners, back-dated views, counters written by hand, bad input, and the RPCs called
 * over raw HTTP. Each refusal changes nothing; each allowed raw write has the RPC's side effects
 * (counter, notification), because those live in triggers.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { rawRest } from '../helpers/raw-rest.ts';
import { block, countersOf, createPost, rowCountsOf, signedIn, type SignedIn } from '../db/interactions-fixtures.ts';


const rest = rawRest;

let db: pg.Client;
let author: SignedIn;
let fan: SignedIn;
let post: number;
beforeAll(async () => {
  db = await connectAsPostgres();
  [author, fan] = [await signedIn(db), await signedIn(db)];
  post = await createPost(db, author);
});
afterAll(async () => {
  await db.end();
});

async function likeNotifications(user: SignedIn): Promise<number> {
  const { rows } = await db.query(`select count(*)::int as n from public.notifications where user_id = $1 and notification_type = 'like'`, [user.id]);
  return rows[0].n as number;
}

describe('raw REST inserts', () => {
  it('a like inserted directly counts and notifies like the RPC; a second is 409 and changes nothing', async () => {
    const first = await rest('POST', 'post_likes', fan.token, { post_id: post });
    expect(first.status).toBe(201);
    expect(first.body).toEqual([expect.objectContaining({ post_id: post, user_id: fan.id })]);
    expect(await countersOf(db, post)).toMatchObject({ like_count: 1 });
    expect(await likeNotifications(author)).toBe(1);
    const again = await rest('POST', 'post_likes', fan.token, { post_id: post });
    expect(again).toMatchObject({ status: 409, body: { code: '23505' } });
    expect(await countersOf(db, post)).toEqual(await rowCountsOf(db, post));
    expect(await likeNotifications(author)).toBe(1);
    expect((await rest('DELETE', `post_likes?post_id=eq.${post}`, fan.token)).status).toBe(200);
    expect(await countersOf(db, post)).toMatchObject({ like_count: 0 });
  });

  it.each([
    ['post_likes', (u: string, p: number) => ({ post_id: p, user_id: u })],
    ['post_hides', (u: string, p: number) => ({ post_id: p, user_id: u })],
    ['post_reports', (u: string, p: number) => ({ post_id: p, user_id: u, reason: 'spam' })],
    ['comments', (u: string, p: number) => ({ post_id: p, created_by: u, comment: 'forged' })],
    ['post_views', (u: string, p: number) => ({ post_id: p, viewer_id: u })],
  ])('%s: a row forged in another user\'s name is 403 and nothing is written', async (table, row) => {
    const victim = await signedIn(db);
    const refused = await rest('POST', table, fan.token, row(victim.id, post));
    expect(refused).toMatchObject({ status: 403, body: { code: '42501' } });
    const owner = table === 'comments' ? 'created_by' : table === 'post_views' ? 'viewer_id' : 'user_id';
    const { rows } = await db.query(`select count(*)::int as n from public.${table} where ${owner} = $1`, [victim.id]);
    expect(rows[0].n).toBe(0);
  });

  it('a back-dated view is 403; a plain one is stamped today (UTC) and counted once', async () => {
    const viewer = await signedIn(db);
    const p = await createPost(db, author);
    expect(await rest('POST', 'post_views', viewer.token, { post_id: p, viewed_on: '2001-01-01' })).toMatchObject({ status: 403 });
    expect((await rest('POST', 'post_views', viewer.token, { post_id: p })).status).toBe(201);
    expect(await rest('POST', 'post_views', viewer.token, { post_id: p })).toMatchObject({ status: 409 });
    expect(await countersOf(db, p)).toMatchObject({ view_count: 1 });
  });

  it('a like or comment on the post of a user in a block, either way, is 403 and changes nothing', async () => {
    const [blocker, blocked] = [await signedIn(db), await signedIn(db)];
    const p = await createPost(db, author);
    await block(db, blocker, author);
    await block(db, author, blocked);
    for (const user of [blocker, blocked]) {
      expect(await rest('POST', 'post_likes', user.token, { post_id: p })).toMatchObject({ status: 403, body: { code: '42501' } });
      expect(await rest('POST', 'comments', user.token, { post_id: p, comment: 'hi' })).toMatchObject({ status: 403, body: { code: '42501' } });
    }
    expect(await rowCountsOf(db, p)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
    expect(await countersOf(db, p)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
  });

  it('anon and a suspended account write nothing', async () => {
    const suspended = await signedIn(db, { status: 'suspended' });
    const p = await createPost(db, author);
    expect(await rest('POST', 'post_likes', null, { post_id: p })).toMatchObject({ status: 401 });
    expect(await rest('POST', 'post_likes', suspended.token, { post_id: p })).toMatchObject({ status: 403 });
    expect(await rest('POST', 'comments', suspended.token, { post_id: p, comment: 'hi' })).toMatchObject({ status: 403 });
    expect(await rowCountsOf(db, p)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
  });

  it.each([
    ['an empty comment', { comment: '' }],
    ['a comment of white space', { comment: ' \n\t ' }],
    ['a comment over 2000 characters', { comment: 'x'.repeat(2001) }],
  ])('%s is 400 and nothing is written', async (_name, body) => {
    const p = await createPost(db, author);
    const refused = await rest('POST', 'comments', fan.token, { post_id: p, ...body });
    expect(refused).toMatchObject({ status: 400, body: { code: '23514' } });
    expect(await rowCountsOf(db, p)).toMatchObject({ comment_count: 0 });
  });

  it('a report reason outside the six is 400 and nothing is written', async () => {
    const p = await createPost(db, author);
    expect(await rest('POST', 'post_reports', fan.token, { post_id: p, reason: 'boring' })).toMatchObject({ status: 400, body: { code: '22P02' } });
    expect(await rest('POST', 'post_reports', fan.token, { post_id: p, reason: 'spam', description: 'x'.repeat(1001) })).toMatchObject({ status: 400 });
    const { rows } = await db.query('select count(*)::int as n from public.post_reports where post_id = $1', [p]);
    expect(rows[0].n).toBe(0);
  });
});

describe('counters and rows are not the client\'s to edit', () => {
  it.each(['like_count', 'comment_count', 'view_count'])('PATCH posts.%s is refused, even by the author', async (column) => {
    const p = await createPost(db, author);
    const refused = await rest('PATCH', `posts?id=eq.${p}`, author.token, { [column]: 999 });
    expect(refused).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(await countersOf(db, p)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
  });

  it.each([
    ['post_likes', 'user_id'],
    ['comments', 'created_by'],
  ])('PATCH %s (moving your row to another post) is refused', async (table, owner) => {
    const [p, q] = [await createPost(db, author), await createPost(db, author)];
    await db.query(`insert into public.${table} (post_id, ${owner}${table === 'comments' ? ', comment' : ''}) values ($1, $2${table === 'comments' ? `, 'hi'` : ''})`, [p, fan.id]);
    const refused = await rest('PATCH', `${table}?post_id=eq.${p}&${owner}=eq.${fan.id}`, fan.token, { post_id: q });
    expect(refused).toMatchObject({ status: 403, body: { code: '42501' } });
    expect([await rowCountsOf(db, p), await rowCountsOf(db, q)]).toEqual([await countersOf(db, p), await countersOf(db, q)]);
  });

  it('another user\'s hides, reports and views are invisible through REST', async () => {
    const p = await createPost(db, author);
    const snoop = await signedIn(db);
    await db.query('insert into public.post_hides (post_id, user_id) values ($1, $2)', [p, fan.id]);
    await db.query(`insert into public.post_reports (post_id, user_id, reason) values ($1, $2, 'spam')`, [p, fan.id]);
    await db.query('insert into public.post_views (post_id, viewer_id) values ($1, $2)', [p, fan.id]);
    for (const table of ['post_hides', 'post_reports', 'post_views']) {
      expect(await rest('GET', `${table}?post_id=eq.${p}`, snoop.token)).toEqual({ status: 200, body: [] });
      expect(((await rest('GET', `${table}?post_id=eq.${p}`, fan.token)).body as unknown[]).length).toBe(1);
    }
  });

  it('another user\'s comment cannot be deleted through REST (0 rows) nor the RPC (404)', async () => {
    const p = await createPost(db, author);
    const { rows } = await db.query(`insert into public.comments (post_id, created_by, comment) values ($1, $2, 'mine') returning id`, [p, fan.id]);
    const id = Number(rows[0].id);
    const snoop = await signedIn(db);
    expect(await rest('DELETE', `comments?id=eq.${id}`, snoop.token)).toEqual({ status: 200, body: [] });
    expect(await rest('POST', 'rpc/delete_comment', snoop.token, { p_comment_id: id })).toMatchObject({
      status: 404,
      body: { message: "Comment not found or you don't have permission to delete it." },
    });
    expect(await countersOf(db, p)).toMatchObject({ comment_count: 1 });
  });
});

describe('the RPCs over raw HTTP', () => {
  it('answer 000\'s statuses: 200 then 400 for a duplicate like, 204 for unlike, 404 for none, 401 for anon', async () => {
    const p = await createPost(db, author);
    expect(await rest('POST', 'rpc/like_post', fan.token, { p_post_id: p })).toMatchObject({ status: 200, body: { post: p, user: fan.id } });
    expect(await rest('POST', 'rpc/like_post', fan.token, { p_post_id: p })).toMatchObject({
      status: 400,
      body: { message: 'You already liked this post.' },
    });
    expect(await rest('POST', 'rpc/unlike_post', fan.token, { p_post_id: p })).toEqual({ status: 204, body: null });
    expect(await rest('POST', 'rpc/unlike_post', fan.token, { p_post_id: p })).toMatchObject({ status: 404, body: { message: 'Not found.' } });
    expect(await rest('POST', 'rpc/like_post', null, { p_post_id: p })).toMatchObject({ status: 401 });
    const blank = await rest('POST', 'rpc/add_comment', fan.token, { p_post_id: p, p_comment: ' ' });
    expect(blank).toMatchObject({ status: 400, body: { code: '23514' } });
    expect(JSON.parse((blank.body as { details: string }).details)).toEqual({ comment: ['This field may not be blank.'] });
    expect(await rowCountsOf(db, p)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
  });

  it('lists are readable signed out, and a post across a block is 404 for both sides', async () => {
    const p = await createPost(db, author);
    const blocked = await signedIn(db);
    await block(db, author, blocked);
    expect(await rest('POST', 'rpc/list_post_comments', null, { p_post_id: p })).toMatchObject({ status: 200, body: { count: 0, page_size: 10 } });
    expect(await rest('POST', 'rpc/list_post_likers', null, { p_post_id: p })).toMatchObject({ status: 200, body: { count: 0 } });
    expect(await rest('POST', 'rpc/list_post_comments', blocked.token, { p_post_id: p })).toMatchObject({ status: 404 });
    expect(await rest('POST', 'rpc/list_post_likers', blocked.token, { p_post_id: p })).toMatchObject({ status: 404 });
  });
});
