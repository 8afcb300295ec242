import { describe, expect, it } from 'vitest';
import { userClient } from '../helpers/clients.ts';
import { call, createAccount, randomIp, sql } from './accounts.ts';

/** functions/sign-in: a GoTrue session for username or email, DRF's messages otherwise. */
const NO_ACCOUNT = { detail: 'No active account found with the given credentials' };

describe('functions/sign-in', { timeout: 90_000 }, () => {
  it('signs in by username (any case) or email and answers GoTrue’s session', async () => {
    const user = await createAccount();
    for (const login of [{ username: user.username }, { username: user.username.toUpperCase() }, { email: user.email }, { username: user.email }]) {
      const { status, body } = await call('sign-in', { ...login, password: user.password });
      expect(status).toBe(200);
      expect(body).toMatchObject({
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        token_type: 'bearer',
        expires_in: expect.any(Number),
        user: { id: user.id, email: user.email },
      });
      const { data } = await userClient(body.access_token as string).auth.getUser();
      expect(data.user?.id).toBe(user.id);
    }
  });

  it('answers the same 401 for an unknown login and a wrong password', async () => {
    const user = await createAccount();
    expect(await call('sign-in', { username: user.username, password: 'Wrong#pass1' })).toMatchObject({ status: 401, body: NO_ACCOUNT });
    expect(await call('sign-in', { username: 'nobody_here_at_all', password: user.password })).toMatchObject({ status: 401, body: NO_ACCOUNT });
    expect(await call('sign-in', { email: 'nobody@marquee.test', password: user.password })).toMatchObject({ status: 401, body: NO_ACCOUNT });
    expect(await call('sign-in', { username: "' or 1=1 --", password: user.password })).toMatchObject({ status: 401, body: NO_ACCOUNT });
  });

  it('validates its input', async () => {
    expect(await call('sign-in', {})).toMatchObject({
      status: 400,
      body: { username: ['This field is required.'], password: ['This field is required.'] },
    });
    expect((await call('sign-in', { username: 5, password: ['x'] })).body).toEqual({
      username: ['Not a valid string.'],
      password: ['Not a valid string.'],
    });
    expect((await call('sign-in', { username: '', password: '' })).body).toEqual({
      username: ['This field may not be blank.'],
      password: ['This field may not be blank.'],
    });
  });

  it('refuses accounts that are not active with the status message (403)', async () => {
    const messages = {
      deactivated: 'Your account is inactive. Please contact support.',
      suspended: 'Your account is suspended. Please contact support.',
      banned: 'Your account has been banned.',
    };
    for (const [status, detail] of Object.entries(messages)) {
      const user = await createAccount();
      await sql('update public.profiles set status = $2 where id = $1', [user.id, status]);
      expect(await call('sign-in', { username: user.username, password: user.password })).toMatchObject({ status: 403, body: { detail } });
      // A wrong password still says nothing about the account.
      expect(await call('sign-in', { username: user.username, password: 'Wrong#pass1' })).toMatchObject({ status: 401, body: NO_ACCOUNT });
    }
  });

  it('limits one client address (as the trusted proxy forwards it) with 429, and not the others', async () => {
    const user = await createAccount();
    const ip = randomIp();
    let limited: { status: number; body: Record<string, unknown> } | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      // Logins nobody has, so no account's failure budget is what stops them.
      const batch = await Promise.all(
        Array.from({ length: 10 }, () => call('sign-in', { username: `nobody_${randomIp()}`, password: 'Wrong#pass1' }, { forwardedFor: ip })),
      );
      limited = batch.find((reply) => reply.status === 429);
    }
    expect(limited).toMatchObject({ status: 429, body: { detail: expect.any(String) } });
    // Another client is not limited.
    expect((await call('sign-in', { username: user.username, password: user.password })).status).toBe(200);
  });
});
