import { describe, expect, it } from 'vitest';
import { client, PASSWORD, signedInUser, uniqueEmail } from './helpers.ts';

describe('auth: admin user API (service_role)', () => {
  it('creates a confirmed user with metadata who can sign in', async () => {
    const email = uniqueEmail('admin-create');
    const { data, error } = await client('service_role').auth.admin.createUser({
      email,
      password: PASSWORD,
      email_confirm: true,
      user_metadata: { name: 'Grace' },
      app_metadata: { plan: 'pro' },
    });
    expect(error).toBeNull();
    expect(data.user?.email_confirmed_at).toBeTruthy();
    expect(data.user?.user_metadata).toEqual({ name: 'Grace', email_verified: true });
    expect(data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], plan: 'pro' });
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it('an unconfirmed user cannot sign in: 400 email_not_confirmed', async () => {
    const email = uniqueEmail('unconfirmed');
    await client('service_role').auth.admin.createUser({ email, password: PASSWORD });
    const { error } = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(error?.status).toBe(400);
    expect(error?.code).toBe('email_not_confirmed');
  });

  it('rejects a duplicate email: 422 email_exists', async () => {
    const { email } = await signedInUser('admin-dup');
    const { error } = await client('service_role').auth.admin.createUser({ email, password: PASSWORD });
    expect(error?.status).toBe(422);
    expect(error?.code).toBe('email_exists');
  });

  it('gets, updates and deletes a user', async () => {
    const admin = client('service_role');
    const { user } = await signedInUser('admin-crud');
    const got = await admin.auth.admin.getUserById(user.id);
    expect(got.data.user?.id).toBe(user.id);

    const updated = await admin.auth.admin.updateUserById(user.id, {
      app_metadata: { role: 'moderator' },
      user_metadata: { bio: 'hi' },
    });
    expect(updated.error).toBeNull();
    expect(updated.data.user?.app_metadata).toMatchObject({ provider: 'email', role: 'moderator' });
    expect(updated.data.user?.user_metadata).toMatchObject({ bio: 'hi' });

    expect((await admin.auth.admin.deleteUser(user.id)).error).toBeNull();
    const gone = await admin.auth.admin.getUserById(user.id);
    expect(gone.error?.status).toBe(404);
    expect(gone.error?.code).toBe('user_not_found');
  });

  it('bans and unbans: a banned user cannot sign in or refresh (user_banned)', async () => {
    const admin = client('service_role');
    const { user, email, session } = await signedInUser('banned');
    const banned = await admin.auth.admin.updateUserById(user.id, { ban_duration: '876000h' });
    expect(banned.data.user?.banned_until).toBeTruthy();

    const signIn = await client().auth.signInWithPassword({ email, password: PASSWORD });
    expect(signIn.error?.status).toBe(400);
    expect(signIn.error?.code).toBe('user_banned');
    const refresh = await client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refresh.error?.code).toBe('user_banned');
    const me = await client().auth.getUser(session.access_token);
    expect(me.error?.status).toBe(403);
    expect(me.error?.code).toBe('user_banned');

    await admin.auth.admin.updateUserById(user.id, { ban_duration: 'none' });
    expect((await client().auth.signInWithPassword({ email, password: PASSWORD })).error).toBeNull();
  });

  it('lists users with pagination (Link / X-Total-Count)', async () => {
    const admin = client('service_role');
    await signedInUser('list-a');
    await signedInUser('list-b');
    const { data, error } = await admin.auth.admin.listUsers({ page: 1, perPage: 1 });
    expect(error).toBeNull();
    expect(data.users).toHaveLength(1);
    const paged = data as unknown as { total: number; nextPage: number | null };
    expect(paged.total).toBeGreaterThanOrEqual(2);
    expect(paged.nextPage).toBe(2);
    // supabase-js reads only the first digit of rel="last" (its own parsing), so lastPage is not checked.
  });

  it('refuses a user token: 403 not_admin', async () => {
    const { session } = await signedInUser('not-admin');
    const supabase = client();
    const { stackEnv } = await import('../../helpers/env.ts');
    const response = await fetch(`${stackEnv().url}/auth/v1/admin/users`, {
      headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${session.access_token}`, 'X-Supabase-Api-Version': '2024-01-01' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ code: 'not_admin', message: 'User not allowed' });
    void supabase;
  });
});
