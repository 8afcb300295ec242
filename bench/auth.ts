import { createClient } from '@supabase/supabase-js';
import ws from 'ws';
import { DEFAULT_ANON_KEY } from '../local/config/keys.ts';
import { measure, type RunStats } from './stats.ts';

/**
 * Sign-in and refresh throughput through the stack's Auth. Sign-in is bcrypt-bound by design.
 * Each request comes from its own client address (X-Forwarded-For, as behind Supabase's proxy), so
 * the per-IP rate limits of config.toml see many users, not one client hammering; a 429 still
 * counts as an error.
 */
export async function authBenchmarks(apiUrl: string, concurrency: number, seconds: number): Promise<Array<[string, RunStats]>> {
  const client = () =>
    createClient(apiUrl, DEFAULT_ANON_KEY, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: ws as never },
      global: { headers: { 'X-Forwarded-For': randomAddress() } },
    });
  const credentials = { email: 'alice@marquee.test', password: 'marquee-demo-1' };
  const signIn = await measure(async () => {
    const { error } = await client().auth.signInWithPassword(credentials);
    if (error) throw error;
  }, concurrency, seconds);

  const sessions = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const { data, error } = await client().auth.signInWithPassword(credentials);
      if (error) throw error;
      return { client: client(), refreshToken: data.session.refresh_token };
    }),
  );
  // Each loop owns one session, so no two requests race for the same refresh token.
  const refresh = await measure(async (worker) => {
    const session = sessions[worker]!;
    const { data, error } = await session.client.auth.refreshSession({ refresh_token: session.refreshToken });
    if (error) throw error;
    session.refreshToken = data.session!.refresh_token;
  }, concurrency, seconds);
  return [
    ['auth: sign in with password', signIn],
    ['auth: refresh token', refresh],
  ];
}

/** A documentation-range (TEST-NET) address: only ever a header value, never a destination. */
function randomAddress(): string {
  const nets = ['192.0.2', '198.51.100', '203.0.113'];
  return `${nets[Math.floor(Math.random() * nets.length)]}.${1 + Math.floor(Math.random() * 254)}`;
}
