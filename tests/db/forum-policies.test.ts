import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, rowCount, type Account } from './accounts-fixtures.ts';

/**
 * The forum tables' walls, table-driven: every role × select / insert / update / delete on a row the
 * owner wrote, through real role switching. A refused insert throws 42501; a refused select, update
 * or delete sees 0 rows. "blocker" blocked the owner; "blocked" was blocked by the owner. The forum
 * is for signed-in active accounts: anon and suspended accounts (the owner too, once suspended) see
 * and change nothing.
 */
const ROLES = ['anon', 'owner', 'other', 'blocker', 'blocked', 'suspended', 'owner suspended', 'creator', 'admin'] as const;
type Role = (typeof ROLES)[number];
type Expected = number | 'throws';
type Op = 'select' | 'insert' | 'update' | 'delete';

let db: pg.Client;
const users = {} as Record<Exclude<Role, 'anon' | 'owner suspended'>, Account>;
/** The owner's post (with the owner's reply and like), and a second post nobody liked yet. */
let postId: number;
let freshPostId: number;

function actor(role: Role): Actor {
  switch (role) {
    case 'anon':
      return asAnon();
    case 'owner suspended':
      return asAccount(users.owner, 'suspended');
    case 'suspended':
      return asAccount(users.suspended, 'suspended');
    case 'creator':
      return asCreator(users.creator);
    case 'admin':
      return asAdmin(users.admin);
    default:
      return asVisitor(users[role]);
  }
}

beforeAll(async () => {
  db = await connectAsPostgres();
  users.owner = await createAccount(db);
  users.other = await createAccount(db);
  users.blocker = await createAccount(db);
  users.blocked = await createAccount(db);
  users.suspended = await createAccount(db, { status: 'suspended' });
  users.creator = await createAccount(db, { role: 'creator' });
  users.admin = await createAccount(db, { role: 'admin' });
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [users.blocker.id, users.owner.id, users.blocked.id]);
  const insertPost = async () =>
    (await db.query<{ id: number }>(`insert into public.forum_posts (created_by, content) values ($1, 'Owner''s post') returning id::int`, [users.owner.id]))
      .rows[0]!.id;
  postId = await insertPost();
  freshPostId = await insertPost();
  await db.query(`insert into public.forum_replies (post_id, created_by, content) values ($1, $2, 'Owner''s reply')`, [postId, users.owner.id]);
  await db.query('insert into public.forum_likes (post_id, user_id) values ($1, $2)', [postId, users.owner.id]);
});
afterAll(async () => {
  await db.end();
});

/** The statement each operation runs as the role, on the owner's row (an insert writes the role's own). */
const STATEMENTS: Record<string, Record<Op, () => [string, unknown[]]>> = {
  forum_posts: {
    select: () => ['select id from public.forum_posts where id = $1', [postId]],
    insert: () => [`insert into public.forum_posts (content) values ('A new post')`, []],
    update: () => [`update public.forum_posts set content = 'Edited' where id = $1`, [postId]],
    delete: () => ['delete from public.forum_posts where id = $1', [postId]],
  },
  forum_replies: {
    select: () => ['select id from public.forum_replies where post_id = $1 and created_by = $2', [postId, users.owner.id]],
    insert: () => [`insert into public.forum_replies (post_id, content) values ($1, 'A reply')`, [postId]],
    update: () => [`update public.forum_replies set content = 'Edited' where post_id = $1`, [postId]],
    delete: () => ['delete from public.forum_replies where post_id = $1 and created_by = $2', [postId, users.owner.id]],
  },
  forum_likes: {
    select: () => ['select 1 from public.forum_likes where post_id = $1 and user_id = $2', [postId, users.owner.id]],
    insert: () => ['insert into public.forum_likes (post_id) values ($1)', [freshPostId]],
    update: () => ['update public.forum_likes set created_at = now() where post_id = $1', [postId]],
    delete: () => ['delete from public.forum_likes where post_id = $1 and user_id = $2', [postId, users.owner.id]],
  },
};

//                                  anon      owner  other  blocker   blocked   suspended owner-susp creator admin
const row = (...values: Expected[]) => Object.fromEntries(ROLES.map((role, i) => [role, values[i]!])) as Record<Role, Expected>;
const T = 'throws';
const EXPECTED: Record<string, Record<Op, Record<Role, Expected>>> = {
  forum_posts: {
    select: row(0, 1, 1, 0, 0, 0, 0, 1, 1),
    insert: row(T, 1, 1, 1, 1, T, T, 1, 1),
    update: row(T, 1, 0, 0, 0, 0, 0, 0, 0),
    delete: row(0, 1, 0, 0, 0, 0, 0, 0, 1),
  },
  forum_replies: {
    select: row(0, 1, 1, 0, 0, 0, 0, 1, 1),
    insert: row(T, 1, 1, T, T, T, T, 1, 1),
    update: row(T, T, T, T, T, T, T, T, T),
    delete: row(0, 1, 0, 0, 0, 0, 0, 0, 1),
  },
  forum_likes: {
    select: row(0, 1, 1, 0, 0, 0, 0, 1, 1),
    insert: row(T, 1, 1, T, T, T, T, 1, 1),
    update: row(T, T, T, T, T, T, T, T, T),
    delete: row(0, 1, 0, 0, 0, 0, 0, 0, 0),
  },
};

