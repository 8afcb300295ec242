import { describe, expect, it } from 'vitest';
import { client, codesIn, latestMailTo, PASSWORD, signedInUser, uniqueEmail } from './helpers.ts';

describe('auth: the signed-in user', () => {
  it('getUser() returns the user of the access token', async () => {
    const { session, user } = await signedInUser('me');
    const { data, error } = await client().auth.getUser(session.access_token);
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: user.id, email: user.email, aud: 'authenticated', role: 'authenticated' });
  });

  it('updateUser() merges metadata (null removes a key)', async () => {
    const { supabase, session } = await signedInUser('meta');
    await supabase.auth.setSession(session);
    await supabase.auth.updateUser({ data: { theme: 'dark', locale: 'fr' } });
    const { data, error } = await supabase.auth.updateUser({ data: { locale: null } });
    expect(error).toBeNull();
    expect(data.user?.user_metadata.theme).toBe('dark');
    expect(data.user?.user_metadata).not.toHaveProperty('locale');
  });

  it('updateUser() changes the password; the old one stops working', async () => {
    const { supabase, session, email } = await signedInUser('pw');
    await supabase.auth.setSession(session);
    const same = await supabase.auth.updateUser({ password: PASSWORD, current_password: PASSWORD });
    expect(same.error?.status).toBe(422);
    expect(same.error?.code).toBe('same_password');
    const weak = await supabase.auth.updateUser({ password: 'x' });
    expect(weak.error?.code).toBe('weak_password');
    const { error } = await supabase.auth.updateUser({ password: 'Brand-new-pass-2', current_password: PASSWORD });
    expect(error).toBeNull();
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error?.code).toBe('invalid_credentials');
    expect((await client().auth.signInWithPassword({ email, password: 'Brand-new-pass-2' })).error).toBeNull();
  });

  it('updateUser() cannot set app_metadata: 403 not_admin', async () => {
    const { session } = await signedInUser('appmeta');
    const { stackEnv } = await import('../../helpers/env.ts');
    const env = stackEnv();
    const response = await fetch(`${env.url}/auth/v1/user`, {
      method: 'PUT',
      headers: { apikey: env.anonKey, Authorization: `Bearer ${session.access_token}`, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
      body: JSON.stringify({ app_metadata: { role: 'admin' } }),
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'not_admin' });
  });

  it('updateUser({ email }) mails both addresses; following both links changes the email', async () => {
    const { supabase, session, email } = await signedInUser('change');
    await supabase.auth.setSession(session);
    const newEmail = uniqueEmail('changed');
    const { data, error } = await supabase.auth.updateUser({ email: newEmail });
    expect(error).toBeNull();
    expect(data.user?.new_email).toBe(newEmail);
    const toNew = codesIn((await latestMailTo(newEmail, 'Confirm Email Change')).html);
    const toOld = codesIn((await latestMailTo(email, 'Confirm Email Change')).html);

    const first = await client().auth.verifyOtp({ token_hash: toOld.tokenHash, type: 'email_change' });
    expect(first.error).toBeNull();
    expect(first.data.session).toBeNull();
    const second = await client().auth.verifyOtp({ email: newEmail, token: toNew.otp, type: 'email_change' });
    expect(second.error).toBeNull();
    expect(second.data.user?.email).toBe(newEmail);
    expect((await client().auth.signInWithPassword({ email: newEmail, password: PASSWORD })).error).toBeNull();
  });
});
