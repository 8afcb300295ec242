import { TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { mailsTo, waitForMail } from '../helpers/outbox.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { accessToken, call, createAccount, randomIp, sessionOf, sql } from './accounts.ts';

/** functions/change-password: the signed-in user proves the old password and sets a new one. */
describe('functions/change-password', { timeout: 90_000 }, () => {
  it('changes the password and sends a confirmation mail', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    const { status, body } = await call('change-password', { old_password: user.password, new_password: 'Brand#new42' }, { token });
    expect({ status, body }).toEqual({ status: 200, body: { detail: 'Password updated successfully' } });
    expect((await call('sign-in', { username: user.username, password: 'Brand#new42' })).status).toBe(200);
    expect((await call('sign-in', { username: user.username, password: user.password })).status).toBe(401);
    // One confirmation mail: Auth's password_changed notice, the one every door that changes a password sends.
    await waitForMail(user.email, 'Your Marquee password was changed');
    expect((await mailsTo(user.email)).filter((mail) => mail.subject.includes('password was changed'))).toHaveLength(1);
  });

  it('keeps this device signed in and signs every other one out', async () => {
    const user = await createAccount();
    const [here, elsewhere] = [await sessionOf(user), await sessionOf(user)];
    const reply = await call('change-password', { old_password: user.password, new_password: 'Brand#new42' }, { token: here.access_token });
    expect(reply.status).toBe(200);
    const refresh = (token: string) => anonClient({ headers: { 'X-Forwarded-For': randomIp() } }).auth.refreshSession({ refresh_token: token });
    expect((await refresh(elsewhere.refresh_token)).error?.code).toBe('refresh_token_not_found');
    expect((await refresh(here.refresh_token)).error).toBeNull();
  });

  it('refuses the same password again, in Auth\'s words', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    const reply = await call('change-password', { old_password: user.password, new_password: user.password }, { token });
    expect(reply).toMatchObject({ status: 400, body: { new_password: ['New password should be different from the old password.'] } });
  });

  it('needs an aal2 session once the user has a verified factor, as Auth does', async () => {
    const user = await createAccount();
    const device = anonClient({ flowType: 'implicit', headers: { 'X-Forwarded-For': randomIp() } });
    const signedIn = await device.auth.signInWithPassword({ email: user.email, password: user.password });
    expect(signedIn.error).toBeNull();
    const factor = await device.auth.mfa.enroll({ factorType: 'totp' });
    const totp = new TOTP({ secret: factor.data!.totp.secret, algorithm: 'SHA1', digits: 6, period: 30 });
    const verified = await device.auth.mfa.challengeAndVerify({ factorId: factor.data!.id, code: totp.generate() });
    expect(verified.error).toBeNull();

    const aal1 = await accessToken(user);
    const refused = await call('change-password', { old_password: user.password, new_password: 'Brand#new42' }, { token: aal1 });
    expect(refused).toMatchObject({ status: 403, body: { detail: 'AAL2 session is required to update email or password when MFA is enabled.' } });

    const aal2 = (await device.auth.getSession()).data.session!.access_token;
    expect((await call('change-password', { old_password: user.password, new_password: 'Brand#new42' }, { token: aal2 })).status).toBe(200);
  });

  it('refuses a wrong old password', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    const reply = await call('change-password', { old_password: 'Not#theone1', new_password: 'Brand#new42' }, { token });
    expect(reply).toMatchObject({ status: 400, body: { old_password: ['Wrong password.'] } });
    expect((await call('sign-in', { username: user.username, password: user.password })).status).toBe(200);
  });

  it('applies the password policy to the new password, username included', async () => {
    const user = await createAccount();
    const token = await accessToken(user);
    expect((await call('change-password', { old_password: user.password, new_password: 'short' }, { token })).body).toEqual({
      new_password: [
        'This password is too short. It must contain at least 8 characters.',
        'Password must contain at least 8 characters, including letters, numbers, and special characters.',
        'Password must contain both upper and lower case letters.',
      ],
    });
    expect((await call('change-password', { old_password: user.password, new_password: `1#A${user.username}` }, { token })).body).toEqual({
      new_password: ['The password is too similar to the username.'],
    });
    // confirm_password, when sent, must repeat the new password (003); the old one still works after.
    expect(
      (await call('change-password', { old_password: user.password, new_password: 'Brand#new42', confirm_password: 'Brand#new43' }, { token })).body,
    ).toEqual({ confirm_password: ["The two password fields didn't match."] });
    expect((await call('sign-in', { username: user.username, password: user.password })).status).toBe(200);
    expect((await call('change-password', {}, { token })).body).toEqual({
      old_password: ['This field is required.'],
      new_password: ['This field is required.'],
    });
  });

  it('needs a signed-in, active user', async () => {
    expect(await call('change-password', { old_password: 'a', new_password: 'b' })).toMatchObject({
      status: 401,
      body: { detail: 'Authentication credentials were not provided.' },
    });
    const user = await createAccount();
    const token = await accessToken(user);
    await sql("update public.profiles set status = 'suspended' where id = $1", [user.id]);
    // The suspension revoked the session the held token names.
    expect(await call('change-password', { old_password: user.password, new_password: 'Brand#new42' }, { token })).toMatchObject({
      status: 401,
      body: { detail: 'Invalid or expired token.' },
    });
    // A valid token without a session still meets the live status.
    const sessionless = await signUserToken(user.id, { email: user.email, user_role: 'visitor', account_status: 'active' });
    expect(await call('change-password', { old_password: user.password, new_password: 'Brand#new42' }, { token: sessionless })).toMatchObject({
      status: 403,
      body: { detail: 'Your account is suspended. Please contact support.' },
    });
  });
});
