import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs, sqlstateOf } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { checkCase, createCast, DENIED, ROLES, show, suspend, type Cast, type Expected, type MatrixCase, type Operation, type Role } from './social-fixtures.ts';

/**
 * Follows and blocks, as every role: the policy matrices (select / insert / update / delete), then
 * the toggles' answers and errors, the counters, the lists, and the follow notification.
 */
let db: pg.Client;
let cast: Cast;
let target: Account;
let fresh: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  cast = await createCast(db);
  [target, fresh] = [await createAccount(db), await createAccount(db)];
  // The rows under test: owner follows target; the suspended user follows target too.
  await db.query('insert into public.follows (follower_id, followed_id) values ($1, $3), ($2, $3)', [cast.owner.id, cast.suspended.id, target.id]);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [cast.suspended.id, fresh.id]);
  await suspend(db, cast);
});
afterAll(async () => db?.end());

/** The acting user's id (anon writes as nobody in particular). */
const who = (role: Role): string => (role === 'anon' ? '00000000-0000-0000-0000-000000000000' : cast[role].id);

describe('follows policy matrix (row: owner follows target)', () => {
  const expected: Record<Operation, Record<Role, Expected>> = {
    // Everyone reads follows, except rows involving someone in a block with the reader.
    select: { anon: 1, owner: 1, other: 1, blocker: 0, blocked: 0, suspended: 1, creator: 1, admin: 1 },
    // Each follows the owner (the owner follows a fresh user): never across a block, never signed out or suspended.
    insert: { anon: DENIED, owner: 1, other: 1, blocker: DENIED, blocked: DENIED, suspended: DENIED, creator: 1, admin: 1 },
    // Nobody edits a follow.
    update: { anon: DENIED, owner: DENIED, other: DENIED, blocker: DENIED, blocked: DENIED, suspended: DENIED, creator: DENIED, admin: DENIED },
    // Only the follower unfollows (the suspended user tries their own follow).
    delete: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
  };
  const sqlFor = (role: Role, op: Operation): Pick<MatrixCase, 'sql' | 'params'> => {
    const follower = role === 'suspended' ? cast.suspended.id : cast.owner.id;
    switch (op) {
      case 'select':
        return { sql: 'select 1 from public.follows where follower_id = $1 and followed_id = $2', params: [follower, target.id] };
      case 'insert':
        return role === 'owner'
          ? { sql: 'insert into public.follows (follower_id, followed_id) values ($1, $2)', params: [cast.owner.id, fresh.id] }
          : { sql: 'insert into public.follows (follower_id, followed_id) values ($1, $2)', params: [who(role), cast.owner.id] };
      case 'update':
        return { sql: 'update public.follows set created_at = now() where follower_id = $1', params: [follower] };
      case 'delete':
        return { sql: 'delete from public.follows where follower_id = $1 and followed_id = $2', params: [follower, target.id] };
    }
  };
  const cases = ROLES.flatMap((role) => (['select', 'insert', 'update', 'delete'] as Operation[]).map((op) => [role, op, show(expected[op][role])] as const));
  it.each(cases)('%s %s → %s', async (role, op) => {
    await checkCase(db, cast, { role, op, expected: expected[op][role], ...sqlFor(role, op) });
  });

  it('a follow written for someone else is refused (forged follower_id)', async () => {
    const forged = runAs(db, asVisitor(cast.other), (c) =>
      c.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [cast.owner.id, fresh.id]),
    );
    expect(await sqlstateOf(forged)).toBe('42501');
  });
});

