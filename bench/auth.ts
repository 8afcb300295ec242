import { randomUUID } from 'node:crypto';
import { DEFAULT_ANON_KEY, DEFAULT_SERVICE_ROLE_KEY } from '../local/config/keys.ts';
import { measure, type RunStats } from './stats.ts';

/**
 * Sign-in and refresh throughput through the stack's /auth/v1 and the `sign-in` edge function (plain HTTP, the requests
 * supabase-js sends, so client cost stays out of the figures), and the latency of a wrong password
 * for a registered user beside an unknown login. Sign-in is bcrypt-bound by design.
 * Each request comes from its own client address (X-Forwarded-For, as behind Supabase's proxy), so
 * the per-IP rate limits of config.toml see many users rather than one client hammering; a 429
 * still counts as an error.
 */
export async function authBenchmarks(apiUrl: string, concurrency: number, seconds: number): Promise<Array<[string, RunStats]>> {
  const token = async (grantType: string, body: Record<string, string>) => {
    const res = await fetch(`${apiUrl}/auth/v1/token?grant_type=${grantType}`, {
      method: 'POST',
      headers: { apikey: DEFAULT_ANON_KEY, 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${grantType}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { refresh_token: string };
  };
  const credentials = { email: 'alice@marquee.test', password: 'Marquee-demo-1' };
  const signIn = await measure(() => token('password', credentials), concurrency, seconds);

  // The product's sign-in: the `sign-in` edge function resolves a username, then asks Auth.
  const signInByUsername = await measure(async () => {
    const res = await fetch(`${apiUrl}/functions/v1/sign-in`, {
      method: 'POST',
      headers: { apikey: DEFAULT_ANON_KEY, 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
      body: JSON.stringify({ username: 'alice', password: credentials.password }),
    });
    if (!res.ok) throw new Error(`sign-in function: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  }, concurrency, seconds);

  // Each loop owns one session, so no two requests race for the same refresh token.
  const refreshTokens = await Promise.all(
    Array.from({ length: concurrency }, async () => (await token('password', credentials)).refresh_token),
  );
  const refresh = await measure(async (worker) => {
    refreshTokens[worker] = (await token('refresh_token', { refresh_token: refreshTokens[worker]! })).refresh_token;
  }, concurrency, seconds);
  return [
    ['auth: sign in with password', signIn],
    ['functions: sign-in by username (edge function → auth)', signInByUsername],
    ['auth: refresh token', refresh],
    ...(await wrongPasswordLatency(apiUrl, Math.min(seconds, 5))),
  ];
}

/**
 * A wrong password for a registered user beside a login nobody has, one client at a time: the two
 * should cost the same (one bcrypt at cost 10 each), so their latency does not tell who exists.
 * Each request names one of several users in turn, so the sign-in function's per-account failure
 * budget is never reached.
 */
async function wrongPasswordLatency(apiUrl: string, seconds: number): Promise<Array<[string, RunStats]>> {
  const users = await Promise.all(Array.from({ length: 12 }, () => createUser(apiUrl)));
  let turn = 0;
  const next = () => users[turn++ % users.length]!;
  const expectRefused = async (res: Response, what: string) => {
    if (res.status !== 400 && res.status !== 401) throw new Error(`${what}: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  };
  const grant = (email: string) =>
    fetch(`${apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: DEFAULT_ANON_KEY, 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
      body: JSON.stringify({ email, password: 'Wrong#pass-1' }),
    });
  const signIn = (username: string) =>
    fetch(`${apiUrl}/functions/v1/sign-in`, {
      method: 'POST',
      headers: { apikey: DEFAULT_ANON_KEY, 'content-type': 'application/json', 'x-forwarded-for': randomAddress() },
      body: JSON.stringify({ username, password: 'Wrong#pass-1' }),
    });
  const unknown = () => `nobody_${randomUUID().slice(0, 8)}`;
  return [
    ['auth: wrong password, registered user, 1 client', await measure(async () => expectRefused(await grant(next().email), 'grant'), 1, seconds)],
    ['auth: wrong password, unknown user, 1 client', await measure(async () => expectRefused(await grant(`${unknown()}@marquee.test`), 'grant'), 1, seconds)],
    ['functions: sign-in, wrong password, registered user, 1 client', await measure(async () => expectRefused(await signIn(next().username), 'sign-in'), 1, seconds)],
    ['functions: sign-in, unknown user, 1 client', await measure(async () => expectRefused(await signIn(unknown()), 'sign-in'), 1, seconds)],
  ];
}

/** A confirmed user made through Auth's admin API, so its hash is Auth's own (cost 10). */
async function createUser(apiUrl: string): Promise<{ email: string; username: string }> {
  const username = `bench_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  const email = `${username}@marquee.test`;
  const res = await fetch(`${apiUrl}/auth/v1/admin/users`, {
    method: 'POST',
    headers: { apikey: DEFAULT_SERVICE_ROLE_KEY, authorization: `Bearer ${DEFAULT_SERVICE_ROLE_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'Bench#pass-1', email_confirm: true, user_metadata: { username } }),
  });
  if (!res.ok) throw new Error(`admin create user: ${res.status} ${await res.text()}`);
  return { email, username };
}

/** A documentation-range (TEST-NET) address: only ever a header value, never a destination. */
function randomAddress(): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[Math.floor(Math.random() * nets.length)]}.${1 + Math.floor(Math.random() * 254)}`;
}
