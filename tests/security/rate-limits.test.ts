/**
 * Password guessing through every door meets a wall (issue 7, item 3): rate limits key on what a
 * client cannot forge. The attacker is a direct client (its own loopback address, see
 * tests/helpers/source-address.ts) that sends a new X-Forwarded-For and X-Real-IP with every request.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientWithKey } from '../helpers/clients.ts';
import { stackEnv } from '../helpers/env.ts';
import { fetchFrom, randomLoopbackAddress } from '../helpers/source-address.ts';
import { createAccount, mailbox, PASSWORD, randomIp, unique, type Reply } from '../functions/accounts.ts';

const stack = stackEnv();
const WRONG = 'Wrong#pass1';

/** An attacker at one address that claims a different client address on every request. */
function attacker(address = randomLoopbackAddress()) {
  const send = fetchFrom(address);
  const spoofed = () => ({ 'X-Forwarded-For': randomIp(), 'X-Real-IP': randomIp() });
  return {
    address,
    async auth(path: string, body: unknown, headers: Record<string, string> = spoofed()): Promise<Reply> {
      const response = await send(`${stack.url}/auth/v1${path}`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
    async fn(path: string, body: unknown): Promise<Reply> {
      const response = await send(`${stack.url}/functions/v1/${path}`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, Authorization: `Bearer ${stack.anonKey}`, 'Content-Type': 'application/json', ...spoofed() },
        body: JSON.stringify(body),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
    },
  };
}

/** Sends `attempt` in batches of `parallel` until a 429 or `max` attempts; the replies in order. */
async function untilLimited(attempt: () => Promise<Reply>, max: number, parallel = 1): Promise<Reply[]> {
  const replies: Reply[] = [];
  while (replies.length < max && !replies.some((r) => r.status === 429)) {
    replies.push(...(await Promise.all(Array.from({ length: Math.min(parallel, max - replies.length) }, attempt))));
  }
  return replies;
}

const expectFunctionLimit = (reply: Reply | undefined) => {
  expect(reply).toMatchObject({ status: 429, body: { detail: expect.any(String) } });
  expect(Number(reply!.headers.get('retry-after'))).toBeGreaterThan(0);
};

describe('raw /auth/v1', () => {
  it('password grants are limited per real client address, whatever X-Forwarded-For and X-Real-IP say', async () => {
    const user = await createAccount();
    const guesser = attacker();
    // Logins nobody has (the same bcrypt work), so no account's failure budget is what stops them.
    const replies = await untilLimited(() => guesser.auth('/token?grant_type=password', { email: mailbox('nobody'), password: WRONG }), 250, 10);
    // config.toml's token_refresh (150 per 5 minutes, refilled as time passes) is the token
    // endpoint's limit, as in GoTrue; before the fix, 250 guesses went through.
    expect(replies.filter((r) => r.status === 400).length).toBeGreaterThanOrEqual(150);
    expect(replies.filter((r) => r.status === 400).length).toBeLessThan(250);
    expect(replies.at(-1)).toMatchObject({ status: 429, body: { code: 'over_request_rate_limit' } });
    // Another client is not limited.
    expect((await attacker().auth('/token?grant_type=password', { email: user.email, password: PASSWORD })).status).toBe(200);
  }, 120_000);

  it('password grants meet a per-account wall after 20 wrong passwords from any number of addresses, the right one included', async () => {
    const user = await createAccount();
    const other = await createAccount();
    const replies: Reply[] = [];
    for (let i = 0; i < 20; i++) replies.push(await attacker().auth('/token?grant_type=password', { email: user.email, password: WRONG }));
    expect(replies.map((r) => [r.status, r.body.message])).toEqual(Array(20).fill([400, 'Invalid login credentials']));
    const rejected = await attacker().auth('/token?grant_type=password', { email: user.email, password: PASSWORD });
    expect(rejected).toMatchObject({ status: 400, body: { code: 'invalid_credentials', message: 'Too many failed sign-in attempts. Please try again later.' } });
    // The sign-in function meets the same wall for that account, and another account is untouched.
    const viaFunction = await attacker().fn('sign-in', { username: user.username, password: user.password });
    expectFunctionLimit(viaFunction);
    expect(viaFunction.body).toEqual({ detail: 'Too many failed sign-in attempts. Please try again later.' });
    expect((await attacker().auth('/token?grant_type=password', { email: other.email, password: PASSWORD })).status).toBe(200);
  }, 60_000);

  it('a loopback client without any forwarding header is limited like any other', async () => {
    const guesser = attacker();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await guesser.auth('/signup', { email: mailbox('rl'), password: '1' }, {})).status);
    // sign_in_sign_ups = 30 per 5 minutes; the weak password is refused after the limit is counted.
    expect(statuses.slice(0, 30).every((s) => s === 422)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('supabase-js from one address is limited however it rotates X-Forwarded-For', async () => {
    const address = randomLoopbackAddress();
    const statuses: Array<number | undefined> = [];
    for (let i = 0; i < 31; i++) {
      const supabase = clientWithKey(stack.anonKey, { fetch: fetchFrom(address), headers: { 'X-Forwarded-For': randomIp() } });
      statuses.push((await supabase.auth.signUp({ email: mailbox('rl'), password: '1' })).error?.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 422)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe('edge functions', () => {
  it('sign-in: one address is limited however it rotates X-Forwarded-For (30 per 5 minutes)', async () => {
    const user = await createAccount();
    const guesser = attacker();
    const replies = await untilLimited(() => guesser.fn('sign-in', { username: unique('nobody'), password: WRONG }), 40, 5);
    expect(replies.filter((r) => r.status === 401)).toHaveLength(30);
    expectFunctionLimit(replies.at(-1));
    expect((await guesser.fn('sign-in', { username: user.username, password: user.password })).status).toBe(429);
  });

  it('sign-in: an account meets a wall after 20 failures, from however many addresses, the right password included', async () => {
    const user = await createAccount();
    const other = await createAccount();
    const replies: Reply[] = [];
    for (let i = 0; i < 21; i++) replies.push(await attacker().fn('sign-in', { username: user.username, password: WRONG }));
    expect(replies.slice(0, 20).every((r) => r.status === 401)).toBe(true);
    expectFunctionLimit(replies[20]);
    expect(replies[20]!.body).toEqual({ detail: 'Too many failed sign-in attempts. Please try again later.' });
    expect((await attacker().fn('sign-in', { email: user.email, password: user.password })).status).toBe(429);
    // Another account is not locked, and a success costs it nothing.
    for (let i = 0; i < 25; i++) expect((await attacker().fn('sign-in', { username: other.username, password: other.password })).status).toBe(200);
  }, 60_000);

  it('sign-in: unknown logins have the same budget, so a 429 does not tell who exists', async () => {
    const login = unique('ghost');
    const replies: Reply[] = [];
    for (let i = 0; i < 21; i++) replies.push(await attacker().fn('sign-in', { username: login, password: WRONG }));
    expect(replies.slice(0, 20).every((r) => r.status === 401)).toBe(true);
    expect(replies[20]).toMatchObject({ status: 429, body: { detail: 'Too many failed sign-in attempts. Please try again later.' } });
  });

  it('register: one address gets 10 registrations an hour however it rotates X-Forwarded-For', async () => {
    const taken = await createAccount();
    const guesser = attacker();
    // A taken username is refused after the registration is counted, so no account is made here.
    const replies = await untilLimited(() => guesser.fn('register', { username: taken.username, email: mailbox(), password: 'Fresh#pass9' }), 15);
    expect(replies.filter((r) => r.status === 400)).toHaveLength(10);
    expectFunctionLimit(replies.at(-1));
  });

  it('password-reset/confirm: one address gets 30 code checks per 5 minutes however it rotates X-Forwarded-For', async () => {
    const guesser = attacker();
    const code = () => String(randomBytes(3).readUIntBE(0, 3) % 1_000_000).padStart(6, '0');
    const replies = await untilLimited(() => guesser.fn('password-reset/confirm', { email: mailbox(), code: code(), new_password: 'Fresh#pass9' }), 40, 5);
    expect(replies.filter((r) => r.status === 400)).toHaveLength(30);
    expectFunctionLimit(replies.at(-1));
  });

  it('phone-signup/verify and parental/verify-otp count code checks per address too', async () => {
    const guesser = attacker();
    const token = () => randomBytes(32).toString('hex');
    const replies = await untilLimited(() => guesser.fn('phone-signup/verify', { token: token(), code: '123456', password: 'Fresh#pass9' }), 40, 5);
    expect(replies.filter((r) => r.status === 400)).toHaveLength(30);
    expectFunctionLimit(replies.at(-1));
  });
});
