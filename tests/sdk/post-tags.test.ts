import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostTagsApi, isMarqueeError, rules, type MarqueeSupabaseClient } from '../../sdk/src/index.ts';
import { anonClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { createAccount, type Account } from '../db/accounts-fixtures.ts';
import { createPost } from '../db/tags-fixtures.ts';

/** createPostTagsApi through the stack: the journeys, and its errors as MarqueeError. */
let db: pg.Client;
let author: Account;
let jane: Account;
let blocked: Account;
let stranger: Account;
const asUser = async (user: Account) =>
  createPostTagsApi(userClient(await signUserToken(user.id, { account_status: 'active', user_role: 'visitor' })) as MarqueeSupabaseClient);

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await createAccount(db);
  jane = await createAccount(db);
  blocked = await createAccount(db);
  stranger = await createAccount(db);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [author.id, blocked.id]);
});
afterAll(async () => {
  await db.query('delete from public.posts where created_by = $1', [author.id]);
  await db.end();
});

/** The MarqueeError a call fails with. */
async function failure(call: Promise<unknown>) {
  const error = await call.then(() => undefined, (e: unknown) => e);
  if (!isMarqueeError(error)) throw new Error(`expected a MarqueeError, got ${String(error)}`);
  return { status: error.status, detail: error.detail, fields: error.fields };
}

describe('createPostTagsApi', { timeout: 60_000 }, () => {
  it('sets tags and mentions, reads them back, lists tags', async () => {
    const word = `sdk${randomUUID().replaceAll('-', '').slice(0, 10)}`;
    const postId = await createPost(db, author, { title: `#${word}_text`, description: `cc @${jane.username}` });
    const api = await asUser(author);

    expect(await api.setTags({ post_id: postId, tags: [`#${word.toUpperCase()}_Explicit`] })).toEqual([`${word}_explicit`, `${word}_text`]);
    expect(await api.setMentions({ post_id: postId, user_ids: [jane.id] })).toEqual([jane.id]);
    expect(await api.tagsOf({ post_id: postId })).toEqual([
      { name: `${word}_explicit`, source: 'explicit' },
      { name: `${word}_text`, source: 'text' },
    ]);
    expect(await api.mentionsOf({ post_id: postId })).toEqual([
      { user_id: jane.id, username: jane.username, source: 'explicit', created_at: expect.any(String) },
    ]);
    const anon = createPostTagsApi(anonClient() as MarqueeSupabaseClient);
    expect(await anon.listTags({ search: `#${word}` })).toEqual([
      { id: expect.any(Number), name: `${word}_explicit`, use_count: 1 },
      { id: expect.any(Number), name: `${word}_text`, use_count: 1 },
    ]);
  });

  it('refuses bad input before any request (400 with fields)', async () => {
    const api = await asUser(author);
    expect(await failure(api.setTags({ post_id: 1, tags: ['ok', 'not ok'] }))).toMatchObject({ status: 400, fields: { 'tags.1': [rules.INVALID_TAG] } });
    expect(await failure(api.setTags({ post_id: 1, tags: Array.from({ length: 31 }, (_, i) => `t${i}`) }))).toMatchObject({
      status: 400,
      fields: { tags: [rules.tooManyTags()] },
    });
    expect(await failure(api.setMentions({ post_id: 1, user_ids: ['nope'] }))).toMatchObject({ status: 400, fields: { 'user_ids.0': [rules.INVALID_UUID] } });
    expect(await failure(api.listTags({ limit: 0 }))).toMatchObject({ status: 400, fields: { limit: [rules.INVALID_LIMIT] } });
  });

  it("turns the database's refusals into MarqueeErrors: a blocked user 400, someone else's post 403, a missing post 404", async () => {
    const postId = await createPost(db, author, { title: 'Refusals' });
    expect(await failure((await asUser(author)).setMentions({ post_id: postId, user_ids: [blocked.id] }))).toMatchObject({
      status: 400,
      detail: 'This user does not exist or cannot be mentioned.',
    });
    expect(await failure((await asUser(stranger)).setTags({ post_id: postId, tags: ['mine'] }))).toMatchObject({
      status: 403,
      detail: 'You can only change the tags and mentions of your own posts.',
    });
    expect(await failure((await asUser(author)).setTags({ post_id: 2 ** 52, tags: ['x'] }))).toMatchObject({ status: 404, detail: 'Post not found.' });
    expect(await (await asUser(author)).mentionsOf({ post_id: postId })).toEqual([]);
  });
});

describe('rules.tagList', () => {
  it.each([
    [['#Dance', 'dance', ' DANCE '], ['dance']],
    [['a_1', '#B2'], ['a_1', 'b2']],
  ])('normalises %j to %j', (input, expected) => {
    expect(rules.tagList.parse(input)).toEqual(expected);
  });

  it.each([['café'], ['a'.repeat(51)], [''], ['#'], ['two words']])('refuses %j', (tag) => {
    expect(rules.tagList.safeParse([tag]).success).toBe(false);
  });
});
