import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asVisitor, connectAsPostgres, runAs, sqlstateOf, type AccountStatus, type Actor } from '../helpers/db.ts';
import { createAccount, rowCount, uniqueTag, type Account } from './accounts-fixtures.ts';

/**
 * Account administration: only an active admin (JWT user_role 'admin', account_status 'active')
 * suspends, unsuspends, bans and unbans, never themself and only from the right status; each action
 * is audited in account_actions, which only admins read; admin_list_users is admins only.
 */
let db: pg.Client;
let admin: Account;
let visitor: Account;
let creator: Account;
beforeAll(async () => {
  db = await connectAsPostgres();
  admin = await createAccount(db, { role: 'admin' });
  visitor = await createAccount(db);
  creator = await createAccount(db, { role: 'creator' });
});
afterAll(async () => {
  await db.end();
});

type Fn = 'admin_suspend_user' | 'admin_unsuspend_user' | 'admin_ban_user' | 'admin_unban_user' | 'admin_reactivate_user';
const statusOf = async (id: string) => (await db.query('select status from public.profiles where id = $1', [id])).rows[0].status;
/** Audit rows about `id` written by someone other than the fixtures (which act as the dashboard). */
const actionsOn = async (id: string) =>
  (await db.query(`select count(*)::int as n from public.account_actions where user_id = $1 and actor <> 'dashboard'`, [id])).rows[0].n;

describe('status changes by an active admin', () => {
  it.each([
    ['admin_suspend_user', 'active', 'suspended', 'suspend', 'suspended'],
    ['admin_unsuspend_user', 'suspended', 'active', 'unsuspend', 'unsuspended'],
    ['admin_ban_user', 'active', 'banned', 'ban', 'banned'],
    ['admin_ban_user', 'suspended', 'banned', 'ban', 'banned'],
    ['admin_ban_user', 'deactivated', 'banned', 'ban', 'banned'],
    ['admin_unban_user', 'banned', 'active', 'unban', 'unbanned'],
    ['admin_reactivate_user', 'deactivated', 'active', 'reactivate', 'reactivated'],
  ] as [Fn, AccountStatus, AccountStatus, string, string][])('%s: %s → %s, audited', async (fn, from, to, action, verb) => {
    const target = await createAccount(db, { status: from });
    const result = await runAs(db, asAdmin(admin), async (c) => {
      const answer = (await c.query(`select public.${fn}($1, $2) as r`, [target.id, '  spam, repeatedly  '])).rows[0].r;
      const status = (await c.query('select status from public.profiles where id = $1', [target.id])).rows[0].status;
      const audit = (
        await c.query(
          `select admin_id, actor, action, reason, from_status, to_status from public.account_actions
           where user_id = $1 and actor <> 'dashboard'`,
          [target.id],
        )
      ).rows;
      return { answer, status, audit };
    });
    expect(result).toEqual({
      answer: { detail: `User ${target.username} ${verb}.`, status: to },
      status: to,
      audit: [{ admin_id: admin.id, actor: admin.id, action, reason: 'spam, repeatedly', from_status: from, to_status: to }],
    });
  });

  it('the reason defaults to empty', async () => {
    const target = await createAccount(db);
    const reason = await runAs(db, asAdmin(admin), async (c) => {
      await c.query('select public.admin_suspend_user($1)', [target.id]);
      return (await c.query('select reason from public.account_actions where user_id = $1', [target.id])).rows[0].reason;
    });
    expect(reason).toBe('');
  });

  it.each([
    ['admin_unsuspend_user', 'active', 'User %u is active, so it cannot be unsuspended.'],
    ['admin_suspend_user', 'suspended', 'User %u is suspended, so it cannot be suspended.'],
    ['admin_suspend_user', 'banned', 'User %u is banned, so it cannot be suspended.'],
    ['admin_suspend_user', 'deactivated', 'User %u is deactivated, so it cannot be suspended.'],
    ['admin_ban_user', 'banned', 'User %u is banned, so it cannot be banned.'],
    ['admin_unban_user', 'active', 'User %u is active, so it cannot be unbanned.'],
    ['admin_unban_user', 'suspended', 'User %u is suspended, so it cannot be unbanned.'],
    ['admin_reactivate_user', 'active', 'User %u is active, so it cannot be reactivated.'],
    ['admin_reactivate_user', 'banned', 'User %u is banned, so it cannot be reactivated.'],
  ] as [Fn, AccountStatus, string][])('%s on a %s user is refused (P0001) and writes nothing', async (fn, from, message) => {
    const target = await createAccount(db, { status: from });
    const call = runAs(db, asAdmin(admin), (c) => c.query(`select public.${fn}($1, 'x')`, [target.id]));
    await expect(call).rejects.toMatchObject({ code: 'P0001', message: message.replace('%u', target.username) });
    expect({ status: await statusOf(target.id), actions: await actionsOn(target.id) }).toEqual({ status: from, actions: 0 });
  });

  it.each(['admin_suspend_user', 'admin_ban_user'] as Fn[])('%s on oneself is refused (P0001)', async (fn) => {
    const call = runAs(db, asAdmin(admin), (c) => c.query(`select public.${fn}($1, 'x')`, [admin.id]));
    await expect(call).rejects.toMatchObject({ code: 'P0001', message: 'You cannot change the status of your own account.' });
  });

  it('an unknown user is P0002', async () => {
    const call = runAs(db, asAdmin(admin), (c) => c.query(`select public.admin_suspend_user(gen_random_uuid(), 'x')`));
    expect(await sqlstateOf(call)).toBe('P0002');
  });

  it('a reason over 1000 characters is refused (22001)', async () => {
    const target = await createAccount(db);
    const call = runAs(db, asAdmin(admin), (c) => c.query('select public.admin_suspend_user($1, $2)', [target.id, 'x'.repeat(1001)]));
    expect(await sqlstateOf(call)).toBe('22001');
  });
});

