import type { SupabaseClientOptions } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, isMarqueeError, MarqueeError, type Marquee } from '../../sdk/src/index.ts';

/**
 * The accounts namespaces without a network: inputs are validated before any request (a bad input is
 * a 400 MarqueeError with `fields` and nothing is sent), and answers are shaped and converted as the
 * contract says. A stub `fetch` answers by path and records every request.
 */
const URL_BASE = 'http://127.0.0.1:54321';
type Transport = NonNullable<NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']>;

interface Call {
  method: string;
  path: string;
  authorization?: string | null;
  body: unknown;
}
type Route = (call: Call) => Response | undefined;

function stub(...routes: Route[]) {
  const calls: Call[] = [];
  const fetchStub = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const call: Call = { method: request.method, path: url.pathname + url.search, body: text ? (JSON.parse(text) as unknown) : undefined };
    if (url.pathname.startsWith('/functions/')) call.authorization = request.headers.get('authorization');
    calls.push(call);
    for (const route of routes) {
      const response = route(call);
      if (response) return response;
    }
    return json({ message: `no stub for ${call.method} ${call.path}` }, 599);
  };
  const marquee = createMarquee({
    url: URL_BASE,
    key: 'anon-key',
    options: {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: ws as unknown as Transport },
      global: { fetch: fetchStub },
    },
  });
  return { marquee, calls };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const on = (method: string, prefix: string, respond: (call: Call) => Response): Route => (call) =>
  call.method === method && call.path.startsWith(prefix) ? respond(call) : undefined;

async function failure(promise: Promise<unknown>): Promise<MarqueeError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isMarqueeError(error)) throw new Error(`expected a MarqueeError, got ${String(error)}`);
  return error;
}

/** Expects a 400 validation error with these field messages (a subset) and no request sent. */
async function rejected(run: (m: Marquee) => Promise<unknown>, fields: Record<string, string[]>): Promise<MarqueeError> {
  const { marquee, calls } = stub();
  const error = await failure(run(marquee));
  expect(error.status).toBe(400);
  expect(error.code).toBe('validation_failed');
  for (const [field, messages] of Object.entries(fields)) expect(error.fields?.[field]).toEqual(expect.arrayContaining(messages));
  expect(calls).toEqual([]);
  return error;
}

const USER_ID = '6b0b9a1e-0d47-4b3e-9a55-6b3f6a3c1d2e';
const OTHER_ID = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';

