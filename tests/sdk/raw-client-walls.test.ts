/**
 * The walls hold for a client that bypasses the SDK: plain supabase-js with real sessions from
 * Auth (so the JWTs carry the hook's claims) against REST and Auth. Each case is an attempt the
 * SDK would never make.
 */
import { randomBytes } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { decodeJwt } from '../local/auth/helpers.ts';

const PASSWORD = 'Walls-hold-2026!';

interface Account {
  id: string;
  email: string;
  username: string;
  client: SupabaseClient;
}

async function signUp(tag: string): Promise<Account> {
  const username = `${tag}_${randomBytes(4).toString('hex')}`;
  const email = `${username}@example.com`;
  const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD, options: { data: { username } } });
  if (error || !data.session) throw error ?? new Error('no session');
  return { id: data.user!.id, email, username, client: userClient(data.session.access_token) };
}

async function signIn(email: string) {
  return anonClient().auth.signInWithPassword({ email, password: PASSWORD });
}

let db: pg.Client;
let owner: Account;
let other: Account;
let admin: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  [owner, other, admin] = await Promise.all([signUp('owner'), signUp('other'), signUp('admin')]);
  await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [admin.id]);
  const { data, error } = await signIn(admin.email);
  if (error) throw error;
  admin.client = userClient(data.session!.access_token);
});
afterAll(async () => db?.end());

describe('a user cannot raise their own rights', () => {
  it.each([
    ['status', { status: 'active' }],
    ['username', { username: 'someone_else' }],
    ['user_type', { user_type: 'staff' }],
  ])('profiles.%s is not theirs to write (42501)', async (_column, patch) => {
    const { error } = await owner.client.from('profiles').update(patch).eq('id', owner.id);
    expect(error?.code).toBe('42501');
  });

  it('cannot make themselves admin, by update or by insert', async () => {
    const update = await owner.client.from('user_roles').update({ role: 'admin' }).eq('user_id', owner.id).select();
    expect(update.error).toBeNull();
    expect(update.data).toEqual([]);
    const insert = await owner.client.from('user_roles').insert({ user_id: owner.id, role: 'admin' });
    expect(insert.error?.code).toBe('42501');
    const { rows } = await db.query('select role from public.user_roles where user_id = $1', [owner.id]);
    expect(rows).toEqual([{ role: 'visitor' }]);
  });

  it.each([
    ['issue_one_time_code', { p_purpose: 'password_reset', p_subject: 'x' }],
    ['find_sign_in_account', { p_login: 'alice' }],
    ['verify_user_password', { p_user_id: '00000000-0000-0000-0000-000000000000', p_password: 'x' }],
    ['capture_sms', { p_phone: '+15550000000', p_body: 'x' }],
    ['phone_in_use', { p_phone: '+15550000000' }],
  ])('cannot call the service-role function %s (schema service: permission denied)', async (fn, args) => {
    const { error } = await owner.client.schema('service').rpc(fn, args);
    expect(error?.code).toBe('42501');
  });

  it('cannot use the admin functions', async () => {
    const suspend = await owner.client.rpc('admin_suspend_user', { p_user_id: other.id, p_reason: 'no' });
    expect(suspend.error?.code).toBe('42501');
    const list = await owner.client.rpc('admin_list_users', {});
    expect(list.error?.code).toBe('42501');
    const { rows } = await db.query('select status from public.profiles where id = $1', [other.id]);
    expect(rows).toEqual([{ status: 'active' }]);
  });
});

describe('other people\'s data', () => {
  it('personal details and notifications of another user read as nothing', async () => {
    const details = await other.client.from('personal_details').select('*').eq('user_id', owner.id);
    expect(details.data).toEqual([]);
    const notes = await other.client.from('notifications').select('*').eq('user_id', owner.id);
    expect(notes.data).toEqual([]);
    const own = await owner.client.from('notifications').select('message');
    expect(own.data).toEqual([{ message: `Welcome ${owner.username}! Your account has been successfully created.` }]);
  });

  it('another user\'s profile cannot be edited (0 rows)', async () => {
    const { data } = await other.client.from('profiles').update({ first_name: 'Mallory' }).eq('id', owner.id).select();
    expect(data).toEqual([]);
  });

  it('anon reads public profiles but no notification, preference or detail', async () => {
    const anon = anonClient();
    expect((await anon.from('public_profiles').select('username').eq('id', owner.id)).data).toEqual([{ username: owner.username }]);
    for (const table of ['notifications', 'notification_preferences', 'personal_details'] as const) {
      expect((await anon.from(table).select('*')).data).toEqual([]);
    }
  });
});

describe('an admin changes a role', () => {
  it('takes effect at the user\'s next refresh, not in the token they hold', async () => {
    const user = await signUp('promoted');
    const session = await signIn(user.email);
    const before = session.data.session!;

    const promoted = await admin.client.from('user_roles').update({ role: 'creator' }).eq('user_id', user.id).select('role');
    expect(promoted.data).toEqual([{ role: 'creator' }]);

    expect(decodeJwt(before.access_token).user_role).toBe('visitor');
    const refreshed = await anonClient().auth.refreshSession({ refresh_token: before.refresh_token });
    expect(refreshed.error).toBeNull();
    expect(decodeJwt(refreshed.data.session!.access_token).user_role).toBe('creator');
  });
});

describe('an admin suspends a user', () => {
  it('the suspended user cannot sign in, refresh or write, and the action is audited', async () => {
    const target = await signUp('suspended');
    const session = await signIn(target.email);
    const refreshToken = session.data.session!.refresh_token;

    const suspended = await admin.client.rpc('admin_suspend_user', { p_user_id: target.id, p_reason: 'spam' });
    expect(suspended.error).toBeNull();
    expect(suspended.data).toMatchObject({ status: 'suspended' });

    const write = await target.client.from('profiles').update({ first_name: 'Still here' }).eq('id', target.id).select();
    expect(write.data).toEqual([]);

    const refused = await signIn(target.email);
    expect(refused.error?.status).toBe(403);
    expect(refused.error?.message).toBe('Your account is suspended. Please contact support.');
    // The suspension revoked the session: its refresh token is gone.
    const refresh = await anonClient().auth.refreshSession({ refresh_token: refreshToken });
    expect(refresh.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });

    const audit = await admin.client.from('account_actions').select('action, reason, admin_id').eq('user_id', target.id);
    expect(audit.data).toEqual([{ action: 'suspend', reason: 'spam', admin_id: admin.id }]);
    expect((await owner.client.from('account_actions').select('*').eq('user_id', target.id)).data).toEqual([]);
  });
});
