import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs, sqlstateOf } from '../helpers/db.ts';
import { createAccount, rowCount, type Account } from './accounts-fixtures.ts';
import { block, createCast, createPost, MATRIX_ROLES, type Cast, type MatrixRole } from './interactions-fixtures.ts';

/**
 * The policy matrix of the five interaction tables (issue 8, item 6): every role owners8.md names ×
 * select / insert / update / delete, through real role switching. The rows under test belong to
 * `owner` and sit on a public post of `author`; inserts go to a second post of the same author, so
 * the two sides of a block with the author meet the posts select policy's wall. A refused insert
 * throws 42501; a refused select or delete sees 0 rows; update has no grant at all (42501).
 */
let db: pg.Client;
let cast: Cast;
let post: number;
let insertTarget: number;

interface TableCase {
  table: string;
  owner: string;
  /** Writes the owner's row on `post` as postgres. */
  seed: (ownerId: string, postId: number) => [string, unknown[]];
  /** The actor's own row on `postId`, as a client would insert it (owner column from its default). */
  insert: (postId: number) => [string, unknown[]];
  /** Rows of the owner's row each role sees. */
  select: Record<MatrixRole, number>;
  /** Rows of the owner's row each role deletes. */
  delete: Record<MatrixRole, number>;
}

const matrix = (values: number[]): Record<MatrixRole, number> =>
  Object.fromEntries(MATRIX_ROLES.map((role, i) => [role, values[i]!])) as Record<MatrixRole, number>;
//                                   anon owner other blocker blocked suspended creator admin
const EVERYONE_WHO_SEES_THE_POST = matrix([1, 1, 1, 0, 0, 1, 1, 1]);
const OWNER_ONLY = matrix([0, 1, 0, 0, 0, 0, 0, 0]);
const OWNER_AND_ADMIN = matrix([0, 1, 0, 0, 0, 0, 0, 1]);
const NOBODY = matrix([0, 0, 0, 0, 0, 0, 0, 0]);
/** Who may insert their own row on a readable post: active signed-in users who can read it. */
const MAY_INSERT: Record<MatrixRole, boolean> = {
  anon: false, owner: true, other: true, blocker: false, blocked: false, suspended: false, creator: true, admin: true,
};

const TABLES: TableCase[] = [
  {
    table: 'post_likes',
    owner: 'user_id',
    seed: (u, p) => ['insert into public.post_likes (post_id, user_id) values ($1, $2)', [p, u]],
    insert: (p) => ['insert into public.post_likes (post_id) values ($1)', [p]],
    select: EVERYONE_WHO_SEES_THE_POST,
    delete: OWNER_ONLY,
  },
  {
    table: 'post_hides',
    owner: 'user_id',
    seed: (u, p) => ['insert into public.post_hides (post_id, user_id) values ($1, $2)', [p, u]],
    insert: (p) => ['insert into public.post_hides (post_id) values ($1)', [p]],
    select: OWNER_ONLY,
    delete: OWNER_ONLY,
  },
  {
    table: 'post_reports',
    owner: 'user_id',
    seed: (u, p) => [`insert into public.post_reports (post_id, user_id, reason) values ($1, $2, 'spam')`, [p, u]],
    insert: (p) => [`insert into public.post_reports (post_id, reason, description) values ($1, 'abuse', 'rude')`, [p]],
    select: OWNER_AND_ADMIN,
    delete: OWNER_ONLY,
  },
  {
    table: 'comments',
    owner: 'created_by',
    seed: (u, p) => [`insert into public.comments (post_id, created_by, comment) values ($1, $2, 'Great post!')`, [p, u]],
    insert: (p) => [`insert into public.comments (post_id, comment) values ($1, 'Nice')`, [p]],
    select: EVERYONE_WHO_SEES_THE_POST,
    delete: OWNER_AND_ADMIN,
  },
  {
    table: 'post_views',
    owner: 'viewer_id',
    seed: (u, p) => ['insert into public.post_views (post_id, viewer_id) values ($1, $2)', [p, u]],
    insert: (p) => ['insert into public.post_views (post_id) values ($1)', [p]],
    select: OWNER_AND_ADMIN,
    delete: NOBODY,
  },
];

beforeAll(async () => {
  db = await connectAsPostgres();
  cast = await createCast(db);
  post = await createPost(db, cast.author);
  insertTarget = await createPost(db, cast.author);
  for (const t of TABLES) {
    const [sql, params] = t.seed(cast.users.owner.id, post);
    await db.query(sql, params);
  }
});
afterAll(async () => {
  await db.end();
});

const ownersRow = (t: TableCase) => `${t.table} where post_id = $1 and ${t.owner} = $2`;