describe('blocks policy matrix (row: owner blocks the "blocked" user)', () => {
  const expected: Record<Operation, Record<Role, Expected>> = {
    // Only the blocker sees a block.
    select: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 1, creator: 0, admin: 0 },
    // Each blocks the owner back (the owner and the blocker block a fresh user): any active user may block anyone.
    insert: { anon: DENIED, owner: 1, other: 1, blocker: 1, blocked: 1, suspended: DENIED, creator: 1, admin: 1 },
    update: { anon: DENIED, owner: DENIED, other: DENIED, blocker: DENIED, blocked: DENIED, suspended: DENIED, creator: DENIED, admin: DENIED },
    // Only the blocker unblocks, while active.
    delete: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
  };
  const sqlFor = (role: Role, op: Operation): Pick<MatrixCase, 'sql' | 'params'> => {
    const [blocker, blockedId] = role === 'suspended' ? [cast.suspended.id, fresh.id] : [cast.owner.id, cast.blocked.id];
    switch (op) {
      case 'select':
        return { sql: 'select 1 from public.blocks where blocker_id = $1 and blocked_id = $2', params: [blocker, blockedId] };
      case 'insert':
        return role === 'owner' || role === 'blocker'
          ? { sql: 'insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', params: [cast[role].id, fresh.id] }
          : { sql: 'insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', params: [who(role), cast.owner.id] };
      case 'update':
        return { sql: 'update public.blocks set created_at = now() where blocker_id = $1', params: [blocker] };
      case 'delete':
        return { sql: 'delete from public.blocks where blocker_id = $1 and blocked_id = $2', params: [blocker, blockedId] };
    }
  };
  const cases = ROLES.flatMap((role) => (['select', 'insert', 'update', 'delete'] as Operation[]).map((op) => [role, op, show(expected[op][role])] as const));
  it.each(cases)('%s %s → %s', async (role, op) => {
    await checkCase(db, cast, { role, op, expected: expected[op][role], ...sqlFor(role, op) });
  });
});

/** Calls an RPC as a user; its jsonb answer, or the error's code and message. */
async function call(user: Account, fn: string, other: string | null) {
  return runAs(db, asVisitor(user), (c) =>
    c.query(`select public.${fn}($1) as r`, [other]).then(
      (result) => result.rows[0].r as { detail: string },
      (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
    ),
  );
}

describe('toggle_follow and toggle_block', () => {
  it('answer with 000\'s messages, each call flipping the state', async () => {
    const [me, jane] = [await createAccount(db), await createAccount(db)];
    const answers = await runAs(db, asVisitor(me), async (c) => {
      const out: unknown[] = [];
      for (const fn of ['toggle_follow', 'toggle_follow', 'toggle_block', 'toggle_block']) {
        out.push((await c.query(`select public.${fn}($1) as r`, [jane.id])).rows[0].r);
      }
      return out;
    });
    expect(answers).toEqual([
      { detail: `Successfully followed ${jane.username}.` },
      { detail: `Successfully unfollowed ${jane.username}.` },
      { detail: `Successfully blocked ${jane.username}.` },
      { detail: `Successfully unblocked ${jane.username}.` },
    ]);
  });

  it.each([
    ['toggle_follow', 'yourself', 'self', { code: '22023', message: 'You cannot follow yourself.' }],
    ['toggle_block', 'yourself', 'self', { code: '22023', message: 'You cannot block yourself.' }],
    ['toggle_follow', 'an unknown user', 'unknown', { code: 'PT404', message: 'User not found.' }],
    ['toggle_block', 'an unknown user', 'unknown', { code: 'PT404', message: 'User not found.' }],
    ['toggle_follow', 'a user you blocked', 'blocked', { code: '42501', message: 'You cannot follow a user you have blocked.' }],
    ['toggle_follow', 'a user who blocked you', 'blocker', { code: 'PT404', message: 'User not found.' }],
    ['toggle_follow', 'a suspended user', 'suspended', { code: 'PT404', message: 'User not found.' }],
    ['toggle_follow', 'nobody (null)', 'null', { code: '22023', message: 'user_id is required.' }],
  ] as const)('%s of %s is refused', async (fn, _what, kind, error) => {
    const other = { self: cast.owner.id, unknown: '00000000-0000-4000-8000-000000000001', blocked: cast.blocked.id, blocker: cast.blocker.id, suspended: cast.suspended.id, null: null }[kind];
    expect(await call(cast.owner, fn, other)).toEqual(error);
  });

  it('a user who blocked you can be blocked back, and the answer names them', async () => {
    expect(await call(cast.owner, 'toggle_block', cast.blocker.id)).toEqual({ detail: `Successfully blocked ${cast.blocker.username}.` });
  });

  it('a suspended account toggles nothing (42501)', async () => {
    const answer = await runAs(db, { ...asVisitor(cast.suspended), claims: { ...asVisitor(cast.suspended).claims, account_status: 'suspended' } }, (c) =>
      sqlstateOf(c.query('select public.toggle_follow($1)', [target.id])),
    );
    expect(answer).toBe('42501');
  });

  it('anon cannot call them (42501)', async () => {
    for (const fn of ['toggle_follow', 'toggle_block']) {
      const state = await runAs(db, { role: 'anon', claims: { role: 'anon' } }, (c) => sqlstateOf(c.query(`select public.${fn}($1)`, [target.id])));
      expect(state).toBe('42501');
    }
  });
});

const counts = async (id: string) =>
  (await db.query('select follower_count::int as followers, following_count::int as following from public.profiles where id = $1', [id])).rows[0];

describe('follower and following counts', () => {
  it('follow, unfollow, a block and an account deletion keep both counts equal to the rows', async () => {
    const [a, b, c] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2), ($3, $2), ($2, $1)', [a.id, b.id, c.id]);
    expect(await counts(b.id)).toEqual({ followers: 2, following: 1 });
    expect(await counts(a.id)).toEqual({ followers: 1, following: 1 });
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [b.id, a.id]); // ends a↔b follows
    expect(await counts(b.id)).toEqual({ followers: 1, following: 0 });
    expect(await counts(a.id)).toEqual({ followers: 0, following: 0 });
    await db.query('delete from auth.users where id = $1', [c.id]);
    expect(await counts(b.id)).toEqual({ followers: 0, following: 0 });
  });

  it('public_profiles shows them', async () => {
    const row = await runAs(db, asVisitor(cast.other), async (c) =>
      (await c.query('select follower_count::int as f, following_count::int as g from public.public_profiles where id = $1', [target.id])).rows[0],
    );
    expect(row).toEqual({ f: 2, g: 0 });
  });

  it('clients cannot write them', async () => {
    const state = await runAs(db, asVisitor(cast.owner), (c) => sqlstateOf(c.query('update public.profiles set follower_count = 1000 where id = $1', [cast.owner.id])));
    expect(state).toBe('42501');
  });

  it('a dashboard edit that moves a follow moves the counts', async () => {
    const [a, b, c] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [a.id, b.id]);
    await db.query('update public.follows set followed_id = $3 where follower_id = $1 and followed_id = $2', [a.id, b.id, c.id]);
    expect([await counts(b.id), await counts(c.id)]).toEqual([{ followers: 0, following: 0 }, { followers: 1, following: 0 }]);
  });

  it('a follow is not an edit of the followed profile: updated_at stays, and moves on a real edit', async () => {
    const [fan, star] = [await createAccount(db), await createAccount(db)];
    await db.query(`update public.profiles set updated_at = '2001-01-01' where id = $1`, [star.id]);
    const stamp = async () => (await db.query('select updated_at::text as t from public.profiles where id = $1', [star.id])).rows[0].t;
    await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [fan.id, star.id]);
    expect(await stamp()).toBe('2001-01-01 00:00:00+00');
    await db.query(`update public.profiles set first_name = 'Star' where id = $1`, [star.id]);
    expect(await stamp()).not.toBe('2001-01-01 00:00:00+00');
  });

  it('a follow across a block is refused even for the dashboard', async () => {
    const state = await sqlstateOf(db.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [cast.owner.id, cast.blocker.id]));
    expect(state).toBe('42501');
  });
});

