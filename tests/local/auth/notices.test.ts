/**
 * Account-change notices (`[auth.email.notification.<kind>]`, on in config.toml), mailed as GoTrue
 * mails them: the email change to the old address, the phone change and MFA factor changes to the
 * account's address.
 */
import { randomInt } from 'node:crypto';
import { TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { codeIn, latestSms } from '../../helpers/outbox.ts';
import { client, codesIn, latestMailTo, PASSWORD, signedInUser, uniqueEmail } from './helpers.ts';

const uniquePhone = () => '1555' + String(randomInt(10_000_000)).padStart(7, '0');

describe('auth: account-change notices', () => {
  it('a confirmed email change is announced to the old address, naming both', async () => {
    const { supabase, email } = await signedInUser('notice-email');
    const newEmail = uniqueEmail('notice-new');
    expect((await supabase.auth.updateUser({ email: newEmail })).error).toBeNull();
    const toNew = codesIn((await latestMailTo(newEmail, 'Confirm Email Change')).html);
    const toOld = codesIn((await latestMailTo(email, 'Confirm Email Change')).html);
    expect((await client().auth.verifyOtp({ token_hash: toOld.tokenHash, type: 'email_change' })).error).toBeNull();
    expect((await client().auth.verifyOtp({ email: newEmail, token: toNew.otp, type: 'email_change' })).error).toBeNull();

    const notice = await latestMailTo(email, 'Your Marquee email address was changed');
    expect(notice.html).toContain(`was changed from ${email} to ${newEmail}`);
  });

  it('a confirmed phone change is announced to the account\'s address', async () => {
    const email = uniqueEmail('notice-phone');
    const [oldPhone, newPhone] = [uniquePhone(), uniquePhone()];
    const created = await client('service_role').auth.admin.createUser({ email, password: PASSWORD, email_confirm: true, phone: oldPhone, phone_confirm: true });
    expect(created.error).toBeNull();
    const device = client();
    expect((await device.auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
    expect((await device.auth.updateUser({ phone: newPhone })).error).toBeNull();
    const code = codeIn((await latestSms(`+${newPhone}`)) ?? '');
    expect((await device.auth.verifyOtp({ phone: newPhone, token: code, type: 'phone_change' })).error).toBeNull();

    const notice = await latestMailTo(email, 'Your Marquee phone number was changed');
    expect(notice.html).toContain(`was changed from ${oldPhone} to ${newPhone}`);
  });

  it('enrolling and removing a TOTP factor are announced', async () => {
    const { supabase, email } = await signedInUser('notice-mfa');
    const factor = (await supabase.auth.mfa.enroll({ factorType: 'totp' })).data!;
    const code = new TOTP({ secret: factor.totp.secret, algorithm: 'SHA1', digits: 6, period: 30 }).generate();
    expect((await supabase.auth.mfa.challengeAndVerify({ factorId: factor.id, code })).error).toBeNull();
    expect((await latestMailTo(email, 'A verification method was added to your Marquee account')).html).toContain('totp was added');

    expect((await supabase.auth.mfa.unenroll({ factorId: factor.id })).error).toBeNull();
    expect((await latestMailTo(email, 'A verification method was removed from your Marquee account')).html).toContain('totp was removed');
  });
});
