/**
 * Sign-up with `[auth.email] enable_confirmations = true` (the shared config.toml keeps it off):
 * no session until the mailed link or code is verified, `/resend`, the `GET /verify` redirects,
 * and a PKCE sign-up completed with `exchangeCodeForSession`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesIn, decodeJwt, PASSWORD, uniqueEmail } from './helpers.ts';
import { startAuthService, type InProcessAuth } from './in-process.ts';

const SITE = 'http://127.0.0.1:3000';

describe('auth: email confirmations on', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({ email: { enable_confirmations: true, max_frequency: '0s' } });
  });
  afterAll(async () => auth?.close());

  it('signUp() answers the user without a session and mails a confirmation; verifying token_hash signs in', async () => {
    const supabase = auth.client();
    const email = uniqueEmail('confirm');
    const { data, error } = await supabase.auth.signUp({ email, password: PASSWORD });
    expect(error).toBeNull();
    expect(data.session).toBeNull();
    expect(data.user?.email).toBe(email);
    expect(data.user?.email_confirmed_at).toBeUndefined();
    expect(data.user?.confirmation_sent_at).toBeTruthy();

    const denied = await auth.client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(denied.error?.status).toBe(400);
    expect(denied.error?.code).toBe('email_not_confirmed');

    const { tokenHash } = codesIn(auth.latestMailTo(email, 'Confirm Your Signup').html!);
    const verified = await supabase.auth.verifyOtp({ token_hash: tokenHash, type: 'signup' });
    expect(verified.error).toBeNull();
    expect(verified.data.session?.access_token).toBeTruthy();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
    expect(verified.data.user?.user_metadata.email_verified).toBe(true);
    expect(verified.data.user?.identities?.[0]?.identity_data?.email_verified).toBe(true);

    expect((await auth.client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it('resend({ type: "signup" }) mails a new code that confirms; the old one no longer does', async () => {
    const email = uniqueEmail('resend');
    await auth.client().auth.signUp({ email, password: PASSWORD });
    const first = codesIn(auth.latestMailTo(email).html!);

    const { error } = await auth.client().auth.resend({ type: 'signup', email });
    expect(error).toBeNull();
    expect(auth.mails.filter((m) => m.to === email)).toHaveLength(2);
    const second = codesIn(auth.latestMailTo(email).html!);
    expect(second.tokenHash).not.toBe(first.tokenHash);

    const stale = await auth.client().auth.verifyOtp({ email, token: first.otp, type: 'signup' });
    expect(stale.error?.code).toBe('otp_expired');
    const verified = await auth.client().auth.verifyOtp({ email, token: second.otp, type: 'signup' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();

    // A confirmed address (and an unknown one) is answered {} without mail.
    expect((await auth.client().auth.resend({ type: 'signup', email })).error).toBeNull();
    expect((await auth.client().auth.resend({ type: 'signup', email: uniqueEmail('nobody') })).error).toBeNull();
    expect(auth.mails.filter((m) => m.to === email)).toHaveLength(2);
  });

  it('GET /verify (the mailed link) confirms and redirects 303 to redirect_to with the session in the fragment', async () => {
    const email = uniqueEmail('link');
    const redirectTo = `${SITE}/welcome`;
    const { data } = await auth.client().auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: redirectTo } });
    const { link } = codesIn(auth.latestMailTo(email).html!);
    expect(new URL(link).searchParams.get('redirect_to')).toBe(redirectTo);

    const response = await auth.follow(link);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectTo);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('token_type')).toBe('bearer');
    expect(fragment.get('type')).toBe('signup');
    expect(fragment.get('refresh_token')).toBeTruthy();
    expect(Number(fragment.get('expires_in'))).toBeGreaterThan(0);
    expect(fragment.has('sb')).toBe(true);
    expect(decodeJwt(fragment.get('access_token')!)).toMatchObject({ sub: data.user!.id, email, role: 'authenticated' });

    // Followed again, the link is spent: 303 to the same place with the error in the fragment.
    const again = await auth.follow(link);
    expect(again.status).toBe(303);
    const failed = new URL(again.headers.get('location')!);
    expect(failed.pathname).toBe('/welcome');
    expect(Object.fromEntries(new URLSearchParams(failed.hash.slice(1)))).toEqual({
      error: 'access_denied',
      error_code: 'otp_expired',
      error_description: 'Email link is invalid or has expired',
      sb: '',
    });
  });

  it('GET /verify sends a redirect_to outside the allow list to site_url, and answers bad parameters with JSON', async () => {
    const email = uniqueEmail('elsewhere');
    await auth.client().auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: 'https://evil.example.com/' } });
    const { link } = codesIn(auth.latestMailTo(email).html!);
    const response = await auth.follow(link);
    expect(response.headers.get('location')!.startsWith(`${SITE}#access_token=`)).toBe(true);

    const missing = await auth.request('/verify?type=signup');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 'validation_failed', message: 'Verify requires a token or a token hash' });
  });

  it('signInWithOtp() for a new address mails the signup confirmation, which signs in', async () => {
    const email = uniqueEmail('otp-confirm');
    expect((await auth.client().auth.signInWithOtp({ email })).error).toBeNull();
    const mail = auth.latestMailTo(email);
    expect(mail.subject).toBe('Confirm Your Signup');
    const verified = await auth.client().auth.verifyOtp({ email, token: codesIn(mail.html!).otp, type: 'email' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
  });

  it('a PKCE signUp() mails a pkce_ link that redirects with ?code=, and exchangeCodeForSession() signs in', async () => {
    const supabase = auth.client({ flowType: 'pkce' });
    const email = uniqueEmail('pkce-signup');
    const signUp = await supabase.auth.signUp({ email, password: PASSWORD, options: { emailRedirectTo: `${SITE}/callback` } });
    expect(signUp.error).toBeNull();
    expect(signUp.data.session).toBeNull();
    const { tokenHash, link } = codesIn(auth.latestMailTo(email).html!);
    expect(tokenHash.startsWith('pkce_')).toBe(true);

    const response = await auth.follow(link);
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.pathname).toBe('/callback');
    expect(location.hash).toBe('');
    const code = location.searchParams.get('code')!;
    expect(code).toMatch(/^[0-9a-f-]{36}$/);

    const exchanged = await supabase.auth.exchangeCodeForSession(code);
    expect(exchanged.error).toBeNull();
    expect(exchanged.data.user?.email).toBe(email);
    expect(exchanged.data.user?.email_confirmed_at).toBeTruthy();
    const claims = decodeJwt(exchanged.data.session!.access_token);
    expect(claims.amr).toEqual([expect.objectContaining({ method: 'email/signup' })]);
  });
});
