import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, asVisitor, connectAsPostgres, runAs, sqlstateOf, type AccountStatus } from '../helpers/db.ts';
import { column, createAccount, rowCount, type Account } from './accounts-fixtures.ts';

/**
 * Account state travels in the JWT (`account_status`): suspended, banned and deactivated accounts
 * read what anon can and write nothing; an active account writes what its policies allow. Each write
 * is tried with every status, so the active row shows the write is possible at all.
 */
let db: pg.Client;
let target: Account;
let hidden: Account;
const users = {} as Record<AccountStatus, Account>;
const STATUSES: AccountStatus[] = ['active', 'suspended', 'banned', 'deactivated'];

beforeAll(async () => {
  db = await connectAsPostgres();
  target = await createAccount(db);
  hidden = await createAccount(db, { status: 'deactivated' });
  for (const status of STATUSES) {
    const user = await createAccount(db, { status });
    users[status] = user;
    // Something of each kind to change: a follow, a block (of someone else: a block ends follows),
    // and the welcome notification.
    const [followed, blocked] = [await createAccount(db), await createAccount(db)];
    await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [user.id, followed.id]);
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [user.id, blocked.id]);
  }
});
afterAll(async () => {
  await db.end();
});

/** One write each, as the user themself; returns rows changed, or throws (insert refused). */
const WRITES: [string, 'rows' | 'throws', (user: Account) => [string, unknown[]]][] = [
  ['profile update', 'rows', (u) => [`update public.profiles set first_name = 'New' where id = $1`, [u.id]]],
  ['personal details update', 'rows', (u) => [`update public.personal_details set user_address = 'Street 1' where user_id = $1`, [u.id]]],
  [
    'notification preference update',
    'rows',
    (u) => [`update public.notification_preferences set likes_notifications = false where user_id = $1`, [u.id]],
  ],
  ['notification marked read', 'rows', (u) => [`update public.notifications set is_read = true where user_id = $1`, [u.id]]],
  ['notification delete', 'rows', (u) => [`delete from public.notifications where user_id = $1`, [u.id]]],
  ['unfollow', 'rows', (u) => [`delete from public.follows where follower_id = $1`, [u.id]]],
  ['unblock', 'rows', (u) => [`delete from public.blocks where blocker_id = $1`, [u.id]]],
  ['follow insert', 'throws', (u) => [`insert into public.follows (follower_id, followed_id) values ($1, $2)`, [u.id, target.id]]],
  ['block insert', 'throws', (u) => [`insert into public.blocks (blocker_id, blocked_id) values ($1, $2)`, [u.id, target.id]]],
];

describe.each(WRITES)('%s', (_name, kind, statement) => {
  it.each(STATUSES)('by a %s account', async (status) => {
    const user = users[status];
    const [sql, params] = statement(user);
    const write = runAs(db, asAccount(user, status), (c) => rowCount(c, sql, params));
    if (status === 'active') {
      expect(await write).toBeGreaterThan(0);
    } else if (kind === 'throws') {
      expect(await sqlstateOf(write)).toBe('42501');
    } else {
      expect(await write).toBe(0);
    }
  });
});

describe('mark_all_notifications_read', () => {
  it.each(STATUSES.map((s) => [s, s === 'active' ? 1 : 0] as const))('by a %s account marks %i', async (status, expected) => {
    const marked = await runAs(db, asAccount(users[status], status), async (c) =>
      (await c.query('select public.mark_all_notifications_read() as n')).rows[0].n,
    );
    expect(marked).toBe(expected);
  });
});

describe('non-active accounts read what anon can', () => {
  const visible = (actor: ReturnType<typeof asAnon>) =>
    runAs(db, actor, (c) => column(c, 'select id from public.public_profiles where id = any($1) order by id', [[target.id, hidden.id]]));

  it.each(['suspended', 'banned', 'deactivated'] as AccountStatus[])('a %s account sees the active profiles anon sees', async (status) => {
    const anon = await visible(asAnon());
    expect(anon).toEqual([target.id]);
    expect(await visible(asAccount(users[status], status))).toEqual(anon);
  });

  it.each(['suspended', 'banned', 'deactivated'] as AccountStatus[])('a %s account reads creator badges and follows', async (status) => {
    const creator = await createAccount(db, { role: 'creator' });
    const seen = await runAs(db, asAccount(users[status], status), async (c) => ({
      roles: await rowCount(c, 'select 1 from public.user_roles where user_id = $1', [creator.id]),
      follows: await rowCount(c, 'select 1 from public.follows where follower_id = $1', [users.active.id]),
    }));
    expect(seen).toEqual({ roles: 1, follows: 1 });
  });
});

describe('deactivate_account', () => {
  it('deactivates an active account once; a second call raises "User inactive or deleted."', async () => {
    const user = await createAccount(db);
    const result = await runAs(db, asVisitor(user), async (c) => {
      const first = (await c.query('select public.deactivate_account() as r')).rows[0].r;
      const status = (await c.query('select status from public.profiles where id = $1', [user.id])).rows[0].status;
      const second = await c.query('select public.deactivate_account()').then(
        () => undefined,
        (error: { code?: string; message?: string }) => ({ code: error.code, message: error.message }),
      );
      return { first, status, second };
    });
    expect(result).toEqual({
      first: { detail: 'Profile deactivated successfully' },
      status: 'deactivated',
      second: { code: 'P0001', message: 'User inactive or deleted.' },
    });
  });

  it.each(['suspended', 'banned', 'deactivated'] as AccountStatus[])('a %s account cannot deactivate (P0001)', async (status) => {
    const user = await createAccount(db, { status });
    const call = runAs(db, asAccount(user, status), (c) => c.query('select public.deactivate_account()'));
    await expect(call).rejects.toMatchObject({ code: 'P0001', message: 'User inactive or deleted.' });
  });

  it('touches only the caller', async () => {
    const [user, bystander] = [await createAccount(db), await createAccount(db)];
    const statuses = await runAs(db, asVisitor(user), async (c) => {
      await c.query('select public.deactivate_account()');
      await c.query('reset role');
      return column(c, 'select status from public.profiles where id = any($1) order by id = $2', [[user.id, bystander.id], user.id]);
    });
    expect(statuses).toEqual(['active', 'deactivated']);
  });

  it('anon cannot call it (42501)', async () => {
    expect(await sqlstateOf(runAs(db, asAnon(), (c) => c.query('select public.deactivate_account()')))).toBe('42501');
  });
});
