import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { createAccount } from './accounts-fixtures.ts';

/**
 * forum_posts.like_count and reply_count stay equal to their rows when 50 users like, unlike and
 * reply at the same time through the whole stack (REST → the RPCs → the counting triggers).
 */
const stack = stackEnv();
const USERS = 50;
let db: pg.Client;
let tokens: string[];

beforeAll(async () => {
  db = await connectAsPostgres();
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await createAccount(db));
  tokens = await Promise.all(users.map((u) => signUserToken(u.id, { user_role: 'visitor', account_status: 'active' })));
}, 120_000);
afterAll(async () => {
  await db.end();
});

async function callRpc(token: string, fn: string, body: Record<string, unknown>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${stack.url}/rest/v1/rpc/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

async function counters(postId: number) {
  const { rows } = await db.query(
    `select p.like_count, p.reply_count,
       (select count(*)::int from public.forum_likes l where l.post_id = p.id) as likes,
       (select count(*)::int from public.forum_replies r where r.post_id = p.id) as replies
     from public.forum_posts p where p.id = $1`,
    [postId],
  );
  return rows[0] as { like_count: number; reply_count: number; likes: number; replies: number };
}

async function newPost(): Promise<number> {
  const author = await createAccount(db);
  return (await db.query<{ id: number }>(`insert into public.forum_posts (created_by, content) values ($1, 'Busy post') returning id::int`, [author.id])).rows[0]!.id;
}

describe('forum counters under concurrency', { timeout: 120_000 }, () => {
  it('50 concurrent likes, then 50 concurrent toggles of which half unlike, leave like_count equal to its rows', async () => {
    const postId = await newPost();
    const liked = await Promise.all(tokens.map((t) => callRpc(t, 'forum_toggle_like', { p_post_id: postId })));
    expect(liked.every((r) => r.status === 200 && (r.body as { isliked: boolean }).isliked)).toBe(true);
    expect(await counters(postId)).toEqual({ like_count: 50, reply_count: 0, likes: 50, replies: 0 });

    // The first 25 unlike while the others' likes are taken back and given again in two rounds.
    const unlike = tokens.slice(0, 25).map((t) => callRpc(t, 'forum_toggle_like', { p_post_id: postId }));
    const flip = tokens.slice(25).map(async (t) => {
      await callRpc(t, 'forum_toggle_like', { p_post_id: postId });
      return callRpc(t, 'forum_toggle_like', { p_post_id: postId });
    });
    const results = await Promise.all([...unlike, ...flip]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(await counters(postId)).toEqual({ like_count: 25, reply_count: 0, likes: 25, replies: 0 });
    // Each answer's `likes` was the count at its moment: never negative, never above 50.
    for (const r of results) expect((r.body as { likes: number }).likes).toBeGreaterThanOrEqual(0);
  });

  it('50 concurrent replies leave reply_count equal to its rows, and each answer lists the reply it made', async () => {
    const postId = await newPost();
    const results = await Promise.all(
      tokens.map((t, i) => callRpc(t, 'forum_reply', { p_post_id: postId, p_reply_content: `reply ${i}` })),
    );
    results.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect((r.body as { replies: { content: string }[] }).replies.map((x) => x.content)).toContain(`reply ${i}`);
    });
    expect(await counters(postId)).toEqual({ like_count: 0, reply_count: 50, likes: 0, replies: 50 });

    await db.query('delete from public.forum_replies where post_id = $1 and content like $2', [postId, 'reply 1%']);
    const after = await counters(postId);
    expect(after.reply_count).toBe(after.replies);
    expect(after.replies).toBe(39);
  });
});
