import { describe, expect, it } from 'vitest';
import { client, decodeJwt, PASSWORD, signedInUser, uniqueEmail, uniqueIp } from './helpers.ts';

describe('auth: sign-up and password sign-in', () => {
  it('signs up with email, password and data, and returns a session (confirmations off)', async () => {
    const email = uniqueEmail('signup');
    const { data, error } = await client().auth.signUp({ email, password: PASSWORD, options: { data: { display_name: 'Ada' } } });
    expect(error).toBeNull();
    expect(data.session).not.toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.user_metadata).toMatchObject({ display_name: 'Ada', email, email_verified: true, sub: data.user!.id });
    expect(data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'] });
    expect(data.user?.identities?.[0]).toMatchObject({ provider: 'email', id: data.user!.id });
  });

  it('issues GoTrue claims in the access token', async () => {
    const { session, user } = await signedInUser('claims');
    const claims = decodeJwt(session.access_token);
    expect(claims).toMatchObject({
      sub: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      phone: '',
      aal: 'aal1',
      session_id: expect.any(String),
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
    });
    expect(claims.iss).toMatch(/\/auth\/v1$/);
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3600);
  });

  it('rejects a second sign-up with the same email: 422 user_already_exists', async () => {
    const { email } = await signedInUser('dup');
    const { error } = await client().auth.signUp({ email, password: PASSWORD });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('user_already_exists');
  });

  it('rejects a weak password (config: 8 characters, letters and digits): 422 weak_password with reasons', async () => {
    const { error } = await client().auth.signUp({ email: uniqueEmail('weak'), password: '123' });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('weak_password');
    expect((error as unknown as { reasons: string[] }).reasons).toEqual(['length', 'characters']);
  });

  it('rejects a malformed email: 400 validation_failed', async () => {
    const { error } = await client().auth.signUp({ email: 'not-an-email', password: PASSWORD });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('validation_failed');
  });

  it('signs in with the right password and rejects a wrong one: 400 invalid_credentials', async () => {
    const { email } = await signedInUser('signin');
    const ok = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(ok.error).toBeNull();
    expect(ok.data.session?.refresh_token).toMatch(/^[a-z0-9]{12}$/);

    const wrong = await client().auth.signInWithPassword({ email, password: 'wrong-password' });
    expect(wrong.error?.status).toBe(400);
    expect(wrong.error?.code).toBe('invalid_credentials');
    expect(wrong.error?.message).toBe('Invalid login credentials');

    const unknown = await client().auth.signInWithPassword({ email: uniqueEmail('nobody'), password: PASSWORD });
    expect(unknown.error?.code).toBe('invalid_credentials');
  });

  it('lets a user inserted by SQL as a seed.sql does (pgcrypto crypt, bf) sign in', async () => {
    const email = uniqueEmail('seeded');
    const { default: pg } = await import('pg');
    const { stackEnv } = await import('../../helpers/env.ts');
    const db = new pg.Client({ connectionString: stackEnv().dbUrl });
    await db.connect();
    try {
      await db.query(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
            raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
            confirmation_token, recovery_token, email_change_token_new, email_change)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
            extensions.crypt('seeded-pass-1', extensions.gen_salt('bf')), now(),
            '{"provider":"email","providers":["email"]}', '{}', now(), now(), '', '', '', '')`,
        [email],
      );
    } finally {
      await db.end();
    }
    const { data, error } = await client().auth.signInWithPassword({ email, password: 'seeded-pass-1' });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
  });

  it('limits sign-ups per client address: 429 over_request_rate_limit', async () => {
    const supabase = client('anon', { 'X-Forwarded-For': uniqueIp() });
    const statuses: Array<number | undefined> = [];
    for (let i = 0; i < 31; i++) {
      const { error } = await supabase.auth.signUp({ email: uniqueEmail('rl'), password: '1' });
      statuses.push(error?.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 422)).toBe(true);
    const last = await supabase.auth.signUp({ email: uniqueEmail('rl'), password: '1' });
    expect(last.error?.status).toBe(429);
    expect(last.error?.code).toBe('over_request_rate_limit');
  });
});
