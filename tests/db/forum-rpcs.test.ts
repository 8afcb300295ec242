import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, asVisitor, connectAsPostgres, runAs, type Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';

/**
 * The forum's RPCs (001) as each role: the feed's paging and item shape, create, reply and the like
 * toggle with 001's messages, and blocks and suspensions applied to what they answer.
 */
let db: pg.Client;

beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

/** Calls `select public.<fn>(...)` as the actor and answers its JSON, or the error's code and message. */
async function rpc(actor: Actor, fn: string, args: unknown[] = [], commit = false): Promise<{ ok?: unknown; code?: string; message?: string }> {
  const placeholders = args.map((_, i) => `$${i + 1}`).join(', ');
  const work = async (c: pg.Client) => (await c.query(`select public.${fn}(${placeholders}) as r`, args)).rows[0].r;
  try {
    if (!commit) return { ok: await runAs(db, actor, work) };
    await db.query('begin');
    try {
      await db.query(`set local role ${actor.role}`);
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
      const ok = await work(db);
      await db.query('commit');
      return { ok };
    } catch (error) {
      await db.query('rollback');
      throw error;
    }
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { code: e.code, message: e.message };
  }
}

/**
 * Inserts posts with consecutive ids: the table is locked against other writers (other test files
 * write forum posts at the same time) until they are committed, so a feed paged from the last of
 * them sees exactly them first.
 */
async function consecutivePosts(authors: Account[]): Promise<number[]> {
  await db.query('begin');
  try {
    await db.query('lock table public.forum_posts in share row exclusive mode');
    const ids: number[] = [];
    for (const [i, author] of authors.entries()) ids.push(await post(author, `post ${i}`));
    await db.query('commit');
    return ids;
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}

async function post(author: Account, content = 'A post'): Promise<number> {
  return (await db.query<{ id: number }>(`insert into public.forum_posts (created_by, content) values ($1, $2) returning id::int`, [author.id, content])).rows[0]!.id;
}

describe('forum_feed', () => {
  it('answers 001\'s item shape, newest first, 10 at a time, older than last_post_id', async () => {
    const [reader, author, replier] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const ids = await consecutivePosts(Array.from({ length: 12 }, () => author));
    await db.query(`insert into public.forum_replies (post_id, created_by, content) values ($1, $2, 'First!')`, [ids[11], replier.id]);
    await db.query('insert into public.forum_likes (post_id, user_id) values ($1, $2), ($1, $3)', [ids[11], reader.id, replier.id]);

    const first = (await rpc(asVisitor(reader), 'forum_feed', [ids[11]! + 1])).ok as { posts: Record<string, unknown>[] };
    expect(first.posts.map((p) => p.postid)).toEqual(ids.slice(2).reverse());
    const newest = first.posts[0]!;
    expect(newest).toMatchObject({
      postid: ids[11],
      user_id: author.id,
      username: author.username,
      content: 'post 11',
      picture_count: 0,
      picture_names: [],
      likes: 2,
      replies: 1,
      reply_content: [{ reply_id: expect.any(Number), user_id: replier.id, username: replier.username, content: 'First!' }],
      isliked: true,
    });
    expect(typeof newest.created_at).toBe('string');
    // Without last_post_id: the latest 10, newest first.
    const latest = ((await rpc(asVisitor(reader), 'forum_feed')).ok as { posts: { postid: number }[] }).posts.map((p) => p.postid);
    expect(latest).toHaveLength(10);
    expect(latest).toEqual([...latest].sort((a, b) => b - a));
    expect(latest[0]).toBeGreaterThanOrEqual(ids[11]!);

    const older = (await rpc(asVisitor(reader), 'forum_feed', [ids[2]])).ok as { posts: { postid: number }[] };
    expect(older.posts.map((p) => p.postid).filter((id) => ids.includes(id))).toEqual([ids[1], ids[0]]);
    expect(older.posts.every((p) => p.postid < ids[2]!)).toBe(true);
  });

  it('leaves out both sides of a block and suspended authors; likes leave out blocked likers', async () => {
    const [reader, blocker, blocked, suspended, author, blockedLiker] = await Promise.all(Array.from({ length: 6 }, () => createAccount(db)));
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3), ($2, $4)', [blocker!.id, reader!.id, blocked!.id, blockedLiker!.id]);
    const [h1, h2, h3, shown] = await consecutivePosts([blocker!, blocked!, suspended!, author!]);
    const hidden = [h1!, h2!, h3!];
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [suspended!.id]);
    await db.query('insert into public.forum_likes (post_id, user_id) values ($1, $2), ($1, $3)', [shown, blockedLiker!.id, author!.id]);
    await db.query(`insert into public.forum_replies (post_id, created_by, content) values ($1, $2, 'hidden'), ($1, $3, 'shown')`, [shown, blockedLiker!.id, author!.id]);

    const { posts } = (await rpc(asVisitor(reader!), 'forum_feed', [shown! + 1])).ok as { posts: { postid: number; likes: number; replies: number; reply_content: { content: string }[] }[] };
    expect(posts[0]?.postid).toBe(shown);
    for (const id of hidden) expect(posts.some((p) => p.postid === id)).toBe(false);
    const item = posts.find((p) => p.postid === shown)!;
    expect(item).toMatchObject({ likes: 1, replies: 1, reply_content: [{ content: 'shown' }] });
    // The author, in no block with the liker, counts both.
    const own = ((await rpc(asVisitor(author!), 'forum_feed', [shown! + 1])).ok as { posts: { postid: number; likes: number; replies: number }[] }).posts.find((p) => p.postid === shown);
    expect(own).toMatchObject({ likes: 2, replies: 2 });
  });

  it('is for signed-in active users: anon gets 42501 "Access token is required", a suspended account an empty feed', async () => {
    const user = await createAccount(db);
    await post(user);
    expect(await rpc(asAnon(), 'forum_feed')).toEqual({ code: '42501', message: 'Access token is required' });
    expect(await rpc(asAccount(user, 'suspended'), 'forum_feed')).toEqual({ ok: { posts: [] } });
  });
});

