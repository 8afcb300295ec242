import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, userClient } from '../helpers/clients.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { accessToken, createAccount, sql, type TestUser } from '../functions/accounts.ts';

/**
 * The forum's walls against a hostile client using raw supabase-js (REST) instead of the SDK: a block
 * hides posts, replies and likes both ways and refuses replies and likes across it; anon and
 * suspended accounts read and write nothing; counters and authorship cannot be forged.
 */
type Member = TestUser & { db: SupabaseClient };
async function member(): Promise<Member> {
  const user = await createAccount();
  return { ...user, db: userClient(await accessToken(user)) };
}

let author: Member;
let blocker: Member; // blocked the author
let blocked: Member; // blocked by the author
let bystander: Member;
let postId: number;

beforeAll(async () => {
  [author, blocker, blocked, bystander] = await Promise.all([member(), member(), member(), member()]);
  await sql('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [blocker.id, author.id, blocked.id]);
  const created = await author.db.rpc('create_forum_post', { p_content: 'Behind the wall' });
  if (created.error) throw created.error;
  postId = (created.data as { postid: number }).postid;
  await author.db.rpc('forum_reply', { p_post_id: postId, p_reply_content: 'Author reply' });
  await author.db.rpc('forum_toggle_like', { p_post_id: postId });
}, 60_000);

const sides = () => [['blocker', blocker], ['blocked', blocked]] as const;

describe('raw REST across a block, both ways', { timeout: 60_000 }, () => {
  it.each(['blocker', 'blocked'])('the %s side reads none of the author\'s forum posts, replies or likes', async (side) => {
    const user = side === 'blocker' ? blocker : blocked;
    const [posts, replies, likes] = await Promise.all([
      user.db.from('forum_posts').select('id').eq('created_by', author.id),
      user.db.from('forum_replies').select('id').eq('created_by', author.id),
      user.db.from('forum_likes').select('post_id').eq('user_id', author.id),
    ]);
    expect([posts.data, replies.data, likes.data]).toEqual([[], [], []]);
    const feed = await user.db.rpc('forum_feed', {});
    expect((feed.data as { posts: { user_id: string }[] }).posts.some((p) => p.user_id === author.id)).toBe(false);
    // The control: a bystander sees all three.
    const seen = await bystander.db.from('forum_posts').select('id').eq('id', postId);
    expect(seen.data).toEqual([{ id: postId }]);
  });

  it('the author reads nothing of either side either', async () => {
    for (const [, user] of sides()) {
      const created = await user.db.rpc('create_forum_post', { p_content: 'Mine' });
      const id = (created.data as { postid: number }).postid;
      expect((await author.db.from('forum_posts').select('id').eq('id', id)).data).toEqual([]);
      expect(await author.db.rpc('forum_reply', { p_post_id: id, p_reply_content: 'hi' })).toMatchObject({ status: 404, error: { message: 'Post not found' } });
    }
  });

  it.each(['blocker', 'blocked'])('the %s side cannot reply to or like the author\'s post (direct insert or RPC), and nothing changes', async (side) => {
    const user = side === 'blocker' ? blocker : blocked;
    const reply = await user.db.from('forum_replies').insert({ post_id: postId, content: 'sneaky' });
    const like = await user.db.from('forum_likes').insert({ post_id: postId });
    expect([reply.status, reply.error?.code, like.status, like.error?.code]).toEqual([403, '42501', 403, '42501']);
    expect(await user.db.rpc('forum_toggle_like', { p_post_id: postId })).toMatchObject({ status: 404, error: { message: 'Post not found' } });
    expect(await user.db.rpc('forum_reply', { p_post_id: postId, p_reply_content: 'hi' })).toMatchObject({ status: 404, error: { message: 'Post not found' } });
    expect(await sql('select like_count, reply_count from public.forum_posts where id = $1', [postId])).toEqual([{ like_count: 1, reply_count: 1 }]);
  });
});

describe('signed-in and active only', { timeout: 60_000 }, () => {
  it('anon reads no forum rows and the RPCs answer 401 "Access token is required"', async () => {
    const anon = anonClient();
    for (const table of ['forum_posts', 'forum_replies', 'forum_likes'] as const) {
      expect((await anon.from(table).select('*')).data).toEqual([]);
    }
    for (const [fn, args] of [
      ['forum_feed', {}],
      ['create_forum_post', { p_content: 'x' }],
      ['forum_reply', { p_post_id: postId, p_reply_content: 'x' }],
      ['forum_toggle_like', { p_post_id: postId }],
    ] as const) {
      expect(await anon.rpc(fn, args)).toMatchObject({ status: 401, error: { code: '42501', message: 'Access token is required' } });
    }
  });

  it('a suspended account (a token that still says so) reads nothing and writes nothing', async () => {
    const user = await createAccount();
    await sql(`update public.profiles set status = 'suspended' where id = $1`, [user.id]);
    const db = userClient(await signUserToken(user.id, { user_role: 'visitor', account_status: 'suspended' }));
    expect((await db.from('forum_posts').select('id').eq('id', postId)).data).toEqual([]);
    expect((await db.rpc('forum_feed', {})).data).toEqual({ posts: [] });
    expect((await db.from('forum_posts').insert({ content: 'x' })).status).toBe(403);
    expect((await db.rpc('create_forum_post', { p_content: 'x' })).status).toBe(403);
    expect((await db.rpc('forum_toggle_like', { p_post_id: postId })).status).toBe(404);
    expect(await sql('select count(*)::int as n from public.forum_posts where created_by = $1', [user.id])).toEqual([{ n: 0 }]);
  });
});

describe('server-owned columns', { timeout: 60_000 }, () => {
  it('counters, author state and authorship cannot be written through REST', async () => {
    const forged = await author.db.from('forum_posts').update({ like_count: 9999, reply_count: 9999, author_active: true }).eq('id', postId);
    expect(forged.error?.code).toBe('42501');
    const asSomeoneElse = await bystander.db.from('forum_posts').insert({ content: 'forged', created_by: author.id });
    expect(asSomeoneElse.error?.code).toBe('42501');
    const likeForOther = await bystander.db.from('forum_likes').insert({ post_id: postId, user_id: author.id });
    expect(likeForOther.error?.code).toBe('42501');
    expect(await sql('select like_count, reply_count from public.forum_posts where id = $1', [postId])).toEqual([{ like_count: 1, reply_count: 1 }]);
  });

  it('over-long content is refused with 400 through REST and RPC', async () => {
    expect((await author.db.from('forum_posts').insert({ content: 'x'.repeat(5001) })).error?.code).toBe('23514');
    expect(await author.db.rpc('create_forum_post', { p_content: 'x'.repeat(5001) })).toMatchObject({
      status: 400,
      error: { message: 'Content must be at most 5000 characters.' },
    });
    expect(await author.db.rpc('forum_reply', { p_post_id: postId, p_reply_content: 'x'.repeat(2001) })).toMatchObject({
      status: 400,
      error: { message: 'Reply content must be at most 2000 characters.' },
    });
  });
});
