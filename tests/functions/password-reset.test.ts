import { describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { codeIn, waitForMail } from '../helpers/outbox.ts';
import { call, codeRows, createAccount, expectOnlyHashes, randomIp, sessionOf, sql } from './accounts.ts';

/** functions/password-reset: a 6-digit code by email (10 minutes, 5 tries, single use), then a new password. */
const INVALID = { detail: 'Invalid or expired reset code.' };
const SUBJECT = 'Your Marquee password reset code';

async function requestCode(email: string): Promise<string> {
  const reply = await call('password-reset/request', { email });
  expect(reply).toMatchObject({ status: 200, body: { detail: 'Password reset code sent to email.' } });
  return codeIn(await waitForMail(email, SUBJECT));
}

describe('functions/password-reset', { timeout: 90_000 }, () => {
  it('resets the password with the mailed code', async () => {
    const user = await createAccount();
    const code = await requestCode(user.email.toUpperCase().replace('@MARQUEE.TEST', '@marquee.test'));
    const reply = await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9' });
    expect(reply).toMatchObject({ status: 200, body: { detail: 'Password reset successful.' } });
    expect((await call('sign-in', { email: user.email, password: 'Reset#Pass9' })).status).toBe(200);
    expect((await call('sign-in', { email: user.email, password: user.password })).status).toBe(401);
  });

  it('signs the user out everywhere', async () => {
    const user = await createAccount();
    const before = await sessionOf(user);
    const code = await requestCode(user.email);
    expect((await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9' })).status).toBe(200);
    const refresh = await anonClient({ headers: { 'X-Forwarded-For': randomIp() } }).auth.refreshSession({ refresh_token: before.refresh_token });
    expect(refresh.error?.code).toBe('refresh_token_not_found');
  });

  it('says when no account has the email', async () => {
    expect(await call('password-reset/request', { email: 'nobody-at-all@marquee.test' })).toMatchObject({
      status: 400,
      body: { email: ['No account with this email.'] },
    });
    expect((await call('password-reset/request', { email: 'nope' })).body).toEqual({ email: ['Enter a valid email address.'] });
    expect((await call('password-reset/request', {})).body).toEqual({ email: ['This field is required.'] });
  });

  it('stores only a hash of the code', async () => {
    const user = await createAccount();
    const code = await requestCode(user.email);
    await expectOnlyHashes('password_reset', user.id, code);
  });

  it('refuses another code within 60 s (429 with Retry-After)', async () => {
    const user = await createAccount();
    await requestCode(user.email);
    const again = await call('password-reset/request', { email: user.email });
    expect(again).toMatchObject({ status: 429, body: { detail: 'Please wait before requesting another code.' } });
    const retryAfter = Number(again.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('voids the code after 5 wrong tries', async () => {
    const user = await createAccount();
    const code = await requestCode(user.email);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect(await call('password-reset/confirm', { email: user.email, code: wrong, new_password: 'Reset#Pass9' })).toMatchObject({
        status: 400,
        body: INVALID,
      });
    }
    expect(await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
    expect((await call('sign-in', { email: user.email, password: user.password })).status).toBe(200);
  });

  it('uses a code once and deletes every code of the user', async () => {
    const user = await createAccount();
    const code = await requestCode(user.email);
    // An older code of another purpose-subject stays; every password_reset code of the user goes.
    expect((await codeRows('password_reset', user.id)).length).toBe(1);
    expect((await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9' })).status).toBe(200);
    expect(await codeRows('password_reset', user.id)).toEqual([]);
    expect(await call('password-reset/confirm', { email: user.email, code, new_password: 'Other#pass9' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
  });

  it('refuses an expired code', async () => {
    const user = await createAccount();
    const code = await requestCode(user.email);
    await sql("update private.one_time_codes set expires_at = now() - interval '1 second' where purpose = 'password_reset' and subject = $1", [
      user.id,
    ]);
    expect(await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
  });

  it('validates the confirmation and keeps the code when the new password is refused', async () => {
    const user = await createAccount();
    const code = await requestCode(user.email);
    expect((await call('password-reset/confirm', {})).body).toEqual({
      email: ['This field is required.'],
      code: ['This field is required.'],
      new_password: ['This field is required.'],
    });
    expect((await call('password-reset/confirm', { email: user.email, code, new_password: 'weak' })).body).toEqual({
      new_password: [
        'This password is too short. It must contain at least 8 characters.',
        'Password must contain at least 8 characters, including letters, numbers, and special characters.',
        'Password must contain both upper and lower case letters.',
      ],
    });
    expect((await call('password-reset/confirm', { email: user.email, code, new_password: `9#A${user.username}` })).body).toEqual({
      new_password: ['The password is too similar to the username.'],
    });
    expect((await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9', confirm_password: 'Reset#Pass8' })).body).toEqual({
      confirm_password: ["The two password fields didn't match."],
    });
    expect(await call('password-reset/confirm', { email: 'nobody-at-all@marquee.test', code, new_password: 'Reset#Pass9' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
    expect(await call('password-reset/confirm', { email: user.email, code: 'abcdef', new_password: 'Reset#Pass9' })).toMatchObject({
      status: 400,
      body: INVALID,
    });
    expect((await call('password-reset/confirm', { email: user.email, code, new_password: 'Reset#Pass9' })).status).toBe(200);
  });
});