describe.each(TABLES)('$table', (t) => {
  it.each(MATRIX_ROLES)('select as %s', async (role) => {
    const seen = await runAs(db, cast.actor(role), (c) => rowCount(c, `select 1 from public.${ownersRow(t)}`, [post, cast.users.owner.id]));
    expect(seen).toBe(t.select[role]);
  });

  it.each(MATRIX_ROLES)('insert as %s', async (role) => {
    const [sql, params] = t.insert(insertTarget);
    const outcome = await runAs(db, cast.actor(role), (c) => sqlstateOf(c.query(sql, params)));
    expect(outcome).toBe(MAY_INSERT[role] ? undefined : '42501');
  });

  it.each(MATRIX_ROLES)('update as %s', async (role) => {
    const update = runAs(db, cast.actor(role), (c) =>
      rowCount(c, `update public.${t.table} set post_id = post_id where post_id = $1 and ${t.owner} = $2`, [post, cast.users.owner.id]),
    );
    expect(await sqlstateOf(update)).toBe('42501');
  });

  it.each(MATRIX_ROLES)('delete as %s', async (role) => {
    const deleted = await runAs(db, cast.actor(role), (c) => rowCount(c, `delete from public.${ownersRow(t)}`, [post, cast.users.owner.id]));
    expect(deleted).toBe(t.delete[role]);
  });

  it('an insert naming another user as owner is refused (no column grant)', async () => {
    const [, params] = t.insert(insertTarget);
    const sql = `insert into public.${t.table} (post_id, ${t.owner}${t.table === 'post_reports' ? ', reason' : t.table === 'comments' ? ', comment' : ''})
      values ($1, $2${t.table === 'post_reports' ? `, 'spam'` : t.table === 'comments' ? `, 'forged'` : ''})`;
    const outcome = await runAs(db, cast.actor('other'), (c) => sqlstateOf(c.query(sql, [params[0], cast.users.owner.id])));
    expect(outcome).toBe('42501');
  });
});

describe('a block with the owner of a like or comment hides it both ways', () => {
  let owner: Account;
  let bystander: Account;
  let blockedByOwner: Account;
  let ownerBlockedBy: Account;
  let onPost: number;
  beforeAll(async () => {
    const author = await createAccount(db);
    [owner, bystander, blockedByOwner, ownerBlockedBy] = [
      await createAccount(db), await createAccount(db), await createAccount(db), await createAccount(db),
    ];
    onPost = await createPost(db, author);
    await block(db, owner, blockedByOwner);
    await block(db, ownerBlockedBy, owner);
    for (const user of [owner, bystander]) {
      await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [onPost, user.id]);
      await db.query(`insert into public.comments (post_id, created_by, comment) values ($1, $2, 'hi')`, [onPost, user.id]);
    }
  });

  it.each([
    ['post_likes', 'user_id'],
    ['comments', 'created_by'],
  ])('%s: each side sees the bystander and not the other side', async (table, column) => {
    for (const viewer of [blockedByOwner, ownerBlockedBy]) {
      const seen = await runAs(db, asVisitor(viewer), async (c) =>
        (await c.query(`select ${column} as id from public.${table} where post_id = $1`, [onPost])).rows.map((r) => r.id as string),
      );
      expect(seen).toEqual([bystander.id]);
    }
    const control = await runAs(db, asVisitor(bystander), (c) => rowCount(c, `select 1 from public.${table} where post_id = $1`, [onPost]));
    expect(control).toBe(2);
  });
});

describe('only posts the caller can read take interactions', () => {
  it.each(['post_likes', 'post_hides', 'post_views'])('%s: a private post of another user refuses (42501), its author may', async (table) => {
    const author = await createAccount(db);
    const other = await createAccount(db);
    const privatePost = await createPost(db, author, { visibility: 'private' });
    const sql = `insert into public.${table} (post_id) values ($1)`;
    expect(await runAs(db, asVisitor(other), (c) => sqlstateOf(c.query(sql, [privatePost])))).toBe('42501');
    expect(await runAs(db, asVisitor(author), (c) => sqlstateOf(c.query(sql, [privatePost])))).toBeUndefined();
  });

  it('a suspended author\'s post takes no comment (42501); an active author\'s does', async () => {
    const [author, active, other] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const hiddenPost = await createPost(db, author);
    const shownPost = await createPost(db, active);
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [author.id]);
    const comment = (p: number) =>
      runAs(db, asVisitor(other), (c) => sqlstateOf(c.query(`insert into public.comments (post_id, comment) values ($1, 'hi')`, [p])));
    expect(await comment(hiddenPost)).toBe('42501');
    expect(await comment(shownPost)).toBeUndefined();
  });

  it('a view cannot be back-dated: viewed_on has no insert grant', async () => {
    const [author, viewer] = [await createAccount(db), await createAccount(db)];
    const p = await createPost(db, author);
    const insert = (sql: string) => runAs(db, asVisitor(viewer), (c) => sqlstateOf(c.query(sql, [p])));
    expect(await insert(`insert into public.post_views (post_id, viewed_on) values ($1, date '2001-01-01')`)).toBe('42501');
    expect(await insert('insert into public.post_views (post_id) values ($1)')).toBeUndefined();
  });
});
