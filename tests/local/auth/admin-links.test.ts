/** `supabase.auth.admin.generateLink` (links answered, never mailed) and `inviteUserByEmail` (mailed). */
import { describe, expect, it } from 'vitest';
import { stackEnv } from '../../helpers/env.ts';
import { mailsToBeforeSentinel } from '../../helpers/outbox.ts';
import { client, codesIn, decodeJwt, latestMailTo, PASSWORD, signedInUser, uniqueEmail } from './helpers.ts';


describe('auth: admin generate_link', () => {
  it('signup: creates the unconfirmed user and answers link, code and hash without mailing', async () => {
    const email = uniqueEmail('gen-signup');
    const { data, error } = await client('service_role').auth.admin.generateLink({
      type: 'signup',
      email,
      password: PASSWORD,
      options: { data: { plan: 'pro' }, redirectTo: 'http://127.0.0.1:3000/welcome' },
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { plan: 'pro' } });
    expect(data.user?.email_confirmed_at).toBeUndefined();
    const { action_link, email_otp, hashed_token, redirect_to, verification_type } = data.properties!;
    expect(verification_type).toBe('signup');
    expect(redirect_to).toBe('http://127.0.0.1:3000/welcome');
    expect(email_otp).toMatch(/^\d{6}$/);
    const link = new URL(action_link);
    expect(link.pathname).toBe('/auth/v1/verify');
    expect(Object.fromEntries(link.searchParams)).toEqual({ token: hashed_token, type: 'signup', redirect_to });
    expect(await mailsToBeforeSentinel(email)).toEqual([]);

    const verified = await client().auth.verifyOtp({ token_hash: hashed_token, type: 'signup' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();

    const again = await client('service_role').auth.admin.generateLink({ type: 'signup', email, password: PASSWORD });
    expect(again.error?.status).toBe(422);
    expect(again.error?.code).toBe('email_exists');
  });

  it('magiclink: an existing user gets a magic link whose code signs in; an unknown address is signed up', async () => {
    const { email, user } = await signedInUser('gen-magic');
    const { data, error } = await client('service_role').auth.admin.generateLink({ type: 'magiclink', email });
    expect(error).toBeNull();
    expect(data.properties?.verification_type).toBe('magiclink');
    const verified = await client().auth.verifyOtp({ email, token: data.properties!.email_otp, type: 'magiclink' });
    expect(verified.data.user?.id).toBe(user.id);

    const stranger = uniqueEmail('gen-magic-new');
    const created = await client('service_role').auth.admin.generateLink({ type: 'magiclink', email: stranger });
    expect(created.error).toBeNull();
    expect(created.data.properties?.verification_type).toBe('signup');
    expect(created.data.user?.email).toBe(stranger);
  });

  it('magiclink: an unknown address is signed up whatever random password it is given (40 in a row)', async () => {
    // The generated password is not held to the policy: about one in eight lacks a symbol.
    const admin = client('service_role').auth.admin;
    const errors = [];
    for (let i = 0; i < 40; i++) {
      const { error } = await admin.generateLink({ type: 'magiclink', email: uniqueEmail(`gen-magic-${i}`) });
      if (error) errors.push(error.code);
    }
    expect(errors).toEqual([]);
  });

  it('recovery: the action link redirects with a session; an unknown address is 404 user_not_found', async () => {
    const { email, user } = await signedInUser('gen-recover');
    const { data } = await client('service_role').auth.admin.generateLink({ type: 'recovery', email });
    const response = await fetch(data.properties!.action_link, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const fragment = new URLSearchParams(new URL(response.headers.get('location')!).hash.slice(1));
    expect(fragment.get('type')).toBe('recovery');
    expect(decodeJwt(fragment.get('access_token')!).sub).toBe(user.id);

    const unknown = await client('service_role').auth.admin.generateLink({ type: 'recovery', email: uniqueEmail('gen-nobody') });
    expect(unknown.error?.status).toBe(404);
    expect(unknown.error?.code).toBe('user_not_found');
  });

  it('invite: marks the user invited; the invite link verifies with type=invite', async () => {
    const email = uniqueEmail('gen-invite');
    const { data, error } = await client('service_role').auth.admin.generateLink({ type: 'invite', email });
    expect(error).toBeNull();
    expect(data.user?.invited_at).toBeTruthy();
    expect(new URL(data.properties!.action_link).searchParams.get('type')).toBe('invite');
    const verified = await client().auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: 'invite' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email).toBe(email);
  });

  it('email_change_new: the code sent to the new address changes the email', async () => {
    const { email, user } = await signedInUser('gen-change');
    const newEmail = uniqueEmail('gen-changed');
    const { data, error } = await client('service_role').auth.admin.generateLink({ type: 'email_change_new', email, newEmail });
    expect(error).toBeNull();
    expect(data.user?.new_email).toBe(newEmail);
    expect(data.properties?.verification_type).toBe('email_change_new');
    expect(new URL(data.properties!.action_link).searchParams.get('type')).toBe('email_change');
    const verified = await client().auth.verifyOtp({ email: newEmail, token: data.properties!.email_otp, type: 'email_change' });
    expect(verified.error).toBeNull();
    expect(verified.data.user).toMatchObject({ id: user.id, email: newEmail });
  });

  it('rejects an unknown type (400 validation_failed) and a caller without service_role (403 not_admin)', async () => {
    const { url, anonKey, serviceRoleKey } = stackEnv();
    const call = (key: string, body: unknown) =>
      fetch(`${url}/auth/v1/admin/generate_link`, {
        method: 'POST',
        headers: { apikey: key, Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
        body: JSON.stringify(body),
      });
    const bad = await call(serviceRoleKey, { type: 'teleport', email: uniqueEmail('gen-bad') });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ code: 'validation_failed', message: 'Invalid email action link type requested: teleport' });
    const anon = await call(anonKey, { type: 'signup', email: uniqueEmail('gen-anon'), password: PASSWORD });
    expect(anon.status).toBe(403);
    expect(await anon.json()).toMatchObject({ code: 'not_admin' });
  });
});

describe('auth: invite', () => {
  it('inviteUserByEmail() mails an invitation; the invited user verifies it and sets a password', async () => {
    const email = uniqueEmail('invitee');
    const { data, error } = await client('service_role').auth.admin.inviteUserByEmail(email, {
      data: { invited_by: 'ops' },
      redirectTo: 'http://127.0.0.1:3000/accept',
    });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ email, user_metadata: { invited_by: 'ops' } });
    expect(data.user?.invited_at).toBeTruthy();
    expect(data.user?.email_confirmed_at).toBeUndefined();

    const { tokenHash, link } = codesIn((await latestMailTo(email, 'You have been invited')).html);
    expect(new URL(link).searchParams.get('type')).toBe('invite');
    expect(new URL(link).searchParams.get('redirect_to')).toBe('http://127.0.0.1:3000/accept');
    const invitee = client();
    const verified = await invitee.auth.verifyOtp({ token_hash: tokenHash, type: 'invite' });
    expect(verified.error).toBeNull();
    expect(verified.data.user?.email_confirmed_at).toBeTruthy();

    expect((await invitee.auth.updateUser({ password: 'Invited-pass-1' })).error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: 'Invited-pass-1' })).error).toBeNull();
  });

  it('inviting a confirmed address is 422 email_exists; anon callers are 403', async () => {
    const { email } = await signedInUser('invite-taken');
    const taken = await client('service_role').auth.admin.inviteUserByEmail(email);
    expect(taken.error?.status).toBe(422);
    expect(taken.error?.code).toBe('email_exists');
    const anon = await client().auth.admin.inviteUserByEmail(uniqueEmail('invite-anon'));
    expect(anon.error?.status).toBe(403);
  });
});