const CASES = Object.entries(EXPECTED).flatMap(([table, ops]) =>
  (Object.entries(ops) as [Op, Record<Role, Expected>][]).flatMap(([op, byRole]) =>
    ROLES.map((role) => [table, op, role, byRole[role]] as const),
  ),
);

describe('forum policy matrix', () => {
  it.each(CASES)('%s %s as %s → %s', async (table, op, role, expected) => {
    const [sql, params] = STATEMENTS[table]![op]();
    const attempt = runAs(db, actor(role), (c) => rowCount(c, sql, params));
    if (expected === 'throws') expect(await sqlstateOf(attempt)).toBe('42501');
    else expect(await attempt).toBe(expected);
  });
});

describe('forum walls beyond the matrix', () => {
  it('an admin who reads across a block still cannot reply to or like across it', async () => {
    const adminBlocked = await createAccount(db);
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [users.admin.id, adminBlocked.id]);
    const post = (await db.query<{ id: number }>(`insert into public.forum_posts (created_by, content) values ($1, 'x') returning id::int`, [adminBlocked.id])).rows[0]!.id;
    const seen = await runAs(db, asAdmin(users.admin), (c) => rowCount(c, 'select 1 from public.forum_posts where id = $1', [post]));
    expect(seen).toBe(1);
    for (const sql of ['insert into public.forum_likes (post_id) values ($1)', `insert into public.forum_replies (post_id, content) values ($1, 'hi')`]) {
      expect(await sqlstateOf(runAs(db, asAdmin(users.admin), (c) => c.query(sql, [post])))).toBe('42501');
    }
  });

  it('likes and replies of a user in a block are hidden on a third party\'s post, both ways', async () => {
    const [author, a, b] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [a.id, b.id]);
    const post = (await db.query<{ id: number }>(`insert into public.forum_posts (created_by, content) values ($1, 'x') returning id::int`, [author.id])).rows[0]!.id;
    for (const user of [a, b]) {
      await db.query('insert into public.forum_likes (post_id, user_id) values ($1, $2)', [post, user.id]);
      await db.query(`insert into public.forum_replies (post_id, created_by, content) values ($1, $2, 'hi')`, [post, user.id]);
    }
    const seenBy = (viewer: Account) =>
      runAs(db, asVisitor(viewer), async (c) => ({
        likers: (await c.query('select user_id from public.forum_likes where post_id = $1 order by user_id', [post])).rows.map((r) => r.user_id),
        repliers: (await c.query('select created_by from public.forum_replies where post_id = $1 order by created_by', [post])).rows.map((r) => r.created_by),
      }));
    expect(await seenBy(a)).toEqual({ likers: [a.id], repliers: [a.id] });
    expect(await seenBy(b)).toEqual({ likers: [b.id], repliers: [b.id] });
    expect((await seenBy(author)).likers).toHaveLength(2);
  });

  it('a suspended author\'s posts and replies disappear for readers and come back when active again', async () => {
    const [author, reader] = [await createAccount(db), await createAccount(db)];
    const post = (await db.query<{ id: number }>(`insert into public.forum_posts (created_by, content) values ($1, 'x') returning id::int`, [author.id])).rows[0]!.id;
    const visible = () => runAs(db, asVisitor(reader), (c) => rowCount(c, 'select 1 from public.forum_posts where id = $1', [post]));
    expect(await visible()).toBe(1);
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [author.id]);
    expect(await visible()).toBe(0);
    await db.query(`update public.profiles set status = 'active' where id = $1`, [author.id]);
    expect(await visible()).toBe(1);
  });

  it('clients cannot set counters, the author or author_active (column privileges)', async () => {
    for (const sql of [
      'update public.forum_posts set like_count = 1000 where id = $1',
      'update public.forum_posts set reply_count = 1000 where id = $1',
      'update public.forum_posts set author_active = true where id = $1',
      'update public.forum_posts set picture_names = array[]::text[] where id = $1',
    ]) {
      expect(await sqlstateOf(runAs(db, asVisitor(users.owner), (c) => c.query(sql, [postId])))).toBe('42501');
    }
    const forged = runAs(db, asVisitor(users.other), (c) =>
      c.query(`insert into public.forum_posts (created_by, content) values ($1, 'forged')`, [users.owner.id]));
    expect(await sqlstateOf(forged)).toBe('42501');
  });
});
