import { randomBytes, randomUUID } from 'node:crypto';
import { TOTP } from 'otpauth';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, isMarqueeError, type Marquee, type MarqueeError } from '../../sdk/src/index.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { codeIn, latestSms, waitForMail } from '../helpers/outbox.ts';

/**
 * Account journeys through the SDK against the suite's stack: every step is a `marquee.*` call, as an
 * app would make it. The database is reached only to do what an operator would (make an admin) and
 * to read captured SMS; mail is read through the Mailpit-compatible API.
 */

let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

/** A client as one device/app would have it: its own session and its own client address. */
function device(): Marquee {
  const stack = stackEnv();
  const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 254)}`;
  return createMarquee({
    url: stack.url,
    key: stack.anonKey,
    options: {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      // ws's constructor is what realtime-js expects; its types name a narrower interface.
      realtime: { transport: ws as never },
      global: { headers: { 'X-Forwarded-For': ip } },
    },
  });
}

const PASSWORD = 'Marquee#2024';
const unique = (label: string) => `${label}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const mailbox = (label: string) => `${unique(label).toLowerCase()}@marquee.test`;

interface Account {
  id: string;
  username: string;
  email: string;
  password: string;
}

/** Registers through the SDK and returns the new account. */
async function register(label = 'user'): Promise<Account> {
  const account = { username: unique(label), email: mailbox(label), password: PASSWORD };
  const result = await device().auth.register(account);
  return { ...account, id: result.user.id };
}

/** A device signed in as `account`. */
async function signedIn(account: { username: string; password: string }): Promise<Marquee> {
  const marquee = device();
  await marquee.auth.signIn({ username: account.username, password: account.password });
  return marquee;
}

async function failure(promise: Promise<unknown>): Promise<MarqueeError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  if (!isMarqueeError(outcome.error)) throw outcome.error;
  return outcome.error;
}