describe('create_forum_post', () => {
  it('answers {postid, created_at}', async () => {
    const user = await createAccount(db);
    const { ok } = await rpc(asVisitor(user), 'create_forum_post', ['Hello forum', []]);
    expect(ok).toEqual({ postid: expect.any(Number), created_at: expect.any(String) });
  });

  it.each([
    ['missing content', [null, []], '22023', 'Content is required'],
    ['blank content', ['   ', []], '22023', 'Content is required'],
    ['over-long content', ['x'.repeat(5001), []], '22023', 'Content must be at most 5000 characters.'],
    ['a picture never uploaded', ['x', [`${'a'.repeat(64)}-20261129T120000000Z.png`]], '22023', 'Picture not found'],
  ])('refuses %s', async (_, args, code, message) => {
    const user = await createAccount(db);
    expect(await rpc(asVisitor(user), 'create_forum_post', args)).toEqual({ code, message });
  });

  it('refuses anon (Access token is required) and suspended accounts', async () => {
    const user = await createAccount(db);
    expect(await rpc(asAnon(), 'create_forum_post', ['x', []])).toEqual({ code: '42501', message: 'Access token is required' });
    expect((await rpc(asAccount(user, 'suspended'), 'create_forum_post', ['x', []])).code).toBe('42501');
  });

  it('takes only pictures the author uploaded and registered, once each', async () => {
    const [user, other] = [await createAccount(db), await createAccount(db)];
    const name = `${'b'.repeat(64)}-20261129T120000000Z.png`;
    await db.query('select service.register_forum_picture($1, $2, $3, $4)', [user.id, name, 'image/png', 10]);
    expect((await rpc(asVisitor(user), 'create_forum_post', ['with a picture', [name]])).ok).toMatchObject({ postid: expect.any(Number) });
    expect(await rpc(asVisitor(other), 'create_forum_post', ['not mine', [name]])).toMatchObject({ code: '22023', message: 'Picture not found' });
    expect(await rpc(asVisitor(user), 'create_forum_post', ['twice', [name, name]])).toMatchObject({ code: '22023', message: 'A picture can be on a post only once.' });
  });
});

describe('forum_reply', () => {
  it('answers every reply the caller may read, oldest first', async () => {
    const [author, a, b] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const id = await post(author);
    await rpc(asVisitor(a), 'forum_reply', [id, 'first'], true);
    const { ok } = await rpc(asVisitor(b), 'forum_reply', [id, 'second']);
    expect(ok).toEqual({
      replies: [
        { reply_id: expect.any(Number), user_id: a.id, username: a.username, content: 'first', created_at: expect.any(String) },
        { reply_id: expect.any(Number), user_id: b.id, username: b.username, content: 'second', created_at: expect.any(String) },
      ],
    });
  });

  it.each([
    ['no postid', [null, 'hi'], '22023', 'Postid is required'],
    ['no content', [1, null], '22023', 'Reply content is required'],
    ['blank content', [1, ' '], '22023', 'Reply content is required'],
    ['a missing post', [2 ** 53 - 1, 'hi'], 'PT404', 'Post not found'],
  ])('refuses %s', async (_, args, code, message) => {
    const user = await createAccount(db);
    expect(await rpc(asVisitor(user), 'forum_reply', args)).toEqual({ code, message });
  });

  it('refuses replies across a block (the post reads as not found) and from suspended accounts', async () => {
    const [author, blocker, suspended] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, author.id]);
    const id = await post(author);
    expect(await rpc(asVisitor(blocker), 'forum_reply', [id, 'hi'])).toEqual({ code: 'PT404', message: 'Post not found' });
    expect((await rpc(asAccount(suspended, 'suspended'), 'forum_reply', [id, 'hi'])).code).toBe('PT404');
    expect((await db.query('select count(*)::int as n from public.forum_replies where post_id = $1', [id])).rows[0].n).toBe(0);
  });
});

describe('forum_toggle_like', () => {
  it('likes, then takes the like back: {likes, isliked}', async () => {
    const [author, liker] = [await createAccount(db), await createAccount(db)];
    const id = await post(author);
    expect(await rpc(asVisitor(author), 'forum_toggle_like', [id], true)).toEqual({ ok: { likes: 1, isliked: true } });
    expect(await rpc(asVisitor(liker), 'forum_toggle_like', [id], true)).toEqual({ ok: { likes: 2, isliked: true } });
    expect(await rpc(asVisitor(liker), 'forum_toggle_like', [id], true)).toEqual({ ok: { likes: 1, isliked: false } });
    expect((await db.query('select like_count from public.forum_posts where id = $1', [id])).rows[0].like_count).toBe(1);
  });

  it('refuses anon, a missing post, and a post across a block', async () => {
    const [author, blocked] = [await createAccount(db), await createAccount(db)];
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [author.id, blocked.id]);
    const id = await post(author);
    expect(await rpc(asAnon(), 'forum_toggle_like', [id])).toEqual({ code: '42501', message: 'Access token is required' });
    expect(await rpc(asVisitor(blocked), 'forum_toggle_like', [2 ** 53 - 1])).toEqual({ code: 'PT404', message: 'Post not found' });
    expect(await rpc(asVisitor(blocked), 'forum_toggle_like', [id])).toEqual({ code: 'PT404', message: 'Post not found' });
    expect(await rpc(asVisitor(blocked), 'forum_toggle_like', [null])).toEqual({ code: '22023', message: 'Postid is required' });
  });
});
