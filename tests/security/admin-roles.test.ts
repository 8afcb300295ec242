import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessToken, createAccount, type TestUser } from '../functions/accounts.ts';
import { serviceClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres, sqlstateOf } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';

/**
 * Issue 7, item 2: admin rights are checked on the live role, nobody changes their own role, and every
 * role change is audited with its actor. Item 8 (part): anon and other users cannot list the admins.
 * Attacks go through raw REST (fetch) and raw supabase-js with tokens Auth issued.
 */
const stack = stackEnv();
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

const roleOf = async (id: string) => (await db.query('select role from public.user_roles where user_id = $1', [id])).rows[0]?.role as string;
const statusOf = async (id: string) => (await db.query('select status from public.profiles where id = $1', [id])).rows[0]?.status as string;
const roleAudit = async (id: string) =>
  (
    await db.query(
      `select actor, action, from_role, to_role from public.account_actions where user_id = $1 and action = 'role_change' order by id`,
      [id],
    )
  ).rows;

/** A user made admin in the dashboard, with a token Auth issued while they were admin. */
async function signedInAdmin(): Promise<TestUser & { token: string }> {
  const user = await createAccount();
  await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [user.id]);
  return { ...user, token: await accessToken(user) };
}

/** Raw REST with a bearer (the anon key when none). */
async function rest(path: string, token = stack.anonKey, init: RequestInit = {}) {
  const response = await fetch(`${stack.url}/rest/v1/${path}`, {
    ...init,
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...init.headers },
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

describe('an admin demoted mid-session (the old token still says admin)', { timeout: 60_000 }, () => {
  let demoted: TestUser & { token: string };
  let victim: TestUser;
  beforeAll(async () => {
    demoted = await signedInAdmin();
    victim = await createAccount();
    await db.query(`update public.user_roles set role = 'visitor' where user_id = $1`, [demoted.id]);
    const claims = JSON.parse(Buffer.from(demoted.token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims.user_role).toBe('admin');
  });

  it('cannot re-promote itself through REST', async () => {
    const reply = await rest(`user_roles?user_id=eq.${demoted.id}`, demoted.token, {
      method: 'PATCH',
      body: JSON.stringify({ role: 'admin' }),
      headers: { Prefer: 'return=representation' },
    });
    expect(reply).toEqual({ status: 200, body: [] });
    expect(await roleOf(demoted.id)).toBe('visitor');
  });

  it("cannot change another user's role", async () => {
    const { data, error } = await userClient(demoted.token).from('user_roles').update({ role: 'admin' }).eq('user_id', victim.id).select();
    expect({ data, error }).toEqual({ data: [], error: null });
    expect(await roleOf(victim.id)).toBe('visitor');
  });

  it.each(['admin_suspend_user', 'admin_ban_user'])('cannot call %s (42501), the victim stays active', async (fn) => {
    const { error } = await userClient(demoted.token).rpc(fn, { p_user_id: victim.id, p_reason: 'revenge' });
    expect(error).toMatchObject({ code: '42501' });
    expect(await statusOf(victim.id)).toBe('active');
  });

  it("no longer reads a banned user's profile", async () => {
    const banned = await createAccount();
    await db.query(`update public.profiles set status = 'banned' where id = $1`, [banned.id]);
    const { data } = await userClient(demoted.token).from('profiles').select('id').eq('id', banned.id);
    expect(data).toEqual([]);
  });

  it('cannot list users or read the audit', async () => {
    const list = await userClient(demoted.token).rpc('admin_list_users');
    expect(list.error).toMatchObject({ code: '42501' });
    const audit = await userClient(demoted.token).from('account_actions').select('id').eq('user_id', demoted.id);
    expect(audit).toMatchObject({ data: [], error: null });
  });
});

describe('an admin suspended mid-session keeps no rights either', { timeout: 60_000 }, () => {
  it('its old token cannot ban (42501)', async () => {
    const suspended = await signedInAdmin();
    const victim = await createAccount();
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [suspended.id]);
    const { error } = await userClient(suspended.token).rpc('admin_ban_user', { p_user_id: victim.id });
    expect(error).toMatchObject({ code: '42501' });
    expect(await statusOf(victim.id)).toBe('active');
  });
});

describe('nobody changes their own role', { timeout: 60_000 }, () => {
  it('a live admin cannot demote or change itself through REST (0 rows)', async () => {
    const admin = await signedInAdmin();
    const { data } = await userClient(admin.token).from('user_roles').update({ role: 'creator' }).eq('user_id', admin.id).select();
    expect(data).toEqual([]);
    expect(await roleOf(admin.id)).toBe('admin');
  });

  it('a visitor cannot promote itself through REST (0 rows)', async () => {
    const user = await createAccount();
    const { data } = await userClient(await accessToken(user)).from('user_roles').update({ role: 'admin' }).eq('user_id', user.id).select();
    expect(data).toEqual([]);
    expect(await roleOf(user.id)).toBe('visitor');
  });

  it('a code path running with the user as definer (any RPC) meets the trigger (42501)', async () => {
    const admin = await createAccount();
    await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [admin.id]);
    await db.query('begin');
    try {
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify({ sub: admin.id, role: 'authenticated' })]);
      expect(await sqlstateOf(db.query(`update public.user_roles set role = 'visitor' where user_id = $1`, [admin.id]))).toBe('42501');
    } finally {
      await db.query('rollback');
    }
  });

  it('the dashboard (postgres, no user) may change any role', async () => {
    const user = await createAccount();
    await db.query(`update public.user_roles set role = 'creator' where user_id = $1`, [user.id]);
    expect(await roleOf(user.id)).toBe('creator');
  });
});