describe('register → sign in → profile → notifications → password → sign out', () => {
  it('walks the whole account journey', async () => {
    const app = device();
    const username = unique('john');
    const email = mailbox('john');

    // register: 201 body as the reference; a second registration with the same names is refused.
    const registered = await app.auth.register({ username, email, password: PASSWORD, first_name: 'John' });
    expect(registered).toMatchObject({ message: 'User registered successfully.', user: { username, email } });
    expect(typeof registered.email_sent).toBe('boolean');
    const taken = await failure(app.auth.register({ username, email, password: PASSWORD }));
    expect(taken).toMatchObject({ status: 400, fields: { username: ['Username already exists.'], email: ['Email already exists.'] } });

    // sign in by username; the client holds the session.
    const session = await app.auth.signIn({ username, password: PASSWORD });
    expect(session.user.id).toBe(registered.user.id);
    expect((await app.auth.session())?.access_token).toBe(session.access_token);

    // me: the reference's profile shape.
    const me = await app.profiles.me();
    expect(me).toEqual({
      id: registered.user.id,
      user: {
        id: registered.user.id,
        username,
        email,
        first_name: 'John',
        last_name: '',
        profile_pic: null,
        user_phone: '',
        user_address: '',
        user_type: 'regular',
        user_social_fb: '',
        user_social_twt: '',
        user_social_yt: '',
        user_status: true,
        user_banned: false,
        user_group: ['visitor'],
      },
      followed_by_user: false,
      blocked_by_user: false,
    });

    // update: both tables, the reference's answer; guarded fields never leave the SDK.
    // Phone numbers are unique across accounts: this run's own.
    const phone = `+1555${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    const updated = await app.profiles.update({
      last_name: 'Doe',
      user_phone: phone,
      user_address: 'New York, USA',
      user_social_yt: 'https://youtube.com/john',
    });
    expect(updated).toEqual({
      userId: registered.user.id,
      first_name: 'John',
      last_name: 'Doe',
      profile_pic: null,
      user_phone: phone,
      user_address: 'New York, USA',
      user_social_fb: '',
      user_social_twt: '',
      user_social_yt: 'https://youtube.com/john',
    });
    expect((await failure(app.profiles.update({ username: 'other' } as never))).fields).toEqual({ username: ['This field is not allowed.'] });
    expect((await app.profiles.me()).user).toMatchObject({ last_name: 'Doe', user_phone: phone, user_address: 'New York, USA' });

    // avatar: stored under the user's folder, served from its public URL.
    const png = Uint8Array.from(
      Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
    );
    const withAvatar = await app.profiles.uploadAvatar({ file: png, contentType: 'image/png' });
    expect(withAvatar.profile_pic).toMatch(new RegExp(`/storage/v1/object/public/avatars/${registered.user.id}/avatar-\\d+\\.png$`));
    const served = await fetch(withAvatar.profile_pic!);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(png);
    expect((await app.profiles.me()).user.profile_pic).toBe(withAvatar.profile_pic);

    // another user sees the public profile without the private fields.
    const other = await signedIn(await register('viewer'));
    const seen = await other.profiles.get({ id: registered.user.id });
    expect(seen.user).not.toHaveProperty('email');
    expect(seen.user).not.toHaveProperty('user_phone');
    expect(seen.user).toMatchObject({ username, last_name: 'Doe', user_group: ['visitor'] });
    expect((await failure(other.profiles.get({ id: randomUUID() }))).toJSON()).toEqual({ detail: 'Not found.', code: 'not_found' });
    const found = await other.profiles.search({ query: username });
    expect(found.results.map((p) => p.user.username)).toEqual([username]);

    // notifications: the welcome one, then read marks.
    const inbox = await app.notifications.list();
    expect(inbox).toMatchObject({ count: 1, page: 1, total_pages: 1, next: null, previous: null });
    const [welcome] = inbox.results;
    expect(welcome).toMatchObject({
      message: `Welcome ${username}! Your account has been successfully created.`,
      notification_type: 'general',
      page: 'profile',
      page_item_id: null,
      is_read: false,
    });
    expect(await app.notifications.markRead({ id: welcome!.id })).toEqual({ detail: 'notification marked as read' });
    expect((await app.notifications.list({ is_read: false })).count).toBe(0);
    expect(await app.notifications.markAllRead()).toEqual({ detail: '0 notifications marked as read' });
    expect(await failure(other.notifications.markRead({ id: welcome!.id }))).toMatchObject({ status: 404, detail: 'Not found.' });

    // preferences: all_notifications = false turns every flag off and hides general notifications.
    const prefs = await app.notifications.getPreferences();
    expect(prefs).toMatchObject({ user: registered.user.id, all_notifications: true, likes_notifications: true });
    expect(await app.notifications.updatePreferences({ comments_notifications: false })).toMatchObject({ comments_notifications: false, likes_notifications: true });
    const off = await app.notifications.updatePreferences({ all_notifications: false });
    expect(Object.entries(off).filter(([key]) => key !== 'user').every(([, value]) => value === false)).toBe(true);
    expect((await app.notifications.list()).count).toBe(0);
    await app.notifications.updatePreferences({ all_notifications: true });
    expect((await app.notifications.list()).count).toBe(1);

    // change password: the old one is checked, then only the new one signs in.
    expect(await failure(app.auth.changePassword({ old_password: 'Wrong#2024', new_password: 'Changed#2025' }))).toMatchObject({
      status: 400,
      fields: { old_password: ['Wrong password.'] },
    });
    expect(await app.auth.changePassword({ old_password: PASSWORD, new_password: 'Changed#2025' })).toEqual({ detail: 'Password updated successfully' });
    expect(await failure(device().auth.signIn({ email, password: PASSWORD }))).toMatchObject({
      status: 401,
      detail: 'No active account found with the given credentials',
    });
    await expect(device().auth.signIn({ email: email.toUpperCase(), password: 'Changed#2025' })).resolves.toMatchObject({ user: { email } });

    // sign out: the session is gone and so is access to the private profile.
    await app.auth.signOut();
    expect(await app.auth.session()).toBeNull();
    expect(await failure(app.profiles.me())).toMatchObject({ status: 401 });
  });

  it('resets a forgotten password with the emailed code', async () => {
    const account = await register('forgot');
    const app = device();
    expect(await app.auth.requestPasswordReset({ email: account.email })).toEqual({ detail: 'Password reset code sent to email.' });
    expect(await failure(app.auth.requestPasswordReset({ email: account.email }))).toMatchObject({ status: 429 });
    const code = codeIn(await waitForMail(account.email, 'password reset'));
    expect(await failure(app.auth.confirmPasswordReset({ email: account.email, code: code === '000000' ? '111111' : '000000', new_password: 'Reset#2025x' }))).toMatchObject({
      status: 400,
      detail: 'Invalid or expired reset code.',
    });
    expect(await app.auth.confirmPasswordReset({ email: account.email, code, new_password: 'Reset#2025x' })).toEqual({ detail: 'Password reset successful.' });
    await expect(signedIn({ username: account.username, password: 'Reset#2025x' })).resolves.toBeDefined();
  });

  it('signs up by phone with the SMS code', async () => {
    const phone = `+1555${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    const app = device();
    const { token, message } = await app.auth.phoneSignup.sendCode({ phone_number: phone });
    expect(message).toBe('Verification code sent successfully.');
    const code = codeIn((await latestSms(phone)) ?? '');
    const session = await app.auth.phoneSignup.verify({ token, code, password: PASSWORD });
    expect(session.user.phone?.replace(/^\+?/, '+')).toBe(phone);
    expect((await app.profiles.me()).user.username).toMatch(/^user_[0-9a-f]+$/);
    expect(await failure(device().auth.phoneSignup.sendCode({ phone_number: phone }))).toMatchObject({ status: 409, detail: 'User with this phone number already exists.' });
  });

  it('deactivates, then refuses sign-in; deletes an account for good', async () => {
    const leaving = await register('leaving');
    const app = await signedIn(leaving);
    expect(await app.profiles.deactivate()).toEqual({ detail: 'Profile deactivated successfully' });
    expect(await failure(device().auth.signIn({ username: leaving.username, password: PASSWORD }))).toMatchObject({
      status: 403,
      detail: 'Your account is inactive. Please contact support.',
    });

    const gone = await register('gone');
    const goneApp = await signedIn(gone);
    expect(await goneApp.auth.deleteAccount()).toEqual({ detail: 'Account deleted successfully.' });
    expect(await goneApp.auth.session()).toBeNull();
    expect(await failure(device().auth.signIn({ username: gone.username, password: PASSWORD }))).toMatchObject({ status: 401 });
  });
});

describe('admin: suspend and ban', () => {
  let admin: Marquee;
  beforeAll(async () => {
    const account = await register('admin');
    await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [account.id]);
    admin = await signedIn(account); // the new token carries user_role = admin
  });

  it('reactivates an account its owner deactivated, who can then sign in again', async () => {
    const returning = await register('returning');
    expect(await (await signedIn(returning)).profiles.deactivate()).toEqual({ detail: 'Profile deactivated successfully' });
    expect(await failure(admin.admin.unsuspend({ userId: returning.id }))).toMatchObject({ status: 400 });
    expect(await admin.admin.reactivate({ userId: returning.id, reason: 'Asked by email' })).toEqual({ detail: `User ${returning.username} reactivated.` });
    expect((await signedIn(returning)).supabase).toBeTruthy();
    // The owner's own deactivation is audited too (newest first).
    expect((await admin.admin.actions({ userId: returning.id })).results.map((a) => a.action)).toEqual(['reactivate', 'deactivate']);
  });

  it('suspends an account: sign-in and refresh are refused until it is unsuspended', async () => {
    const victim = await register('victim');
    const victimApp = await signedIn(victim);

    // a visitor is not an admin
    expect(await failure(victimApp.admin.suspend({ userId: victim.id }))).toMatchObject({ status: 403, code: '42501' });
    expect(await failure(victimApp.admin.listUsers())).toMatchObject({ status: 403 });

    expect(await admin.admin.suspend({ userId: victim.id, reason: 'Spam' })).toEqual({ detail: `User ${victim.username} suspended.` });
    expect(await failure(device().auth.signIn({ username: victim.username, password: PASSWORD }))).toMatchObject({
      status: 403,
      detail: 'Your account is suspended. Please contact support.',
    });
    // The suspension revoked the victim's sessions: the refresh token no longer exists.
    expect(await failure(victimApp.auth.refresh())).toMatchObject({ status: 400 });

    const listed = await admin.admin.listUsers({ status: 'suspended', search: victim.username });
    expect(listed.count).toBe(1);
    expect(listed.results[0]).toMatchObject({ id: victim.id, username: victim.username, email: victim.email, status: 'suspended', role: 'visitor' });
    const audit = await admin.admin.actions({ userId: victim.id });
    expect(audit.results[0]).toMatchObject({ user_id: victim.id, action: 'suspend', reason: 'Spam' });

    expect(await admin.admin.unsuspend({ userId: victim.id })).toEqual({ detail: `User ${victim.username} unsuspended.` });
    await expect(signedIn(victim)).resolves.toBeDefined();
  });

  it('bans and unbans', async () => {
    const victim = await register('banned');
    await admin.admin.ban({ userId: victim.id, reason: 'Abuse' });
    expect(await failure(device().auth.signIn({ username: victim.username, password: PASSWORD }))).toMatchObject({
      status: 403,
      detail: 'Your account has been banned.',
    });
    expect((await admin.profiles.get({ id: victim.id })).user).toMatchObject({ user_status: false, user_banned: true });
    await admin.admin.unban({ userId: victim.id });
    await expect(signedIn(victim)).resolves.toBeDefined();
    expect((await admin.admin.actions({ userId: victim.id })).results.map((a) => a.action)).toEqual(['unban', 'ban']);
  });
});

