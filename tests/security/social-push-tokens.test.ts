/**
 * Push tokens through real Auth sessions: one row per signed-in device, gone when that device signs
 * out (Auth deletes its auth.sessions row) and when the account is deleted; a client cannot attach a
 * token to another session or account, nor read anyone else's.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, sessionOf, type TestUser } from '../functions/accounts.ts';
import { serviceClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { rawRest } from '../helpers/raw-rest.ts';

const stack = stackEnv();
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

const rest = rawRest;

const register = (token: string, pushToken: string, platform: string) =>
  rest('POST', 'rpc/register_push_token', token, { p_token: pushToken, p_platform: platform });
const tokensOf = async (user: TestUser) =>
  (await db.query('select token from public.push_tokens where user_id = $1 order by token', [user.id])).rows.map((r) => r.token as string);

describe('push tokens and sessions', { timeout: 60_000 }, () => {
  it('signing one device out removes its token and keeps the other device\'s', async () => {
    const user = await createAccount();
    const [phone, laptop] = [await sessionOf(user), await sessionOf(user)];
    expect(await register(phone.access_token, 'phone-token', 'ios')).toMatchObject({ status: 200, body: { detail: 'Push token updated.' } });
    expect((await register(laptop.access_token, 'laptop-token', 'web')).status).toBe(200);
    expect(await tokensOf(user)).toEqual(['laptop-token', 'phone-token']);

    const logout = await fetch(`${stack.url}/auth/v1/logout?scope=local`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${phone.access_token}` },
    });
    expect(logout.status).toBe(204);
    expect(await tokensOf(user)).toEqual(['laptop-token']);
  });

  it('deleting the account removes every token', async () => {
    const user = await createAccount();
    await register((await sessionOf(user)).access_token, `gone-${user.id}`, 'android');
    expect(await tokensOf(user)).toHaveLength(1);
    const { error } = await serviceClient().auth.admin.deleteUser(user.id);
    expect(error).toBeNull();
    expect(await tokensOf(user)).toEqual([]);
  });

  it('a raw insert cannot choose the session or the account; nobody reads another\'s tokens', async () => {
    const [victim, attacker] = await Promise.all([createAccount(), createAccount()]);
    const victimSession = await sessionOf(victim);
    await register(victimSession.access_token, `victim-${victim.id}`, 'ios');
    const { access_token: attackerToken } = await sessionOf(attacker);
    const victimSessionId = (await db.query('select session_id from public.push_tokens where user_id = $1', [victim.id])).rows[0].session_id;

    for (const row of [
      { token: 'forged-1', platform: 'ios', session_id: victimSessionId },
      { token: 'forged-2', platform: 'ios', user_id: victim.id },
    ]) {
      expect((await rest('POST', 'push_tokens', attackerToken, row)).status).toBe(403);
    }
    expect(await rest('GET', `push_tokens?user_id=eq.${victim.id}`, attackerToken)).toMatchObject({ status: 200, body: [] });
    expect(await rest('DELETE', `push_tokens?user_id=eq.${victim.id}`, attackerToken)).toMatchObject({ status: 200, body: [] });
    expect(await tokensOf(victim)).toEqual([`victim-${victim.id}`]);
    expect(await tokensOf(attacker)).toEqual([]);
  });

  it('a plain insert from a signed-in device registers that device', async () => {
    const user = await createAccount();
    const session = await sessionOf(user);
    const reply = await rest('POST', 'push_tokens', session.access_token, { token: `plain-${user.id}`, platform: 'web' });
    expect(reply.status).toBe(201);
    const rows = (await db.query('select s.id is not null as linked from public.push_tokens t left join auth.sessions s on s.id = t.session_id where t.user_id = $1', [user.id])).rows;
    expect(rows).toEqual([{ linked: true }]);
    expect((await register(session.access_token, 'x', 'blackberry')).status).toBe(400);
  });
});
