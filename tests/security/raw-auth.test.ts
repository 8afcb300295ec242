/**
 * Raw Auth (`supabase.auth.*` and `/auth/v1`) keeps the product's rules, because they live in
 * Auth's own settings (supabase/config.toml) and Marquee Local honours them as GoTrue does:
 * a password change needs the current password (or a session opened by a code or link), is
 * mailed to the owner, codes live 10 minutes, one code or link a minute, and the password policy.
 */
import { AuthWeakPasswordError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { mailsTo } from '../helpers/outbox.ts';
import { client, codesIn, latestMailTo, PASSWORD, signedInUser, uniqueEmail } from '../local/auth/helpers.ts';

const NOTICE = 'Your Marquee password was changed';
const RECOVERY = 'Reset Your Password';
const NEW_PASSWORD = 'Fresh-start-2026!';

/** Moves the user's last recovery mail `seconds` into the past, as if that much time had gone by. */
async function ageRecovery(email: string, seconds: number): Promise<void> {
  const db = await connectAsPostgres();
  try {
    await db.query(`update auth.users set recovery_sent_at = recovery_sent_at - make_interval(secs => $2) where email = $1`, [email, seconds]);
  } finally {
    await db.end();
  }
}

/** `PUT /auth/v1/user` as the user, by hand. */
async function putUser(accessToken: string, body: Record<string, unknown>) {
  const { url, anonKey } = stackEnv();
  const response = await fetch(`${url}/auth/v1/user`, {
    method: 'PUT',
    headers: { apikey: anonKey, Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const signsIn = async (email: string, password: string) => !(await client().auth.signInWithPassword({ email, password })).error;

describe('raw Auth: changing the password needs the current one', () => {
  it('updateUser({ password }) without current_password is 400 current_password_required and changes nothing', async () => {
    const { supabase, email } = await signedInUser('raw-nocurrent');
    const { error } = await supabase.auth.updateUser({ password: NEW_PASSWORD });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('current_password_required');
    expect(await signsIn(email, PASSWORD)).toBe(true);
    expect(await signsIn(email, NEW_PASSWORD)).toBe(false);
  });

  it('a wrong current_password over raw HTTP is 400 current_password_invalid and changes nothing', async () => {
    const { session, email } = await signedInUser('raw-wrongcurrent');
    const reply = await putUser(session.access_token, { password: NEW_PASSWORD, current_password: 'Not-the-one-1!' });
    expect(reply).toMatchObject({ status: 400, body: { error_code: 'current_password_invalid' } });
    expect(await signsIn(email, PASSWORD)).toBe(true);
  });

  it('with the current password the change goes through and the owner gets the password_changed notice', async () => {
    const { supabase, email } = await signedInUser('raw-withcurrent');
    const { error } = await supabase.auth.updateUser({ password: NEW_PASSWORD, current_password: PASSWORD });
    expect(error).toBeNull();
    expect(await signsIn(email, NEW_PASSWORD)).toBe(true);
    expect((await latestMailTo(email, NOTICE)).html).toContain('The password for your account was recently changed.');
  });

  it('a session opened by a recovery code may set a new password without the old one, and the notice is mailed', async () => {
    const { email } = await signedInUser('raw-recovery');
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    const { otp } = codesIn((await latestMailTo(email, RECOVERY)).html);
    const device = client();
    expect((await device.auth.verifyOtp({ email, token: otp, type: 'recovery' })).error).toBeNull();
    expect((await device.auth.updateUser({ password: NEW_PASSWORD })).error).toBeNull();
    expect(await signsIn(email, NEW_PASSWORD)).toBe(true);
    expect((await latestMailTo(email, NOTICE)).html).toContain('The password for your account was recently changed.');
  });
});

describe('raw Auth: codes live 10 minutes, one a minute', () => {
  it('a recovery code verifies at 9 minutes and not at 11', async () => {
    const { email } = await signedInUser('raw-expiry');
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    const { otp } = codesIn((await latestMailTo(email, RECOVERY)).html);

    await ageRecovery(email, 11 * 60);
    const late = await client().auth.verifyOtp({ email, token: otp, type: 'recovery' });
    expect(late.error?.code).toBe('otp_expired');

    await ageRecovery(email, -2 * 60);
    const inTime = await client().auth.verifyOtp({ email, token: otp, type: 'recovery' });
    expect(inTime.error).toBeNull();
  });

  it('a second recovery mail within 60 s is 429 over_email_send_rate_limit; after 60 s it is sent', async () => {
    const { email } = await signedInUser('raw-frequency');
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    await ageRecovery(email, 5);
    const tooSoon = await client().auth.resetPasswordForEmail(email);
    expect(tooSoon.error?.status).toBe(429);
    expect(tooSoon.error?.code).toBe('over_email_send_rate_limit');
    expect(tooSoon.error?.message).toMatch(/only request this after 5\d seconds/);

    await ageRecovery(email, 60);
    expect((await client().auth.resetPasswordForEmail(email)).error).toBeNull();
    expect((await mailsTo(email)).filter((mail) => mail.subject === RECOVERY)).toHaveLength(2);
  });
});

describe('raw Auth: the password policy', () => {
  const refused: Array<[string, string, string]> = [
    ['no upper case letter', 'lower-case-only1!', 'characters'],
    ['no lower case letter', 'UPPER-CASE-ONLY1!', 'characters'],
    ['no digit', 'No-digits-here!', 'characters'],
    ['no symbol', 'NoSymbols12345', 'characters'],
    ['under 8 characters', 'Sh0rt!', 'length'],
  ];

  it.each(refused)('signUp refuses a password with %s: 422 weak_password', async (_case, password, reason) => {
    const email = uniqueEmail('raw-weak');
    const { data, error } = await client().auth.signUp({ email, password });
    expect(error).toBeInstanceOf(AuthWeakPasswordError);
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('weak_password');
    expect((error as AuthWeakPasswordError).reasons).toContain(reason);
    expect(data.user).toBeNull();
    expect(await signsIn(email, password)).toBe(false);
  });

  it('signUp accepts a password with lower and upper case letters, a digit and a symbol', async () => {
    const { error } = await client().auth.signUp({ email: uniqueEmail('raw-strong'), password: 'Strong-enough-1' });
    expect(error).toBeNull();
  });

  it('updateUser refuses a weak new password even with the current one: 422 weak_password', async () => {
    const { supabase, email } = await signedInUser('raw-weak-update');
    const { error } = await supabase.auth.updateUser({ password: 'weakpassword1', current_password: PASSWORD });
    expect(error?.code).toBe('weak_password');
    expect(await signsIn(email, PASSWORD)).toBe(true);
  });
});