describe('who may change a status', () => {
  const actors: [string, () => Actor][] = [
    ['anon', () => asAnon()],
    ['a visitor', () => asVisitor(visitor)],
    ['a creator', () => asCreator(creator)],
    ['a suspended admin', () => asAccount(admin, 'suspended', 'admin')],
    ['a banned admin', () => asAccount(admin, 'banned', 'admin')],
    ['a deactivated admin', () => asAccount(admin, 'deactivated', 'admin')],
    ['an admin without the claim', () => asVisitor(admin)],
  ];
  const fns: [Fn, AccountStatus][] = [
    ['admin_suspend_user', 'active'],
    ['admin_unsuspend_user', 'suspended'],
    ['admin_ban_user', 'active'],
    ['admin_unban_user', 'banned'],
    ['admin_reactivate_user', 'deactivated'],
  ];
  it.each(fns.flatMap(([fn, from]) => actors.map(([who, actor]) => [fn, who, from, actor] as const)))(
    '%s by %s: 42501, nothing written',
    async (fn, _who, from, actor) => {
      const target = await createAccount(db, { status: from });
      expect(await sqlstateOf(runAs(db, actor(), (c) => c.query(`select public.${fn}($1, 'x')`, [target.id])))).toBe('42501');
      expect({ status: await statusOf(target.id), actions: await actionsOn(target.id) }).toEqual({ status: from, actions: 0 });
    },
  );

  it.each([
    ['a visitor', () => asVisitor(visitor)],
    ['an admin', () => asAdmin(admin)],
  ])('%s cannot call private.set_account_status directly (42501)', async (_name, actor) => {
    const call = runAs(db, actor(), (c) =>
      c.query(`select private.set_account_status($1, 'ban', array['active']::public.account_status[], 'banned', 'x')`, [visitor.id]),
    );
    expect(await sqlstateOf(call)).toBe('42501');
  });
});

