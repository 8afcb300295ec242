/**
 * PKCE through the stack, as GoTrue runs it: supabase-js with `flowType: 'pkce'` sends a code
 * challenge, the mailed link redirects with `?code=`, and `exchangeCodeForSession` trades it
 * (with the verifier kept in the client's storage) for a session. Also the grant's errors.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { anonClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { client, codesIn, decodeJwt, latestMailTo, signedInUser } from './helpers.ts';
import { asPostgres } from './in-process.ts';

/** A supabase-js client in PKCE mode whose storage (holding the code verifier) is an in-memory map. */
function pkceClient(): SupabaseClient {
  return anonClient({ flowType: 'pkce' });
}

/** Follows a mailed link without following its redirect; answers the redirect's URL. */
async function follow(link: string): Promise<URL> {
  const response = await fetch(link, { redirect: 'manual' });
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location')!);
}

async function post(path: string, body: unknown): Promise<Response> {
  const { url, anonKey } = stackEnv();
  return fetch(`${url}/auth/v1${path}`, {
    method: 'POST',
    headers: { apikey: anonKey, Authorization: `Bearer ${anonKey}`, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
    body: JSON.stringify(body),
  });
}

/** A magic link requested over raw HTTP with the given challenge, followed to its auth code. */
async function authCodeFor(email: string, codeChallenge: string, codeChallengeMethod: string): Promise<string> {
  const requested = await post('/otp', { email, create_user: false, code_challenge: codeChallenge, code_challenge_method: codeChallengeMethod });
  expect(requested.status).toBe(200);
  const location = await follow(codesIn((await latestMailTo(email, 'Your Magic Link')).html).link);
  return location.searchParams.get('code')!;
}

const verifierPair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

describe('auth: PKCE flow', () => {
  it('signInWithOtp() → mail → link → ?code= → exchangeCodeForSession() signs in (S256)', async () => {
    const { email, user } = await signedInUser('pkce-otp');
    const supabase = pkceClient();
    expect((await supabase.auth.signInWithOtp({ email, options: { emailRedirectTo: 'http://127.0.0.1:3000/auth/callback' } })).error).toBeNull();

    const { tokenHash, link } = codesIn((await latestMailTo(email, 'Your Magic Link')).html);
    expect(tokenHash.startsWith('pkce_')).toBe(true);
    const location = await follow(link);
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:3000/auth/callback');
    expect(location.hash).toBe('');
    const code = location.searchParams.get('code')!;

    const { data, error } = await supabase.auth.exchangeCodeForSession(code);
    expect(error).toBeNull();
    expect(data.user?.id).toBe(user.id);
    expect(decodeJwt(data.session!.access_token).amr).toEqual([expect.objectContaining({ method: 'magiclink' })]);
    expect((await supabase.auth.getUser()).data.user?.id).toBe(user.id);

    // The code is spent with the flow state.
    const again = await post('/token?grant_type=pkce', { auth_code: code, code_verifier: 'x'.repeat(43) });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ code: 'flow_state_not_found' });
  });

  it('resetPasswordForEmail() in PKCE mode: the code signs in and the password can be changed', async () => {
    const { email } = await signedInUser('pkce-recover');
    const supabase = pkceClient();
    expect((await supabase.auth.resetPasswordForEmail(email)).error).toBeNull();
    const location = await follow(codesIn((await latestMailTo(email, 'Reset Your Password')).html).link);
    const exchanged = await supabase.auth.exchangeCodeForSession(location.searchParams.get('code')!);
    expect(exchanged.error).toBeNull();
    expect(decodeJwt(exchanged.data.session!.access_token).amr).toEqual([expect.objectContaining({ method: 'recovery' })]);
    expect((await supabase.auth.updateUser({ password: 'Pkce-recovered-1' })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: 'Pkce-recovered-1' })).error).toBeNull();
  });

  it('the mailed code still verifies with verifyOtp() in a PKCE flow', async () => {
    const { email, user } = await signedInUser('pkce-code');
    await pkceClient().auth.signInWithOtp({ email });
    const { otp } = codesIn((await latestMailTo(email, 'Your Magic Link')).html);
    const verified = await client().auth.verifyOtp({ email, token: otp, type: 'magiclink' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.id).toBe(user.id);
  });

  it('the plain method compares the verifier itself', async () => {
    const { email, user } = await signedInUser('pkce-plain');
    const verifier = randomBytes(32).toString('base64url');
    const code = await authCodeFor(email, verifier, 'plain');
    const response = await post('/token?grant_type=pkce', { auth_code: code, code_verifier: verifier });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { id: string } }).user.id).toBe(user.id);
  });

  it('a wrong verifier is 400 bad_code_verifier; an unknown code 404 flow_state_not_found; missing fields 400', async () => {
    const { email } = await signedInUser('pkce-bad');
    const { challenge } = verifierPair();
    const code = await authCodeFor(email, challenge, 's256');

    const wrong = await post('/token?grant_type=pkce', { auth_code: code, code_verifier: verifierPair().verifier });
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ code: 'bad_code_verifier', message: 'code challenge does not match previously saved code verifier' });

    const unknown = await post('/token?grant_type=pkce', { auth_code: '3f1c9a4e-0000-4000-8000-000000000000', code_verifier: 'v'.repeat(43) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 'flow_state_not_found', message: 'invalid flow state, no valid flow state found' });

    const missing = await post('/token?grant_type=pkce', { auth_code: code });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ code: 'validation_failed' });
  });

  it('a flow state older than five minutes is 422 flow_state_expired', async () => {
    const { email } = await signedInUser('pkce-expired');
    const { verifier, challenge } = verifierPair();
    const code = await authCodeFor(email, challenge, 's256');
    await asPostgres((db) =>
      db.query(`update auth.flow_state set created_at = now() - interval '6 minutes', auth_code_issued_at = now() - interval '6 minutes'
                 where auth_code = $1`, [code]),
    );
    const response = await post('/token?grant_type=pkce', { auth_code: code, code_verifier: verifier });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ code: 'flow_state_expired', message: 'invalid flow state, flow state has expired' });
  });

  it('stores the challenge in auth.flow_state and validates the PKCE parameters', async () => {
    const { email, user } = await signedInUser('pkce-row');
    const { challenge } = verifierPair();
    expect((await post('/recover', { email, code_challenge: challenge, code_challenge_method: 'S256' })).status).toBe(200);
    const { rows } = await asPostgres((db) =>
      db.query(`select code_challenge, code_challenge_method::text, provider_type, authentication_method, auth_code
                  from auth.flow_state where user_id = $1`, [user.id]),
    );
    expect(rows).toEqual([
      expect.objectContaining({ code_challenge: challenge, code_challenge_method: 's256', provider_type: 'recovery', authentication_method: 'recovery' }),
    ]);

    const half = await post('/otp', { email, code_challenge: challenge });
    expect(half.status).toBe(400);
    expect(await half.json()).toEqual({ code: 'validation_failed', message: 'PKCE flow requires code_challenge_method and code_challenge' });
    const short = await post('/signup', { email, password: 'Pkce-short-1', code_challenge: 'abc', code_challenge_method: 's256' });
    expect(short.status).toBe(400);
    expect(await short.json()).toEqual({ code: 'validation_failed', message: 'code challenge has to be between 43 and 128 characters' });
  });

  it('a spent PKCE link redirects with the error in the query and the fragment', async () => {
    const { email } = await signedInUser('pkce-spent');
    await pkceClient().auth.signInWithOtp({ email });
    const { link } = codesIn((await latestMailTo(email, 'Your Magic Link')).html);
    await follow(link);
    const failed = await follow(link);
    expect(failed.searchParams.get('error_code')).toBe('otp_expired');
    expect(failed.searchParams.get('error')).toBe('access_denied');
    expect(new URLSearchParams(failed.hash.slice(1)).get('error_description')).toBe('Email link is invalid or has expired');
  });
});
