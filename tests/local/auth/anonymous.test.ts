/** Anonymous sign-ins: on with `enable_anonymous_sign_ins = true` (in-process), off in the shared config.toml. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, decodeJwt, uniqueEmail } from './helpers.ts';
import { startAuthService, type InProcessAuth } from './in-process.ts';

describe('auth: anonymous sign-ins', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    auth = await startAuthService({ enable_anonymous_sign_ins: true });
  });
  afterAll(async () => auth?.close());

  it('signInAnonymously() creates an anonymous user whose JWT says is_anonymous', async () => {
    const supabase = auth.client();
    const { data, error } = await supabase.auth.signInAnonymously({ options: { data: { nickname: 'guest' } } });
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ is_anonymous: true, email: '', role: 'authenticated', user_metadata: { nickname: 'guest' } });
    expect(data.user?.identities).toEqual([]);
    const claims = decodeJwt(data.session!.access_token);
    expect(claims).toMatchObject({ is_anonymous: true, role: 'authenticated', sub: data.user!.id, aal: 'aal1' });
    expect(claims.amr).toEqual([expect.objectContaining({ method: 'anonymous' })]);

    const me = await supabase.auth.getUser();
    expect(me.data.user?.is_anonymous).toBe(true);
  });

  it('an anonymous user cannot set a password without an email, and becomes permanent by adding one', async () => {
    const supabase = auth.client();
    await supabase.auth.signInAnonymously();
    const denied = await supabase.auth.updateUser({ password: 'Anon-pass-1' });
    expect(denied.error?.status).toBe(422);

    const email = uniqueEmail('anon-upgrade');
    const upgraded = await supabase.auth.updateUser({ email });
    expect(upgraded.error).toBeNull();
    expect(upgraded.data.user?.email).toBe(email);
    expect(upgraded.data.user?.is_anonymous).toBe(false);
  });

  it('/settings reports anonymous_users enabled', async () => {
    const settings = (await (await auth.request('/settings')).json()) as { external: { anonymous_users: boolean } };
    expect(settings.external.anonymous_users).toBe(true);
  });
});

describe('auth: anonymous sign-ins off (config.toml default)', () => {
  it('signInAnonymously() is 422 anonymous_provider_disabled', async () => {
    const { data, error } = await client().auth.signInAnonymously();
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('anonymous_provider_disabled');
    expect(error?.message).toBe('Anonymous sign-ins are disabled');
    expect(data.session).toBeNull();
  });
});
