import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, rowCount, type Account } from './accounts-fixtures.ts';
import { createPost } from './tags-fixtures.ts';

/**
 * The policy matrices of tags, post_tags and post_mentions: every role × select / insert / update /
 * delete, through real role switching. A refused insert (and any update: nothing is updatable by
 * clients) throws 42501; a refused select or delete sees 0 rows. The owner rows show each allowed
 * action is possible at all.
 */
let db: pg.Client;
let owner: Account;
let other: Account;
let blockerSide: Account; // blocked the owner
let blockedSide: Account; // blocked by the owner
let suspended: Account;
let creator: Account;
let admin: Account;
let mentioned: Account;
let extraMentioned: Account;
let postId: number;
let privatePostId: number;
let explicitTagId: number;
let extraTagId: number;

const ROLES = ['anon', 'owner', 'other user', 'blocked user (blocker side)', 'blocked user (blocked side)', 'suspended user', 'creator', 'admin'] as const;
type Role = (typeof ROLES)[number];

function actor(role: Role): Actor {
  switch (role) {
    case 'anon':
      return asAnon();
    case 'owner':
      return asVisitor(owner);
    case 'other user':
      return asVisitor(other);
    case 'blocked user (blocker side)':
      return asVisitor(blockerSide);
    case 'blocked user (blocked side)':
      return asVisitor(blockedSide);
    case 'suspended user':
      return asAccount(suspended, 'suspended');
    case 'creator':
      return asCreator(creator);
    case 'admin':
      return asAdmin(admin);
  }
}

beforeAll(async () => {
  db = await connectAsPostgres();
  owner = await createAccount(db);
  other = await createAccount(db);
  blockerSide = await createAccount(db);
  blockedSide = await createAccount(db);
  suspended = await createAccount(db, { status: 'suspended' });
  creator = await createAccount(db, { role: 'creator' });
  admin = await createAccount(db, { role: 'admin' });
  mentioned = await createAccount(db);
  extraMentioned = await createAccount(db);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [blockerSide.id, owner.id, blockedSide.id]);

  const tag = `m${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  // One text tag (from the title) and one explicit tag and mention on the public post.
  postId = await createPost(db, owner, { title: `Matrix #${tag}_text` });
  explicitTagId = Number((await db.query(`insert into public.tags (name) values ($1) returning id`, [`${tag}_explicit`])).rows[0].id);
  extraTagId = Number((await db.query(`insert into public.tags (name) values ($1) returning id`, [`${tag}_extra`])).rows[0].id);
  await db.query(`insert into public.post_tags (post_id, tag_id) values ($1, $2)`, [postId, explicitTagId]);
  await db.query(`insert into public.post_mentions (post_id, user_id) values ($1, $2)`, [postId, mentioned.id]);
  privatePostId = await createPost(db, owner, { title: `Private #${tag}_private @${mentioned.username}`, visibility: 'private' });
});
afterAll(async () => {
  await db.end();
});

type Expected = number | 'throws';
type Statement = () => [string, unknown[]];

/** Everyone but the owner gets `refused`; the owner gets `allowed`. */
const ownerOnly = (allowed: Expected, refused: Expected): Record<Role, Expected> =>
  Object.fromEntries(ROLES.map((r) => [r, r === 'owner' ? allowed : refused])) as Record<Role, Expected>;
const everyone = (expected: Expected): Record<Role, Expected> => ownerOnly(expected, expected);
/** Readable by everyone but the two sides of a block with the owner. */
const outsideBlocks = (rows: number): Record<Role, Expected> => ({
  ...everyone(rows),
  'blocked user (blocker side)': 0,
  'blocked user (blocked side)': 0,
});