describe('parental controls', () => {
  it('a child links a parent by the emailed code; the parent sees the child and may unlink', async () => {
    const child = await register('child');
    const parent = await register('parent');
    const childApp = await signedIn(child);

    expect(await childApp.parental.requestOtp({ parent_email: parent.email })).toEqual({ detail: 'OTP sent to parent email.' });
    const code = codeIn(await waitForMail(parent.email, 'parental link'));
    expect(await failure(childApp.parental.verifyOtp({ parent_email: parent.email, otp_code: code === '000000' ? '111111' : '000000' }))).toMatchObject({
      status: 400,
      fields: { non_field_errors: ['Invalid OTP.'] },
    });
    expect(await childApp.parental.verifyOtp({ parent_email: parent.email, otp_code: code })).toEqual({ detail: 'OTP verified successfully.' });
    expect(await failure(childApp.parental.requestOtp({ parent_email: parent.email }))).toMatchObject({
      status: 400,
      fields: { non_field_errors: ['This parent email is already linked.'] },
    });

    const parentApp = await signedIn(parent);
    const children = await parentApp.parental.children();
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ child_id: child.id, parent_email: parent.email, child: { id: child.id, username: child.username } });
    expect(await parentApp.parental.childActivity({ childId: child.id })).toMatchObject({ child_id: child.id, username: child.username, account_status: 'active' });

    // the child cannot unlink; a stranger cannot read the summary
    expect(await failure(childApp.parental.unlink({ childId: child.id }))).toMatchObject({ status: 404 });
    const stranger = await signedIn(await register('stranger'));
    expect(await failure(stranger.parental.childActivity({ childId: child.id }))).toMatchObject({ status: 403 });

    await parentApp.parental.unlink({ childId: child.id });
    expect(await parentApp.parental.children()).toEqual([]);
  });
});

