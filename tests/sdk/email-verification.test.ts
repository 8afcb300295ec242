/**
 * Email verification as Supabase Auth does it: `[auth.email] enable_confirmations`. config.toml
 * keeps it off (local development: sign-up signs in at once); production turns it on (README,
 * "A hosted project"). Both ways, an account made by `supabase.auth.signUp` gets its profile and
 * its JWT carries the claims the custom access token hook adds.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { codesIn, decodeJwt } from '../local/auth/helpers.ts';
import { startAuthService, type InProcessAuth } from '../local/auth/in-process.ts';

const PASSWORD = 'Verify-me-2026!';
const unique = (tag: string) => `${tag}_${randomBytes(5).toString('hex')}`;

let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

async function profileOf(userId: string) {
  const { rows } = await db.query<{ username: string; status: string }>('select username::text, status from public.profiles where id = $1', [userId]);
  return rows[0];
}

describe('email confirmations off (config.toml, local development)', () => {
  it('signUp signs in at once; the profile takes options.data.username; the JWT carries role and status', async () => {
    const username = unique('off');
    const email = `${username}@example.com`;
    const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD, options: { data: { username } } });
    expect(error).toBeNull();
    expect(data.session).not.toBeNull();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(await profileOf(data.user!.id)).toEqual({ username, status: 'active' });
    expect(decodeJwt(data.session!.access_token)).toMatchObject({ user_role: 'visitor', account_status: 'active' });
  });

  it('signUp without a username gets a generated one', async () => {
    const email = `${unique('generated')}@example.com`;
    const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD });
    expect(error).toBeNull();
    expect((await profileOf(data.user!.id))?.username).toMatch(/^user_[0-9a-f]{12}$/);
  });
});

describe('email confirmations on (production)', () => {
  let auth: InProcessAuth;
  beforeAll(async () => {
    auth = await startAuthService({ email: { enable_confirmations: true, max_frequency: '0s' } });
  });
  afterAll(async () => auth?.close());

  it('signUp makes the account and profile but no session until the mailed link is followed', async () => {
    const username = unique('on');
    const email = `${username}@example.com`;
    const signUp = await auth.client().auth.signUp({ email, password: PASSWORD, options: { data: { username } } });
    expect(signUp.error).toBeNull();
    expect(signUp.data.session).toBeNull();
    expect(await profileOf(signUp.data.user!.id)).toEqual({ username, status: 'active' });

    const refused = await auth.client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(refused.error?.code).toBe('email_not_confirmed');

    const { tokenHash } = codesIn(auth.latestMailTo(email, 'Confirm Your Signup').html!);
    const verified = await auth.client().auth.verifyOtp({ token_hash: tokenHash, type: 'signup' });
    expect(verified.error).toBeNull();
    expect(decodeJwt(verified.data.session!.access_token)).toMatchObject({ user_role: 'visitor', account_status: 'active' });

    const signedIn = await auth.client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signedIn.error).toBeNull();
  });
});
