import { DEFAULT_ANON_KEY } from '../local/config/keys.ts';
import { measure, type RunStats } from './stats.ts';

/**
 * Sign-in and refresh throughput through the stack's /auth/v1 and the `sign-in` edge function (plain HTTP, the requests
 * supabase-js sends, so client cost stays out of the figures). Sign-in is bcrypt-bound by design.
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
  ];
}

/** A documentation-range (TEST-NET) address: only ever a header value, never a destination. */
function randomAddress(): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[Math.floor(Math.random() * nets.length)]}.${1 + Math.floor(Math.random() * 254)}`;
}
