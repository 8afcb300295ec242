import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs, sqlstateOf } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { checkCase, createCast, DENIED, ROLES, show, suspend, type Cast, type Expected, type MatrixCase, type Operation, type Role } from './social-fixtures.ts';

/**
 * Friends (003): the friend_requests policy matrix, the five actions' answers and errors, the
 * friends list, blocks ending friendships, and the friend_request / friend_accepted notifications.
 */
let db: pg.Client;
let cast: Cast;
let recipient: Account;
let fresh: Account;
let requestId: number;
let suspendedRequestId: number;

beforeAll(async () => {
  db = await connectAsPostgres();
  cast = await createCast(db);
  [recipient, fresh] = [await createAccount(db), await createAccount(db)];
  const { rows } = await db.query<{ id: number }>(
    `insert into public.friend_requests (from_user_id, to_user_id) values ($1, $3), ($2, $3) returning id`,
    [cast.owner.id, cast.suspended.id, recipient.id],
  );
  [requestId, suspendedRequestId] = [rows[0]!.id, rows[1]!.id];
  await suspend(db, cast);
});
afterAll(async () => db?.end());

type MatrixRole = Role | 'recipient';
const MATRIX_ROLES: MatrixRole[] = [...ROLES, 'recipient'];

describe('friend_requests policy matrix (row: owner asked recipient)', () => {
  const expected: Record<Operation, Record<MatrixRole, Expected>> = {
    // Only the two parties see a request (the suspended user looks at their own).
    select: { anon: 0, owner: 1, recipient: 1, other: 0, blocker: 0, blocked: 0, suspended: 1, creator: 0, admin: 0 },
    // Each asks the owner (the owner asks a fresh user): never across a block, signed out or suspended;
    // the recipient's reverse request is the same pair (one row per pair: 23505).
    insert: { anon: DENIED, owner: 1, recipient: { throws: '23505' }, other: 1, blocker: DENIED, blocked: DENIED, suspended: DENIED, creator: 1, admin: 1 },
    // Only the recipient accepts.
    update: { anon: DENIED, owner: 0, recipient: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
    // Either party withdraws, declines or ends it, while active.
    delete: { anon: 0, owner: 1, recipient: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
  };
  const sqlFor = (role: MatrixRole, op: Operation): Pick<MatrixCase, 'sql' | 'params'> => {
    const id = role === 'suspended' ? suspendedRequestId : requestId;
    switch (op) {
      case 'select':
        return { sql: 'select 1 from public.friend_requests where id = $1', params: [id] };
      case 'insert':
        return { sql: 'insert into public.friend_requests (to_user_id) values ($1)', params: [role === 'owner' ? fresh.id : cast.owner.id] };
      case 'update':
        return { sql: `update public.friend_requests set status = 'accepted' where id = $1`, params: [id] };
      case 'delete':
        return { sql: 'delete from public.friend_requests where id = $1', params: [id] };
    }
  };
  const run = (role: MatrixRole, c: Omit<MatrixCase, 'role'>) =>
    role === 'recipient'
      ? checkCase(db, { ...cast, other: recipient }, { ...c, role: 'other' })
      : checkCase(db, cast, { ...c, role });
  const cases = MATRIX_ROLES.flatMap((role) => (['select', 'insert', 'update', 'delete'] as Operation[]).map((op) => [role, op, show(expected[op][role])] as const));
  it.each(cases)('%s %s → %s', async (role, op) => {
    await run(role, { op, expected: expected[op][role], ...sqlFor(role, op) });
  });

  it.each([
    ['from_user_id (a request in someone else\'s name)', 'insert into public.friend_requests (from_user_id, to_user_id) values ($1, $2)', () => [cast.owner.id, fresh.id]],
    ['status (a request born accepted)', `insert into public.friend_requests (to_user_id, status) values ($1, 'accepted')`, () => [fresh.id]],
    ['responded_at', 'update public.friend_requests set responded_at = now() where to_user_id = $1', () => [recipient.id]],
  ] as const)('a client cannot write %s (42501)', async (_what, sql, params) => {
    const state = await runAs(db, asVisitor(recipient), (c) => sqlstateOf(c.query(sql, params())));
    expect(state).toBe('42501');
  });
});

async function call(user: Account, fn: string, other: string | null) {
  return runAs(db, asVisitor(user), (c) =>
    c.query(`select public.${fn}($1) as r`, [other]).then(
      (result) => result.rows[0].r as { detail: string },
      (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
    ),
  );
}

/** Runs the steps as postgres-committed calls: each step as its user, committed. */
async function committed(user: Account, fn: string, other: string) {
  await db.query('begin');
  try {
    await db.query('set local role authenticated');
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(asVisitor(user).claims)]);
    const { rows } = await db.query(`select public.${fn}($1) as r`, [other]);
    await db.query('commit');
    return rows[0].r as { detail: string };
  } catch (error) {
    await db.query('rollback');
    const e = error as { code?: string; message?: string };
    return { code: e.code, message: e.message };
  }
}

describe('the five actions', () => {
  it('request → accept → unfriend, with their answers, the friends list and both notifications', async () => {
    const [ana, ben] = [await createAccount(db), await createAccount(db)];
    expect(await committed(ana, 'send_friend_request', ben.id)).toEqual({ detail: `Friend request sent to ${ben.username}.` });
    expect(await committed(ana, 'send_friend_request', ben.id)).toEqual({ code: 'PT409', message: `You have already sent a friend request to ${ben.username}.` });
    expect(await committed(ben, 'send_friend_request', ana.id)).toEqual({ code: 'PT409', message: `${ana.username} has already sent you a friend request.` });
    expect(await committed(ben, 'accept_friend_request', ana.id)).toEqual({ detail: `You are now friends with ${ana.username}.` });
    expect(await committed(ana, 'send_friend_request', ben.id)).toEqual({ code: 'PT409', message: `You are already friends with ${ben.username}.` });

    const friendsOf = (user: Account) =>
      runAs(db, asVisitor(user), async (c) => (await c.query('select id, username, friends_since is not null as dated from public.friends')).rows);
    expect(await friendsOf(ana)).toEqual([{ id: ben.id, username: ben.username, dated: true }]);
    expect(await friendsOf(ben)).toEqual([{ id: ana.id, username: ana.username, dated: true }]);

    const notes = (await db.query(
      `select user_id, notification_type::text as type, message from public.notifications
       where notification_type in ('friend_request', 'friend_accepted') and user_id = any($1) order by id`,
      [[ana.id, ben.id]],
    )).rows;
    expect(notes).toEqual([
      { user_id: ben.id, type: 'friend_request', message: `${ana.username} sent you a friend request.` },
      { user_id: ana.id, type: 'friend_accepted', message: `${ben.username} accepted your friend request.` },
    ]);

    expect(await committed(ben, 'unfriend', ana.id)).toEqual({ detail: `You are no longer friends with ${ana.username}.` });
    expect(await committed(ben, 'unfriend', ana.id)).toEqual({ code: 'PT404', message: `You are not friends with ${ana.username}.` });
    expect(await friendsOf(ana)).toEqual([]);
  });

  it('decline and cancel remove the request; the wrong side gets 404', async () => {
    const [ana, ben] = [await createAccount(db), await createAccount(db)];
    await committed(ana, 'send_friend_request', ben.id);
    expect(await committed(ana, 'accept_friend_request', ben.id)).toEqual({ code: 'PT404', message: 'Friend request not found.' });
    expect(await committed(ana, 'decline_friend_request', ben.id)).toEqual({ code: 'PT404', message: 'Friend request not found.' });
    expect(await committed(ben, 'cancel_friend_request', ana.id)).toEqual({ code: 'PT404', message: 'Friend request not found.' });
    expect(await committed(ben, 'decline_friend_request', ana.id)).toEqual({ detail: `Friend request from ${ana.username} declined.` });
    await committed(ana, 'send_friend_request', ben.id);
    expect(await committed(ana, 'cancel_friend_request', ben.id)).toEqual({ detail: `Friend request to ${ben.username} cancelled.` });
    expect((await db.query('select count(*)::int as n from public.friend_requests where from_user_id = $1', [ana.id])).rows[0].n).toBe(0);
  });

  it.each([
    ['yourself', 'self', { code: '22023', message: 'You cannot be friends with yourself.' }],
    ['an unknown user', 'unknown', { code: 'PT404', message: 'User not found.' }],
    ['a user you blocked', 'blocked', { code: '42501', message: 'You cannot send a friend request to a user you have blocked.' }],
    ['a user who blocked you', 'blocker', { code: 'PT404', message: 'User not found.' }],
    ['a suspended user', 'suspended', { code: 'PT404', message: 'User not found.' }],
    ['nobody (null)', 'null', { code: '22023', message: 'user_id is required.' }],
  ] as const)('a request to %s is refused', async (_what, kind, error) => {
    const other = { self: cast.owner.id, unknown: '00000000-0000-4000-8000-000000000002', blocked: cast.blocked.id, blocker: cast.blocker.id, suspended: cast.suspended.id, null: null }[kind];
    expect(await call(cast.owner, 'send_friend_request', other)).toEqual(error);
  });

  it('a block ends a friendship and a pending request, both ways', async () => {
    const [ana, ben, cy] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await committed(ana, 'send_friend_request', ben.id);
    await committed(ben, 'accept_friend_request', ana.id);
    await committed(cy, 'send_friend_request', ana.id);
    await committed(ana, 'toggle_block', ben.id);
    await committed(cy, 'toggle_block', ana.id);
    expect((await db.query('select count(*)::int as n from public.friend_requests where $1 in (from_user_id, to_user_id)', [ana.id])).rows[0].n).toBe(0);
  });

  it('no door writes a request across a block, the dashboard included', async () => {
    const state = await sqlstateOf(db.query('insert into public.friend_requests (from_user_id, to_user_id) values ($1, $2)', [cast.blocker.id, cast.owner.id]));
    expect(state).toBe('42501');
  });

  it('an accepted request cannot go back to pending, nor change hands', async () => {
    const [ana, ben] = [await createAccount(db), await createAccount(db)];
    await committed(ana, 'send_friend_request', ben.id);
    await committed(ben, 'accept_friend_request', ana.id);
    expect(await sqlstateOf(db.query(`update public.friend_requests set status = 'pending' where from_user_id = $1`, [ana.id]))).toBe('22023');
    expect(await sqlstateOf(db.query('update public.friend_requests set to_user_id = $2 where from_user_id = $1', [ana.id, fresh.id]))).toBe('22023');
  });
});