/** An unsigned JWT shape (auth-js only decodes it) that expires in an hour. */
function fakeJwt(sub: string): string {
  const part = (x: unknown) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub, role: 'authenticated', aud: 'authenticated', exp: now + 3600, iat: now, aal: 'aal1', session_id: 's1' })}.sig`;
}

const authUser = { id: USER_ID, aud: 'authenticated', role: 'authenticated', email: 'john@example.com', app_metadata: {}, user_metadata: {}, created_at: '2025-01-01T00:00:00Z' };
const sessionJson = () => ({ access_token: fakeJwt(USER_ID), refresh_token: 'r1', token_type: 'bearer', expires_in: 3600, expires_at: Math.floor(Date.now() / 1000) + 3600, user: authUser });

/** A stubbed client that is signed in as USER_ID. */
async function signedIn(...routes: Route[]) {
  const s = stub(
    on('POST', '/functions/v1/sign-in', () => json(sessionJson())),
    on('GET', '/auth/v1/user', () => json(authUser)),
    ...routes,
  );
  await s.marquee.auth.signIn({ username: 'john_doe', password: 'S3cure-pass!' });
  s.calls.length = 0;
  return s;
}

describe('auth: validation before any request', () => {
  it('register: missing fields are required', async () => {
    await rejected((m) => m.auth.register({} as never), {
      username: ['This field is required.'],
      email: ['This field is required.'],
      password: ['This field is required.'],
    });
  });

  it('register: email, username and birthday formats', async () => {
    await rejected(
      (m) => m.auth.register({ username: 'no spaces!', email: 'not-an-email', password: 'S3cure-pass!', birthday: '2000-13-40' }),
      {
        username: ['Enter a valid username. This value may contain only unaccented letters, numbers, and ./_ characters.'],
        email: ['Enter a valid email address.'],
        birthday: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'],
      },
    );
    await rejected((m) => m.auth.register({ username: 'jo', email: 'j@example.com', password: 'S3cure-pass!' }), {
      username: ['Ensure this field has at least 3 characters.'],
    });
    await rejected((m) => m.auth.register({ username: 'john', email: 'j@example.com', password: 'S3cure-pass!', first_name: 'x'.repeat(51) }), {
      first_name: ['Ensure this field has no more than 50 characters.'],
    });
  });

  it.each([
    ['short1!', 'This password is too short. It must contain at least 8 characters.'],
    ['onlyletters', 'Password must contain at least 8 characters, including letters, numbers, and special characters.'],
    ['letters123', 'Password must contain at least 8 characters, including letters, numbers, and special characters.'],
    ['ñçéüöäßø1!', 'Password must contain at least 8 characters, including letters, numbers, and special characters.'],
    [`A1!${'x'.repeat(70)}`, 'Ensure this field has no more than 72 characters.'],
    ['my-John_Doe-1', 'The password is too similar to the username.'],
    ['lower-case-only-1', 'Password must contain both upper and lower case letters.'],
  ])('register: password %j → %s', async (password, message) => {
    await rejected((m) => m.auth.register({ username: 'john_doe', email: 'john@example.com', password }), { password: [message] });
  });

  it('confirm_password, when sent, must repeat the password (register, change, reset, phone verify)', async () => {
    const MISMATCH = { confirm_password: ["The two password fields didn't match."] };
    await rejected((m) => m.auth.register({ username: 'john_doe', email: 'john@example.com', password: 'S3cure-pass!', confirm_password: 'S3cure-pass?' }), MISMATCH);
    await rejected((m) => m.auth.changePassword({ old_password: 'Old-pass-1!', new_password: 'New-pass-2!', confirm_password: 'New-pass-3!' }), MISMATCH);
    await rejected((m) => m.auth.confirmPasswordReset({ email: 'john@example.com', code: '123456', new_password: 'New-pass-2!', confirm_password: '' }), MISMATCH);
    await rejected((m) => m.auth.phoneSignup.verify({ token: 'a'.repeat(64), code: '123456', password: 'New-pass-2!', confirm_password: 'x' }), MISMATCH);
  });

  it('register: unknown fields are refused, not silently sent', async () => {
    await rejected((m) => m.auth.register({ username: 'john_doe', email: 'john@example.com', password: 'S3cure-pass!', role: 'admin' } as never), {
      role: ['This field is not allowed.'],
    });
  });

  it('signIn needs a username or an email, and a password', async () => {
    await rejected((m) => m.auth.signIn({ password: 'x' } as never), { username: ['This field is required.'] });
    await rejected((m) => m.auth.signIn({ username: 'john_doe', password: '' }), { password: ['This field may not be blank.'] });
    await rejected((m) => m.auth.signIn({ email: 'x'.repeat(255), password: 'x' }), { email: ['Ensure this field has no more than 254 characters.'] });
  });

  it('password change and reset inputs', async () => {
    await rejected((m) => m.auth.changePassword({ old_password: '', new_password: 'short' }), {
      old_password: ['This field may not be blank.'],
      new_password: ['This password is too short. It must contain at least 8 characters.'],
    });
    await rejected((m) => m.auth.requestPasswordReset({ email: 'john-at-example' }), { email: ['Enter a valid email address.'] });
    await rejected((m) => m.auth.confirmPasswordReset({ email: 'john@example.com', code: ' ', new_password: 'S3cure-pass!' }), {
      code: ['This field may not be blank.'],
    });
  });

  it('phone signup: the phone number is required and E.164', async () => {
    await rejected((m) => m.auth.phoneSignup.sendCode({ phone_number: '' }), { phone_number: ['Phone number is required.'] });
    await rejected((m) => m.auth.phoneSignup.sendCode({ phone_number: undefined as never }), { phone_number: ['Phone number is required.'] });
    await rejected((m) => m.auth.phoneSignup.sendCode({ phone_number: '0123' }), { phone_number: ['Enter a valid phone number.'] });
    await rejected((m) => m.auth.phoneSignup.sendCode({ phone_number: '+1 555 01' }), { phone_number: ['Enter a valid phone number.'] });
    await rejected((m) => m.auth.phoneSignup.verify({ token: 'abc', code: '1', password: 'S3cure-pass!' }), {
      token: ['Invalid token.'],
      code: ['Invalid or expired verification code.'],
    });
  });

  it('MFA: factor ids are uuids and codes have 6 digits', async () => {
    await rejected((m) => m.auth.challengeAndVerify({ factorId: 'factor-1', code: '12345' }), {
      factorId: ['Must be a valid UUID.'],
      code: ['Enter a valid 6-digit code.'],
    });
    await rejected((m) => m.auth.unenroll({ factorId: 'nope' }), { factorId: ['Must be a valid UUID.'] });
  });
});

describe('auth: answers', () => {
  it('register returns the 201 body', async () => {
    const body = { message: 'User registered successfully.', user: { id: USER_ID, username: 'john_doe', email: 'john@example.com' }, email_sent: true };
    const { marquee, calls } = stub(on('POST', '/functions/v1/register', () => json(body, 201)));
    await expect(marquee.auth.register({ username: 'john_doe', email: 'John@Example.com ', password: 'S3cure-pass!' })).resolves.toEqual(body);
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/functions/v1/register',
        authorization: 'Bearer anon-key',
        // The rules module's email: trimmed and lower-cased, as the function stores it.
        body: { username: 'john_doe', email: 'john@example.com', password: 'S3cure-pass!', first_name: '', last_name: '' },
      },
    ]);
  });

  it('phone numbers are sent in E.164 as the function reads them', async () => {
    const { marquee, calls } = stub(on('POST', '/functions/v1/phone-signup/send-code', () => json({ token: 'a'.repeat(64), message: 'Verification code sent successfully.' })));
    await marquee.auth.phoneSignup.sendCode({ phone_number: '+1 (415) 555-0100' });
    expect(calls[0]?.body).toEqual({ phone_number: '+14155550100' });
  });

  it('a function\'s {"field": [...]} answer becomes fields', async () => {
    const { marquee } = stub(on('POST', '/functions/v1/register', () => json({ username: ['Username already exists.'], email: ['Email already exists.'] }, 400)));
    const error = await failure(marquee.auth.register({ username: 'john_doe', email: 'john@example.com', password: 'S3cure-pass!' }));
    expect(error).toMatchObject({ status: 400, code: 'validation_failed', fields: { username: ['Username already exists.'], email: ['Email already exists.'] } });
  });

  it('a function\'s {"detail": ...} answer becomes detail', async () => {
    const { marquee } = stub(on('POST', '/functions/v1/sign-in', () => json({ detail: 'Your account is suspended. Please contact support.' }, 403)));
    const error = await failure(marquee.auth.signIn({ email: 'john@example.com', password: 'S3cure-pass!' }));
    expect(error).toMatchObject({ status: 403, code: 'forbidden', detail: 'Your account is suspended. Please contact support.' });
    expect(error.fields).toBeUndefined();
  });

  it('signIn adopts the session the function returns', async () => {
    const { marquee, calls } = await signedIn();
    const session = await marquee.auth.session();
    expect(session?.user.id).toBe(USER_ID);
    expect(session?.refresh_token).toBe('r1');
    expect(calls).toEqual([]);
  });

  it('functions are called with the signed-in user\'s token', async () => {
    const { marquee, calls } = await signedIn(on('POST', '/functions/v1/change-password', () => json({ detail: 'Password updated successfully' })));
    await expect(marquee.auth.changePassword({ old_password: 'S3cure-pass!', new_password: 'Even-b3tter!' })).resolves.toEqual({
      detail: 'Password updated successfully',
    });
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/functions/v1/change-password',
        authorization: `Bearer ${(await marquee.auth.session())?.access_token}`,
        body: { old_password: 'S3cure-pass!', new_password: 'Even-b3tter!' },
      },
    ]);
  });

  it('deleteAccount clears the local session', async () => {
    const { marquee, calls } = await signedIn(
      on('POST', '/functions/v1/delete-account', () => json({ detail: 'Account deleted successfully.' })),
      on('POST', '/auth/v1/logout', () => json({ code: 'user_not_found', msg: 'User not found' }, 404)),
    );
    await expect(marquee.auth.deleteAccount()).resolves.toEqual({ detail: 'Account deleted successfully.' });
    expect(await marquee.auth.session()).toBeNull();
    expect(calls.map((c) => c.path)).toEqual(['/functions/v1/delete-account', '/auth/v1/logout?scope=local']);
  });
});

describe('profiles', () => {
  it('validates before sending', async () => {
    await rejected((m) => m.profiles.get({ id: '42' }), { id: ['Must be a valid UUID.'] });
    await rejected((m) => m.profiles.update({ username: 'new', status: 'active' } as never), {
      username: ['This field is not allowed.'],
      status: ['This field is not allowed.'],
    });
    await rejected((m) => m.profiles.update({ first_name: 'x'.repeat(51), user_phone: '555', user_social_yt: 'y'.repeat(201) }), {
      first_name: ['Ensure this field has no more than 50 characters.'],
      user_phone: ['Enter a valid phone number.'],
      user_social_yt: ['Ensure this field has no more than 200 characters.'],
    });
    // Links are http(s) URLs or the reference's bare host/path: no javascript:, data: or vbscript:.
    await rejected((m) => m.profiles.update({ user_social_fb: 'javascript:alert(1)', user_social_twt: 'data:text/html,x', user_social_yt: 'vbscript:msgbox(1)' }), {
      user_social_fb: ['Enter a valid URL.'],
      user_social_twt: ['Enter a valid URL.'],
      user_social_yt: ['Enter a valid URL.'],
    });
    await rejected((m) => m.profiles.update({ profile_pic: 'javascript:alert(1)' }), { profile_pic: ['Must be an object in your own avatars folder.'] });
    await rejected((m) => m.profiles.uploadAvatar({ file: new Blob(['x']), contentType: 'text/html' as never }), {
      contentType: ['Upload a valid image: image/jpeg, image/png, image/webp, image/gif.'],
    });
    await rejected((m) => m.profiles.search({ query: '' }), { query: ['This field may not be blank.'] });
  });

  it('me() without a session is 401 and sends nothing', async () => {
    const { marquee, calls } = stub();
    const error = await failure(marquee.profiles.me());
    expect(error).toMatchObject({ status: 401, detail: 'Authentication credentials were not provided.' });
    expect(calls).toEqual([]);
  });

  const row = {
    id: OTHER_ID,
    username: 'jane_doe',
    first_name: 'Jane',
    last_name: 'Doe',
    profile_pic: `${OTHER_ID}/avatar-1.png`,
    user_type: 'regular',
    user_social_fb: '',
    user_social_twt: 'twitter.com/jane',
    user_social_yt: '',
    status: 'active',
    user_group: 'creator',
    created_at: '2025-01-01T00:00:00Z',
    followed_by_user: true,
    blocked_by_user: false,
  };

  it('get() shapes a public profile as the reference does', async () => {
    const { marquee, calls } = stub(on('GET', '/rest/v1/public_profiles', () => json(row)));
    const profile = await marquee.profiles.get({ id: OTHER_ID });
    expect(profile).toEqual({
      id: OTHER_ID,
      user: {
        id: OTHER_ID,
        username: 'jane_doe',
        first_name: 'Jane',
        last_name: 'Doe',
        profile_pic: `${URL_BASE}/storage/v1/object/public/avatars/${OTHER_ID}/avatar-1.png`,
        user_type: 'regular',
        user_social_fb: '',
        user_social_twt: 'twitter.com/jane',
        user_social_yt: '',
        user_status: true,
        user_banned: false,
        user_group: ['creator'],
      },
      followed_by_user: true,
      blocked_by_user: false,
    });
    expect(calls[0]?.path).toBe(`/rest/v1/public_profiles?select=*&id=eq.${OTHER_ID}`);
  });

  it('get() of a profile that is not visible is 404 "Not found."', async () => {
    // The view hides it: no rows, which the SDK answers with 404.
    const { marquee } = stub(on('GET', '/rest/v1/public_profiles', () => json([])));
    const error = await failure(marquee.profiles.get({ id: OTHER_ID }));
    expect(error).toMatchObject({ status: 404, code: 'not_found', detail: 'Not found.' });
  });

  it('update() refuses a profile_pic outside the user\'s own folder', async () => {
    const { marquee, calls } = await signedIn();
    const error = await failure(marquee.profiles.update({ profile_pic: `${OTHER_ID}/avatar.png` }));
    expect(error).toMatchObject({ status: 400, fields: { profile_pic: ['Must be an object in your own avatars folder.'] } });
    expect(calls).toEqual([]);
  });

  it('update() sends the fields in one RPC (one transaction) and answers as the reference', async () => {
    const answer = {
      userId: USER_ID,
      first_name: 'John',
      last_name: 'Doe',
      profile_pic: null,
      user_phone: '+14155550100',
      user_address: 'NYC',
      user_social_fb: 'https://fb.com/john',
      user_social_twt: '',
      user_social_yt: '',
    };
    const { marquee, calls } = await signedIn(on('POST', '/rest/v1/rpc/update_own_profile', () => json(answer)));
    const result = await marquee.profiles.update({ first_name: 'John', user_phone: '+1 (415) 555-0100', user_social_fb: 'https://fb.com/john' });
    expect(result).toEqual(answer);
    expect(calls.map((c) => [c.method, c.path.split('?')[0], c.body])).toEqual([
      ['POST', '/rest/v1/rpc/update_own_profile', { p_changes: { first_name: 'John', user_phone: '+14155550100', user_social_fb: 'https://fb.com/john' } }],
    ]);
  });

  it('update() refused by the database (a suspended account) is 403', async () => {
    const { marquee } = await signedIn(
      on('POST', '/rest/v1/rpc/update_own_profile', () =>
        json({ code: '42501', message: 'You do not have permission to perform this action.', details: null, hint: null }, 403),
      ),
    );
    const error = await failure(marquee.profiles.update({ first_name: 'John' }));
    expect(error).toMatchObject({ status: 403, detail: 'You do not have permission to perform this action.' });
  });

  it('deactivate() maps the RPC\'s P0001 to 400 with its message', async () => {
    const { marquee } = await signedIn(
      on('POST', '/rest/v1/rpc/deactivate_account', () => json({ code: 'P0001', message: 'User inactive or deleted.', details: null, hint: null }, 400)),
    );
    const error = await failure(marquee.profiles.deactivate());
    expect(error).toMatchObject({ status: 400, code: 'P0001', detail: 'User inactive or deleted.' });
  });
});

describe('notifications', () => {
  it('validates before sending', async () => {
    await rejected((m) => m.notifications.updatePreferences({ likes_notifications: 'yes' } as never), {
      likes_notifications: ['Must be a valid boolean.'],
    });
    await rejected((m) => m.notifications.updatePreferences({ user_id: USER_ID } as never), { user_id: ['This field is not allowed.'] });
    await rejected((m) => m.notifications.markRead({ id: 0 }), { id: ['A valid integer is required.'] });
    await rejected((m) => m.notifications.list({ page: 0 }), { page: ['A valid integer greater than or equal to 1 is required.'] });
  });

  it('list() returns the page shape, newest first', async () => {
    const rows = [{ id: 2, message: 'Welcome john_doe! Your account has been successfully created.', created_at: '2025-01-01T00:00:00Z', is_read: false, page: 'profile', page_item_id: null, notification_type: 'general' }];
    const { marquee, calls } = stub(
      on('GET', '/rest/v1/notifications', () => json(rows, 200, { 'content-range': '0-0/1' })),
      // unread_count: a head-only count of the unread rows.
      on('HEAD', '/rest/v1/notifications', () => new Response(null, { status: 200, headers: { 'content-range': '*/4' } })),
    );
    const page = await marquee.notifications.list({ is_read: false });
    expect(page).toEqual({ count: 1, page: 1, page_size: 20, total_pages: 1, next: null, previous: null, results: rows, unread_count: 4 });
    expect(decodeURIComponent(calls.find((c) => c.method === 'HEAD')?.path ?? '')).toContain('is_read=eq.false');
    const path = decodeURIComponent(calls.find((c) => c.method === 'GET')?.path ?? '');
    expect(path).toContain('is_read=eq.false');
    expect(path).toContain('order=created_at.desc,id.desc');
    expect(path).toContain('offset=0&limit=20');
  });

  it('markRead / markAllRead answer as the reference', async () => {
    const { marquee } = stub(
      on('PATCH', '/rest/v1/notifications', (call) => (call.path.includes('id=eq.10') ? json([{ id: 10 }]) : json([]))),
      on('POST', '/rest/v1/rpc/mark_all_notifications_read', () => json(3)),
    );
    await expect(marquee.notifications.markRead({ id: 10 })).resolves.toEqual({ detail: 'notification marked as read' });
    await expect(failure(marquee.notifications.markRead({ id: 11 }))).resolves.toMatchObject({ status: 404, detail: 'Not found.' });
    await expect(marquee.notifications.markAllRead()).resolves.toEqual({ detail: '3 notifications marked as read' });
  });

  it('preferences carry `user` and the eight flags', async () => {
    const flags = {
      all_notifications: true,
      email_notifications: true,
      push_notifications: true,
      follow_notifications: true,
      likes_notifications: true,
      comments_notifications: false,
      new_events_notifications: true,
      event_reminders_notifications: true,
    };
    const { marquee, calls } = await signedIn(on('PATCH', '/rest/v1/notification_preferences', () => json([{ user_id: USER_ID, ...flags }])));
    await expect(marquee.notifications.updatePreferences({ comments_notifications: false })).resolves.toEqual({ user: USER_ID, ...flags });
    expect(calls[0]?.body).toEqual({ comments_notifications: false });
  });
});

describe('parental and admin', () => {
  it('parental inputs', async () => {
    await rejected((m) => m.parental.requestOtp({ parent_email: 'parent' }), { parent_email: ['Enter a valid email address.'] });
    await rejected((m) => m.parental.verifyOtp({ parent_email: 'parent@example.com', otp_code: '' }), { otp_code: ['This field may not be blank.'] });
    await rejected((m) => m.parental.childActivity({ childId: '5' }), { childId: ['Must be a valid UUID.'] });
    await rejected((m) => m.parental.unlink({ childId: '5' }), { childId: ['Must be a valid UUID.'] });
  });

  it('parental OTP errors come back as non_field_errors', async () => {
    const { marquee } = await signedIn(on('POST', '/functions/v1/parental/verify-otp', () => json({ non_field_errors: ['Invalid OTP.'] }, 400)));
    const error = await failure(marquee.parental.verifyOtp({ parent_email: 'parent@example.com', otp_code: '123456' }));
    expect(error).toMatchObject({ status: 400, fields: { non_field_errors: ['Invalid OTP.'] } });
  });

  it('admin inputs', async () => {
    await rejected((m) => m.admin.listUsers({ status: 'frozen' as never }), { status: ['"frozen" is not a valid choice.'] });
    await rejected((m) => m.admin.suspend({ userId: 'someone', reason: 'x'.repeat(1001) }), {
      userId: ['Must be a valid UUID.'],
      reason: ['Ensure this field has no more than 1000 characters.'],
    });
    await rejected((m) => m.admin.actions({ userId: 'x' }), { userId: ['Must be a valid UUID.'] });
  });

  it('admin actions call the RPC with p_user_id and p_reason; 42501 is 403', async () => {
    const { marquee, calls } = stub(
      on('POST', '/rest/v1/rpc/admin_suspend_user', () => json({ detail: 'User suspended.' })),
      on('POST', '/rest/v1/rpc/admin_ban_user', () => json({ code: '42501', message: 'Only admins may do this.', details: null, hint: null }, 403)),
    );
    await expect(marquee.admin.suspend({ userId: OTHER_ID, reason: ' spam ' })).resolves.toEqual({ detail: 'User suspended.' });
    expect(calls[0]?.body).toEqual({ p_user_id: OTHER_ID, p_reason: 'spam' });
    await expect(failure(marquee.admin.ban({ userId: OTHER_ID }))).resolves.toMatchObject({ status: 403, code: '42501' });
    expect(calls[1]?.body).toEqual({ p_user_id: OTHER_ID });
  });

  it('listUsers passes filters and pages', async () => {
    const { marquee, calls } = stub(on('POST', '/rest/v1/rpc/admin_list_users', () => json([], 200, { 'content-range': '*/0' })));
    const page = await marquee.admin.listUsers({ status: 'suspended', search: 'jo', page_size: 5 });
    expect(page).toMatchObject({ count: 0, page: 1, page_size: 5, total_pages: 1, results: [] });
    expect(calls[0]?.body).toEqual({ p_status: 'suspended', p_search: 'jo' });
  });
});
