import { describe, expect, it } from 'vitest';
import { client, codesIn, latestMailTo, PASSWORD, signedInUser, uniqueEmail } from './helpers.ts';

describe('auth: recovery, magic link and OTP', () => {
  it('resetPasswordForEmail() mails a recovery code; verifyOtp signs in and the password can be changed', async () => {
    const { email } = await signedInUser('recover');
    const { error } = await client().auth.resetPasswordForEmail(email);
    expect(error).toBeNull();
    const mail = await latestMailTo(email, 'Reset Your Password');
    const { otp } = codesIn(mail.html);

    const supabase = client();
    const verified = await supabase.auth.verifyOtp({ email, token: otp, type: 'recovery' });
    expect(verified.error).toBeNull();
    expect(verified.data.session).not.toBeNull();
    expect((await supabase.auth.updateUser({ password: 'Recovered-pass-3' })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: 'Recovered-pass-3' })).error).toBeNull();

    // A code is single use.
    const again = await client().auth.verifyOtp({ email, token: otp, type: 'recovery' });
    expect(again.error?.status).toBe(403);
    expect(again.error?.code).toBe('otp_expired');
  });

  it('resetPasswordForEmail() for an unknown address still answers 200 (no enumeration)', async () => {
    const { error } = await client().auth.resetPasswordForEmail(uniqueEmail('ghost'));
    expect(error).toBeNull();
  });

  it('signInWithOtp() mails a magic link whose token_hash verifies', async () => {
    const { email, user } = await signedInUser('magic');
    const { error } = await client().auth.signInWithOtp({ email });
    expect(error).toBeNull();
    const { tokenHash } = codesIn((await latestMailTo(email, 'Your Magic Link')).html);
    const verified = await client().auth.verifyOtp({ token_hash: tokenHash, type: 'magiclink' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.id).toBe(user.id);
  });

  it('signInWithOtp() creates a new user unless shouldCreateUser is false', async () => {
    const denied = await client().auth.signInWithOtp({ email: uniqueEmail('nocreate'), options: { shouldCreateUser: false } });
    expect(denied.error?.status).toBe(422);
    expect(denied.error?.code).toBe('otp_disabled');

    const email = uniqueEmail('otp-new');
    expect((await client().auth.signInWithOtp({ email, options: { data: { origin: 'otp' } } })).error).toBeNull();
    const { otp } = codesIn((await latestMailTo(email)).html);
    const verified = await client().auth.verifyOtp({ email, token: otp, type: 'email' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(email);
    expect(verified.data.user?.user_metadata.origin).toBe('otp');
  });

  it('a wrong code is 403 otp_expired', async () => {
    const { email } = await signedInUser('wrong-otp');
    const { error } = await client().auth.verifyOtp({ email, token: '123456', type: 'magiclink' });
    expect(error?.status).toBe(403);
    expect(error?.code).toBe('otp_expired');
    void PASSWORD;
  });
});