describe('MFA (TOTP)', () => {
  it('enrols a factor, lifts the session to aal2, and guards personal details at aal1', async () => {
    const account = await register('mfa');
    const app = await signedIn(account);
    expect(await app.auth.aal()).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal1' });

    const factor = await app.auth.enrollTotp({ friendlyName: 'phone' });
    const code = () => new TOTP({ secret: factor.totp.secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    await app.auth.challengeAndVerify({ factorId: factor.id, code: code() });
    expect(await app.auth.aal()).toMatchObject({ currentLevel: 'aal2', nextLevel: 'aal2' });
    const factors = await app.auth.listFactors();
    expect(factors.totp.map((f) => [f.id, f.status])).toEqual([[factor.id, 'verified']]);
    await app.profiles.update({ user_address: 'Secret street 1' });

    // a new sign-in is aal1 until the code is given: personal details are out of reach.
    const second = await signedIn(account);
    expect(await second.auth.aal()).toMatchObject({ currentLevel: 'aal1', nextLevel: 'aal2' });
    expect((await second.profiles.me()).user.user_address).toBe('');
    expect(await failure(second.profiles.update({ user_address: 'Elsewhere' }))).toMatchObject({ status: 403 });
    await second.auth.challengeAndVerify({ factorId: factor.id, code: code() });
    expect((await second.profiles.me()).user.user_address).toBe('Secret street 1');

    await second.auth.unenroll({ factorId: factor.id });
    expect((await second.auth.listFactors()).all).toEqual([]);
  });
});