describe('admin_list_users', () => {
  const tag = uniqueTag();
  let listed: Record<'active' | 'suspended' | 'banned', Account>;
  beforeAll(async () => {
    listed = {
      active: await createAccount(db, { username: `list_a_${tag}`, role: 'creator' }),
      suspended: await createAccount(db, { username: `list_s_${tag}`, status: 'suspended' }),
      banned: await createAccount(db, { username: `list_b_${tag}`, status: 'banned', email: `banned-${tag}@example.org` }),
    };
  });
  const list = (actor: Actor, status: AccountStatus | null, search: string | null) =>
    runAs(db, actor, async (c) => (await c.query('select * from public.admin_list_users($1, $2) order by username', [status, search])).rows);

  it('returns id, username, email, phone, status, role and times', async () => {
    const rows = await list(asAdmin(admin), null, `list_a_${tag}`);
    expect(rows).toEqual([
      {
        id: listed.active.id,
        username: listed.active.username,
        email: listed.active.email,
        phone: null,
        status: 'active',
        role: 'creator',
        created_at: expect.any(Date),
        last_sign_in_at: null,
      },
    ]);
  });

  it.each([
    ['everyone tagged', null, () => tag, ['active', 'banned', 'suspended']],
    ['suspended only', 'suspended', () => tag, ['suspended']],
    ['banned only', 'banned', () => tag, ['banned']],
    ['active only', 'active', () => tag, ['active']],
    ['by email, any case', null, () => `BANNED-${tag}@EXAMPLE`, ['banned']],
    ['by username, any case', null, () => `LIST_S_${tag.toUpperCase()}`, ['suspended']],
    ['nothing for an unknown string', null, () => `none-${tag}`, []],
  ] as [string, AccountStatus | null, () => string, ('active' | 'suspended' | 'banned')[]][])(
    'filters %s',
    async (_name, status, search, expected) => {
      const rows = await list(asAdmin(admin), status, search());
      expect(rows.map((r) => r.id).sort()).toEqual(expected.map((k) => listed[k].id).sort());
    },
  );

  it('without filters lists users of every status', async () => {
    const statuses = new Set((await list(asAdmin(admin), null, null)).map((r) => r.status));
    expect([...statuses].sort()).toEqual(expect.arrayContaining(['active', 'banned', 'suspended']));
  });

  it.each([
    ['anon', () => asAnon()],
    ['a visitor', () => asVisitor(visitor)],
    ['a creator', () => asCreator(creator)],
    ['a suspended admin', () => asAccount(admin, 'suspended', 'admin')],
  ])('%s is refused (42501)', async (_name, actor) => {
    expect(await sqlstateOf(list(actor(), null, tag))).toBe('42501');
  });
});

describe('account_actions', () => {
  let target: Account;
  beforeAll(async () => {
    target = await createAccount(db);
    await db.query(
      `insert into public.account_actions (user_id, admin_id, action, reason, from_status, to_status)
       values ($1, $2, 'suspend', 'audit fixture', 'active', 'suspended')`,
      [target.id, admin.id],
    );
  });

  it.each([
    ['an admin', 1, () => asAdmin(admin)],
    ['the user the action was about', 0, () => asVisitor(target)],
    ['a visitor', 0, () => asVisitor(visitor)],
    ['a creator', 0, () => asCreator(creator)],
    ['anon', 0, () => asAnon()],
  ])('%s reads %i rows', async (_name, expected, actor) => {
    expect(await runAs(db, actor(), (c) => rowCount(c, 'select 1 from public.account_actions where user_id = $1', [target.id]))).toBe(expected);
  });

  it.each([
    ['insert', `insert into public.account_actions (user_id, admin_id, action, from_status, to_status) values ($1, $1, 'ban', 'active', 'banned')`],
    ['update', `update public.account_actions set reason = 'rewritten' where user_id = $1`],
    ['delete', `delete from public.account_actions where user_id = $1`],
  ])('even an admin cannot %s audit rows (42501)', async (_name, sql) => {
    expect(await sqlstateOf(runAs(db, asAdmin(admin), (c) => c.query(sql, [target.id])))).toBe('42501');
  });
});
