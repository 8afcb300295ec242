import { describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { accessToken, call, createAccount } from './accounts.ts';

/** What every account function shares: CORS preflight, POST only, the body limit, sub-routes. */
const stack = stackEnv();
const ENDPOINTS = [
  'register',
  'sign-in',
  'change-password',
  'password-reset/request',
  'password-reset/confirm',
  'phone-signup/send-code',
  'phone-signup/verify',
  'parental/request-otp',
  'parental/verify-otp',
  'delete-account',
];

describe('account functions: shared behaviour', { timeout: 120_000 }, () => {
  it('answers the CORS preflight without a JWT', async () => {
    for (const endpoint of ENDPOINTS) {
      const response = await fetch(`${stack.url}/functions/v1/${endpoint}`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://example.test', 'Access-Control-Request-Method': 'POST' },
      });
      // The gateway may answer the preflight itself (204), or pass it to the function (200).
      expect({ endpoint, ok: response.ok }).toEqual({ endpoint, ok: true });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      await response.body?.cancel();
    }
  });

  it('allows POST only', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    for (const endpoint of ENDPOINTS) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const { status, body } = await call(endpoint, {}, { method, token });
        expect({ endpoint, status, body }).toEqual({ endpoint, status: 405, body: { detail: `Method "${method}" not allowed.` } });
      }
    }
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    const raw = JSON.stringify({ padding: 'x'.repeat(1024 * 1024) });
    for (const endpoint of ENDPOINTS) {
      const { status, body } = await call(endpoint, undefined, { raw, token });
      expect({ endpoint, status, body }).toEqual({ endpoint, status: 413, body: { detail: 'Request body too large.' } });
    }
  });

  it('answers a 10 MB registration with 413 in the detail style and creates nothing', async () => {
    const username = `huge_${crypto.randomUUID().slice(0, 8)}`;
    const raw = JSON.stringify({ username, email: `${username}@example.com`, password: 'Huge-body-1!', padding: 'x'.repeat(10_000_000) });
    const { status, body } = await call('register', undefined, { raw });
    expect({ status, body }).toEqual({ status: 413, body: { detail: 'Request body too large.' } });
    const db = await connectAsPostgres();
    try {
      expect((await db.query('select 1 from public.profiles where username = $1', [username])).rowCount).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('answers 404 for an unknown sub-route', async () => {
    for (const path of ['password-reset', 'password-reset/nope', 'phone-signup/send', 'parental/x']) {
      const user = await createAccount();
      const { status, body } = await call(path, {}, { token: await accessToken(user) });
      expect({ path, status, body }).toEqual({ path, status: 404, body: { detail: 'Not found.' } });
    }
  });
});
