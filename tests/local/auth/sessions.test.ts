import { describe, expect, it } from 'vitest';
import { client, PASSWORD, signedInUser } from './helpers.ts';

describe('auth: sessions and refresh tokens', () => {
  it('rotates the refresh token on refresh', async () => {
    const { supabase, session } = await signedInUser('refresh');
    const { data, error } = await supabase.auth.refreshSession({ refresh_token: session.refresh_token });
    expect(error).toBeNull();
    expect(data.session?.refresh_token).not.toBe(session.refresh_token);
    expect(data.session?.access_token).toBeTruthy();
  });

  it('answers an unknown refresh token with 400 refresh_token_not_found', async () => {
    const { error } = await client().auth.refreshSession({ refresh_token: 'abcdefghijkl' });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('refresh_token_not_found');
  });

  it('hands the child token back when a used token is replayed within the reuse interval', async () => {
    const { session } = await signedInUser('reuse');
    const first = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    const replay = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(replay.error).toBeNull();
    expect(replay.data.session?.refresh_token).toBe(first.data.session?.refresh_token);
  });

  it('detects reuse of an old token outside the interval and revokes the session family', async () => {
    const { session } = await signedInUser('family');
    const { stackEnv } = await import('../../helpers/env.ts');
    const first = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    const second = await client().auth.refreshSession({ refresh_token: first.data.session!.refresh_token });
    expect(second.error).toBeNull();
    // Age the original token past refresh_token_reuse_interval (10 s).
    const { default: pg } = await import('pg');
    const db = new pg.Client({ connectionString: stackEnv().dbUrl });
    await db.connect();
    try {
      await db.query(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`, [session.refresh_token]);
      const reused = await client().auth.refreshSession({ refresh_token: session.refresh_token });
      expect(reused.error?.status).toBe(400);
      expect(reused.error?.code).toBe('refresh_token_already_used');
      const { rows } = await db.query(`select count(*)::int as live from auth.refresh_tokens where session_id = (select session_id from auth.refresh_tokens where token = $1) and not revoked`, [
        session.refresh_token,
      ]);
      expect(rows[0].live).toBe(0);
    } finally {
      await db.end();
    }
  });

  it('signOut() ends every session (scope global): the refresh token stops working', async () => {
    const { supabase, email, session } = await signedInUser('logout');
    const other = await client().auth.signInWithPassword({ email, password: PASSWORD });
    await supabase.auth.setSession({ access_token: session.access_token, refresh_token: session.refresh_token });
    const { error } = await supabase.auth.signOut();
    expect(error).toBeNull();
    const refresh = await client().auth.refreshSession({ refresh_token: other.data.session!.refresh_token });
    expect(refresh.error?.code).toBe('refresh_token_not_found');
    // GoTrue answers 403 session_not_found; supabase-js surfaces it as AuthSessionMissingError.
    const me = await client().auth.getUser(session.access_token);
    expect(me.error?.name).toBe('AuthSessionMissingError');
  });

  it("signOut({ scope: 'others' }) keeps the current session only", async () => {
    const { supabase, email, session } = await signedInUser('others');
    const other = await client().auth.signInWithPassword({ email, password: PASSWORD });
    await supabase.auth.setSession({ access_token: session.access_token, refresh_token: session.refresh_token });
    await supabase.auth.signOut({ scope: 'others' });
    expect((await client().auth.getUser(session.access_token)).error).toBeNull();
    expect((await client().auth.getUser(other.data.session!.access_token)).error?.name).toBe('AuthSessionMissingError');
  });

  it("signOut({ scope: 'local' }) ends only the current session", async () => {
    const { supabase, email, session } = await signedInUser('local');
    const other = await client().auth.signInWithPassword({ email, password: PASSWORD });
    await supabase.auth.setSession({ access_token: session.access_token, refresh_token: session.refresh_token });
    await supabase.auth.signOut({ scope: 'local' });
    expect((await client().auth.getUser(session.access_token)).error?.name).toBe('AuthSessionMissingError');
    expect((await client().auth.getUser(other.data.session!.access_token)).error).toBeNull();
  });

  it('answers a JWT whose session has ended with 403 session_not_found', async () => {
    const { supabase, session } = await signedInUser('raw-logout');
    await supabase.auth.setSession(session);
    await supabase.auth.signOut();
    const { stackEnv } = await import('../../helpers/env.ts');
    const response = await fetch(`${stackEnv().url}/auth/v1/user`, {
      headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${session.access_token}`, 'X-Supabase-Api-Version': '2024-01-01' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 'session_not_found', message: 'Session from session_id claim in JWT does not exist' });
  });

  it('rejects a token signed with another secret: 403 bad_jwt', async () => {
    const forged =
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDEiLCJyb2xlIjoiYXV0aGVudGljYXRlZCIsImV4cCI6NDEwMjQ0NDgwMH0.2hWq3NQGj9o1pXcQ9G8bW3x6o3qfP7oHqgWbS0p6j1A';
    const { error } = await client().auth.getUser(forged);
    expect(error?.status).toBe(403);
    expect(error?.code).toBe('bad_jwt');
  });
});
