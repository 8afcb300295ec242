import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { rawRest } from '../helpers/raw-rest.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { createAccount, type Account } from '../db/accounts-fixtures.ts';
import { createPost, mentionNotifications, mentionsOf, tagsOf } from '../db/tags-fixtures.ts';

/**
 * Hostile clients against tags and mentions through raw REST (fetch) and raw supabase-js: the rules
 * of the RPCs hold for direct inserts too, and a refused write changes nothing.
 */
let db: pg.Client;
let author: Account;
let stranger: Account;
let jane: Account;
let blockedByAuthor: Account;
let blockerOfAuthor: Account;
let postId: number;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await createAccount(db);
  stranger = await createAccount(db);
  jane = await createAccount(db);
  blockedByAuthor = await createAccount(db);
  blockerOfAuthor = await createAccount(db);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($3, $1)', [author.id, blockedByAuthor.id, blockerOfAuthor.id]);
  for (const user of [author, stranger, jane, blockerOfAuthor]) {
    tokens[user.id] = await signUserToken(user.id, { account_status: 'active', user_role: 'visitor' });
  }
  tokens.suspended = await signUserToken(author.id, { account_status: 'suspended', user_role: 'visitor' });
  postId = await createPost(db, author, { title: '#original', description: `Hi @${jane.username}` });
});
afterAll(async () => {
  await db.query('delete from public.posts where created_by = $1', [author.id]);
  await db.end();
});

const rest = rawRest;

const links = async () => ({ tags: await tagsOf(db, postId, true), mentions: await mentionsOf(db, postId, true) });
const original = () => ({ tags: ['original:text'], mentions: [`${jane.username}:text`] });

describe('raw REST inserts into post_mentions', { timeout: 60_000 }, () => {
  it.each([
    ['a user the author blocked', () => blockedByAuthor.id, 400, 'This user does not exist or cannot be mentioned.'],
    ['a user who blocked the author', () => blockerOfAuthor.id, 400, 'This user does not exist or cannot be mentioned.'],
    ['a user who does not exist', () => randomUUID(), 400, 'This user does not exist or cannot be mentioned.'],
    ['the author themself', () => author.id, 400, 'You cannot mention yourself.'],
  ])('mentioning %s is refused with a clear error and writes nothing', async (_name, userId, status, message) => {
    const reply = await rest('POST', 'post_mentions', tokens[author.id]!, { post_id: postId, user_id: userId() });
    expect(reply).toMatchObject({ status, body: { code: '22023', message } });
    expect(await links()).toEqual(original());
  });

  it("mentioning someone on someone else's post is refused (403) and writes nothing, telling nothing of the author's blocks", async () => {
    for (const userId of [stranger.id, blockedByAuthor.id, author.id]) {
      const reply = await rest('POST', 'post_mentions', tokens[stranger.id]!, { post_id: postId, user_id: userId });
      expect(reply).toMatchObject({ status: 403, body: { code: '42501', message: 'new row violates row-level security policy for table "post_mentions"' } });
    }
    expect(await links()).toEqual(original());
  });

  it('a suspended author cannot add a mention, anon cannot either', async () => {
    const other = await createAccount(db);
    expect(await rest('POST', 'post_mentions', tokens.suspended!, { post_id: postId, user_id: other.id })).toMatchObject({ status: 403 });
    expect(await rest('POST', 'post_mentions', null, { post_id: postId, user_id: other.id })).toMatchObject({ status: 401 });
    expect(await links()).toEqual(original());
  });

  it("the source is the server's: a client cannot insert a 'text' row nor flip one", async () => {
    const other = await createAccount(db);
    const forged = await rest('POST', 'post_mentions', tokens[author.id]!, { post_id: postId, user_id: other.id, source: 'text' });
    expect(forged).toMatchObject({ status: 403, body: { code: '42501' } });
    const flipped = await rest('PATCH', `post_mentions?post_id=eq.${postId}`, tokens[author.id]!, { source: 'explicit' });
    expect(flipped).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(await links()).toEqual(original());
  });

  it('an allowed raw insert notifies once; a REST edit of the text that keeps the mention does not notify again', async () => {
    const post = await createPost(db, author, { title: 'Raw door' });
    const inserted = await rest('POST', 'post_mentions', tokens[author.id]!, { post_id: post, user_id: jane.id });
    expect(inserted).toMatchObject({ status: 201 });
    const edited = await rest('PATCH', `posts?id=eq.${post}`, tokens[author.id]!, { post_description: `Still @${jane.username}` });
    expect(edited.status).toBe(200);
    expect({ notified: await mentionNotifications(db, jane, post), mentions: await mentionsOf(db, post, true) }).toEqual({
      notified: 1,
      mentions: [`${jane.username}:explicit`],
    });
  });
});

