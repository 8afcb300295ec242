import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAnon, asVisitor, connectAsPostgres, connectAsRole, runAs, sqlstateOf, type AccountStatus, type AppRole } from '../helpers/db.ts';
import { createAccount } from './accounts-fixtures.ts';

/**
 * public.custom_access_token_hook, called as Auth calls it: by supabase_auth_admin with a GoTrue
 * event. It adds user_role and account_status to the claims, or refuses non-active accounts with a
 * 403 hook error; the API roles cannot call it.
 */
let db: pg.Client;
let auth: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
  auth = await connectAsRole('supabase_auth_admin');
});
afterAll(async () => {
  await auth.end();
  await db.end();
});

/** The event GoTrue sends before it signs an access token. */
const eventFor = (user: { id: string; email: string }) => ({
  user_id: user.id,
  authentication_method: 'password',
  claims: {
    aud: 'authenticated',
    exp: 1_900_000_000,
    iat: 1_800_000_000,
    iss: 'http://127.0.0.1:54321/auth/v1',
    sub: user.id,
    email: user.email,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: 1_800_000_000 }],
    session_id: '5f1b6e5a-64a8-4d5b-9a36-0d3b4c1f2e11',
    is_anonymous: false,
  },
});

async function callHook(event: unknown) {
  await auth.query('begin');
  try {
    const { rows } = await auth.query('select public.custom_access_token_hook($1::jsonb) as result', [JSON.stringify(event)]);
    return rows[0].result;
  } finally {
    await auth.query('rollback');
  }
}

describe('for an active account', () => {
  it.each(['visitor', 'creator', 'admin'] as AppRole[])('a %s gets user_role and account_status, the other claims untouched', async (role) => {
    const user = await createAccount(db, { role });
    const event = eventFor(user);
    expect(await callHook(event)).toEqual({ claims: { ...event.claims, user_role: role, account_status: 'active' } });
  });
});

describe('for a non-active account', () => {
  it.each([
    ['deactivated', 'Your account is inactive. Please contact support.'],
    ['suspended', 'Your account is suspended. Please contact support.'],
    ['banned', 'Your account has been banned.'],
  ] as [AccountStatus, string][])('a %s account gets a 403 hook error: %s', async (status, message) => {
    const user = await createAccount(db, { status });
    expect(await callHook(eventFor(user))).toEqual({ error: { http_code: 403, message } });
  });

  it('a status change reaches the next token', async () => {
    const user = await createAccount(db);
    expect((await callHook(eventFor(user))).claims.account_status).toBe('active');
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [user.id]);
    expect((await callHook(eventFor(user))).error.http_code).toBe(403);
  });
});

describe('who may call it', () => {
  it.each([
    ['anon', () => asAnon()],
    ['a signed-in user', () => asVisitor({ id: '00000000-0000-0000-0000-000000000001' })],
  ])('%s cannot (42501)', async (_name, actor) => {
    const user = await createAccount(db);
    const call = runAs(db, actor(), (c) => c.query('select public.custom_access_token_hook($1::jsonb)', [JSON.stringify(eventFor(user))]));
    expect(await sqlstateOf(call)).toBe('42501');
  });
});