describe('every role change is audited, door by door', { timeout: 60_000 }, () => {
  it('a live admin through REST: its id', async () => {
    const admin = await signedInAdmin();
    const user = await createAccount();
    const reply = await rest(`user_roles?user_id=eq.${user.id}`, admin.token, { method: 'PATCH', body: JSON.stringify({ role: 'creator' }) });
    expect(reply.status).toBe(204);
    expect(await roleAudit(user.id)).toEqual([{ actor: admin.id, action: 'role_change', from_role: 'visitor', to_role: 'creator' }]);
  });

  it('service_role through REST: service_role', async () => {
    const user = await createAccount();
    const { error } = await serviceClient().from('user_roles').update({ role: 'creator' }).eq('user_id', user.id);
    expect(error).toBeNull();
    expect(await roleAudit(user.id)).toEqual([{ actor: 'service_role', action: 'role_change', from_role: 'visitor', to_role: 'creator' }]);
  });

  it('the dashboard: update, delete and insert, as dashboard', async () => {
    const user = await createAccount();
    await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [user.id]);
    await db.query('delete from public.user_roles where user_id = $1', [user.id]);
    await db.query(`insert into public.user_roles (user_id, role) values ($1, 'creator')`, [user.id]);
    await db.query(`update public.user_roles set updated_at = now() where user_id = $1`, [user.id]);
    expect(await roleAudit(user.id)).toEqual([
      { actor: 'dashboard', action: 'role_change', from_role: 'visitor', to_role: 'admin' },
      { actor: 'dashboard', action: 'role_change', from_role: 'admin', to_role: null },
      { actor: 'dashboard', action: 'role_change', from_role: null, to_role: 'creator' },
    ]);
  });
});

describe('who the admins are is not public (item 8)', { timeout: 60_000 }, () => {
  let admin: TestUser & { token: string };
  let creator: TestUser;
  let otherToken: string;
  beforeAll(async () => {
    admin = await signedInAdmin();
    creator = await createAccount();
    await db.query(`update public.user_roles set role = 'creator' where user_id = $1`, [creator.id]);
    otherToken = await accessToken(await createAccount());
  });

  it.each([
    ['anon', () => stack.anonKey],
    ['another user', () => otherToken],
  ])('%s lists no admin through user_roles', async (_name, token) => {
    const byRole = await rest('user_roles?select=user_id&role=eq.admin', token());
    expect(byRole).toEqual({ status: 200, body: [] });
    const byId = await rest(`user_roles?select=role&user_id=in.(${admin.id},${creator.id})`, token());
    expect(byId).toEqual({ status: 200, body: [{ role: 'creator' }] });
  });

  it.each([
    ['anon', () => stack.anonKey],
    ['another user', () => otherToken],
  ])("%s sees an admin's user_group as visitor, a creator's as creator", async (_name, token) => {
    const reply = await rest(`public_profiles?select=id,user_group&id=in.(${admin.id},${creator.id})`, token());
    expect(reply.status).toBe(200);
    expect(Object.fromEntries((reply.body as { id: string; user_group: string }[]).map((r) => [r.id, r.user_group]))).toEqual({
      [admin.id]: 'visitor',
      [creator.id]: 'creator',
    });
    const filtered = await rest('public_profiles?select=id&user_group=eq.admin', token());
    expect(filtered).toEqual({ status: 200, body: [] });
  });

  it('the admin sees its own group', async () => {
    const reply = await rest(`public_profiles?select=user_group&id=eq.${admin.id}`, admin.token);
    expect(reply).toEqual({ status: 200, body: [{ user_group: 'admin' }] });
  });

  it('anon cannot call admin_list_users', async () => {
    const reply = await rest('rpc/admin_list_users', stack.anonKey, { method: 'POST', body: '{}' });
    expect(reply.status).toBe(401);
  });
});