describe('raw REST against post_tags and tags', { timeout: 60_000 }, () => {
  it("tagging someone else's post is refused (403), directly and through the RPC", async () => {
    const tag = (await db.query(`select id from public.tags where name = 'original'`)).rows[0].id as number;
    const other = (await db.query(`insert into public.tags (name) values ($1) returning id`, [`t${randomUUID().slice(0, 8)}`])).rows[0].id as number;
    expect(await rest('POST', 'post_tags', tokens[stranger.id]!, { post_id: postId, tag_id: other })).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(await rest('DELETE', `post_tags?post_id=eq.${postId}&tag_id=eq.${tag}`, tokens[stranger.id]!)).toMatchObject({ status: 200, body: [] });
    const rpc = await rest('POST', 'rpc/set_post_tags', tokens[stranger.id]!, { p_post_id: postId, p_tags: ['hijack'] });
    expect(rpc).toMatchObject({ status: 403, body: { message: 'You can only change the tags and mentions of your own posts.' } });
    expect(await links()).toEqual(original());
  });

  it('the author cannot delete a text tag (it follows the text)', async () => {
    const reply = await rest('DELETE', `post_tags?post_id=eq.${postId}`, tokens[author.id]!);
    expect(reply).toMatchObject({ status: 200, body: [] });
    expect(await links()).toEqual(original());
  });

  it('clients cannot create, rename or delete tags', async () => {
    const name = `t${randomUUID().slice(0, 8)}`;
    expect(await rest('POST', 'tags', tokens[author.id]!, { name })).toMatchObject({ status: 403 });
    expect(await rest('PATCH', 'tags?name=eq.original', tokens[author.id]!, { name: 'renamed' })).toMatchObject({ status: 403 });
    expect(await rest('DELETE', 'tags?name=eq.original', tokens[author.id]!)).toMatchObject({ status: 403 });
    expect((await db.query('select count(*)::int as n from public.tags where name in ($1, $2)', [name, 'renamed'])).rows[0].n).toBe(0);
    expect((await db.query(`select count(*)::int as n from public.tags where name = 'original'`)).rows[0].n).toBe(1);
  });

  it('an over-long or invalid tag through the RPC is a 400 and nothing changes', async () => {
    for (const tag of ['x'.repeat(51), 'no spaces', 'ünï']) {
      const reply = await rest('POST', 'rpc/set_post_tags', tokens[author.id]!, { p_post_id: postId, p_tags: [tag] });
      expect(reply).toMatchObject({ status: 400, body: { code: '22023' } });
    }
    expect(await links()).toEqual(original());
  });
});

describe('reading through raw supabase-js', { timeout: 60_000 }, () => {
  it('a mention is invisible to a user in a block with the mentioned user; the rest of the post is not', async () => {
    const watcher = await createAccount(db);
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [jane.id, watcher.id]);
    const client = userClient(await signUserToken(watcher.id, { account_status: 'active', user_role: 'visitor' }));
    const mentions = await client.from('post_mentions').select('user_id').eq('post_id', postId);
    const tags = await client.from('post_tags').select('tags(name)').eq('post_id', postId);
    expect({ mentions: mentions.data, tags: tags.data }).toEqual({ mentions: [], tags: [{ tags: { name: 'original' } }] });
    const anon = await anonClient().from('post_mentions').select('user_id').eq('post_id', postId);
    expect(anon.data).toEqual([{ user_id: jane.id }]);
  });

  it("the links of a post the reader cannot see (a blocker's post, a private post) are not readable", async () => {
    const hidden = await createPost(db, author, { title: `#secret_${randomUUID().slice(0, 6)} @${jane.username}`, visibility: 'private' });
    const blocker = userClient(tokens[blockerOfAuthor.id]!);
    const fromBlocker = await blocker.from('post_tags').select('post_id').eq('post_id', postId);
    const fromStranger = await userClient(tokens[stranger.id]!).from('post_mentions').select('post_id').eq('post_id', hidden);
    const fromAnon = await anonClient().from('post_tags').select('post_id').eq('post_id', hidden);
    expect([fromBlocker.data, fromStranger.data, fromAnon.data]).toEqual([[], [], []]);
  });
});