describe('followers and following lists', () => {
  it('show profiles and hide users in a block with the viewer', async () => {
    const [star, fan1, fan2] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await db.query('insert into public.follows (follower_id, followed_id) values ($1, $3), ($2, $3), ($3, $1)', [fan1.id, fan2.id, star.id]);
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [fan2.id, cast.other.id]);
    const seen = await runAs(db, asVisitor(cast.other), async (c) => ({
      followers: (await c.query('select username from public.followers where user_id = $1 order by username', [star.id])).rows.map((r) => r.username),
      following: (await c.query('select username from public.following where user_id = $1', [star.id])).rows.map((r) => r.username),
    }));
    expect(seen).toEqual({ followers: [fan1.username], following: [fan1.username] });
    const byFan2 = await runAs(db, asVisitor(fan2), async (c) => (await c.query('select count(*)::int as n from public.followers where user_id = $1', [star.id])).rows[0].n);
    expect(byFan2).toBe(2);
  });
});

describe('the follow notification', () => {
  it('reaches the followed user through notify_event, unless they turned follows off', async () => {
    const [fan, star, quiet] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    await db.query('update public.notification_preferences set follow_notifications = false where user_id = $1', [quiet.id]);
    const written = await runAs(db, asVisitor(fan), async (c) => {
      await c.query('select public.toggle_follow($1)', [star.id]);
      await c.query('select public.toggle_follow($1)', [quiet.id]);
      await c.query('reset role');
      return (await c.query(`select user_id, message, page from public.notifications where notification_type = 'follow' and user_id = any($1)`, [[star.id, quiet.id]])).rows;
    });
    expect(written).toEqual([{ user_id: star.id, message: `${fan.username} started following you.`, page: 'profile' }]);
  });
});