const MATRIX: [table: string, action: string, Statement, Record<Role, Expected>][] = [
  ['tags', 'select', () => ['select 1 from public.tags where id = $1', [explicitTagId]], everyone(1)],
  ['tags', 'insert', () => ['insert into public.tags (name) values ($1)', [`new_${randomUUID().slice(0, 8)}`]], everyone('throws')],
  ['tags', 'update', () => ['update public.tags set name = name where id = $1', [explicitTagId]], everyone('throws')],
  ['tags', 'delete', () => ['delete from public.tags where id = $1', [extraTagId]], everyone('throws')],

  ['post_tags', 'select', () => ['select 1 from public.post_tags where post_id = $1', [postId]], outsideBlocks(2)],
  ['post_tags', 'insert', () => ['insert into public.post_tags (post_id, tag_id) values ($1, $2)', [postId, extraTagId]], ownerOnly(1, 'throws')],
  ['post_tags', 'update', () => [`update public.post_tags set source = 'text' where post_id = $1`, [postId]], everyone('throws')],
  // Only the explicit row: text tags follow the text.
  ['post_tags', 'delete', () => ['delete from public.post_tags where post_id = $1', [postId]], ownerOnly(1, 0)],

  ['post_mentions', 'select', () => ['select 1 from public.post_mentions where post_id = $1', [postId]], outsideBlocks(1)],
  ['post_mentions', 'insert', () => ['insert into public.post_mentions (post_id, user_id) values ($1, $2)', [postId, extraMentioned.id]], ownerOnly(1, 'throws')],
  ['post_mentions', 'update', () => [`update public.post_mentions set source = 'text' where post_id = $1`, [postId]], everyone('throws')],
  ['post_mentions', 'delete', () => ['delete from public.post_mentions where post_id = $1', [postId]], ownerOnly(1, 0)],
];

describe.each(MATRIX)('%s: %s', (_table, _action, statement, expected) => {
  it.each(ROLES)('as %s', async (role) => {
    const [sql, params] = statement();
    const run = runAs(db, actor(role), (c) => rowCount(c, sql, params));
    if (expected[role] === 'throws') {
      expect(await sqlstateOf(run)).toBe('42501');
    } else {
      expect(await run).toBe(expected[role]);
    }
  });
});

describe("a private post's tags and mentions are read as the post is", () => {
  const EXPECTED: Record<Role, number> = { ...(everyone(0) as Record<Role, number>), owner: 1, admin: 1 };
  it.each(ROLES)('as %s', async (role) => {
    const seen = await runAs(db, actor(role), async (c) => [
      await rowCount(c, 'select 1 from public.post_tags where post_id = $1', [privatePostId]),
      await rowCount(c, 'select 1 from public.post_mentions where post_id = $1', [privatePostId]),
    ]);
    expect(seen).toEqual([EXPECTED[role], EXPECTED[role]]);
  });
});

describe('a mention of a user in a block with the reader is invisible to them', () => {
  it.each([
    ['the reader blocked the mentioned user', (reader: Account) => [reader.id, mentioned.id]],
    ['the mentioned user blocked the reader', (reader: Account) => [mentioned.id, reader.id]],
  ] as const)('%s: the post and its tags stay readable, the mention does not', async (_name, pair) => {
    const reader = await createAccount(db);
    const seen = await runAs(db, asVisitor(reader), async (c) => {
      const before = await rowCount(c, 'select 1 from public.post_mentions where post_id = $1', [postId]);
      await c.query('reset role');
      await c.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', pair(reader));
      await c.query('set local role authenticated');
      return {
        before,
        post: await rowCount(c, 'select 1 from public.posts where id = $1', [postId]),
        tags: await rowCount(c, 'select 1 from public.post_tags where post_id = $1', [postId]),
        mentions: await rowCount(c, 'select 1 from public.post_mentions where post_id = $1', [postId]),
      };
    });
    expect(seen).toEqual({ before: 1, post: 1, tags: 2, mentions: 0 });
  });

  it('the mentioned user sees their own mention', async () => {
    const seen = await runAs(db, asVisitor(mentioned), (c) => rowCount(c, 'select 1 from public.post_mentions where post_id = $1 and user_id = $2', [postId, mentioned.id]));
    expect(seen).toBe(1);
  });
});
