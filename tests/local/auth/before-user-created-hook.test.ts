/**
 * Marquee Local calls `[auth.hook.before_user_created]` as GoTrue does: `{metadata, user}` with the
 * user about to be created (its future id, no role yet, no identities), on sign-ups by email, phone
 * and anonymously, OTP sign-ups and invites, but not on the admin API's createUser; an error object
 * refuses the sign-up with its http_code (500 without one) and nothing is created.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../helpers/env.ts';
import { uniqueEmail } from './helpers.ts';
import { asPostgres, startAuthService, type InProcessAuth } from './in-process.ts';

const SCHEMA = 'before_user_created_test';
const PASSWORD = 'Hooked#pass1';

interface HookEvent {
  metadata: { name: string; uuid: string };
  user: Record<string, unknown>;
}

/** The events the hook recorded for `email` (or phone), oldest first. */
const eventsFor = (address: string) =>
  asPostgres(async (db) =>
    (
      await db.query<{ event: HookEvent }>(
        `select event from ${SCHEMA}.events where event->'user'->>'email' = $1 or event->'user'->>'phone' = $1 order by id`,
        [address],
      )
    ).rows.map((r) => r.event),
  );
const userCount = (address: string) =>
  asPostgres(async (db) => (await db.query('select 1 from auth.users where email = $1 or phone = $1', [address])).rowCount);

describe('auth: before_user_created hook', () => {
  let auth: InProcessAuth;

  beforeAll(async () => {
    await asPostgres((db) =>
      db.query(`
        create schema if not exists ${SCHEMA};
        create table if not exists ${SCHEMA}.events (id bigint generated always as identity primary key, event jsonb not null);
        create or replace function ${SCHEMA}.hook(event jsonb) returns jsonb language plpgsql as $$
        begin
          insert into ${SCHEMA}.events (event) values (event);
          if event->'user'->>'email' like 'deny-%' then
            return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Not here'));
          elsif event->'user'->>'email' like 'nocode-%' then
            return '{"error": {"message": "custom error"}}'::jsonb;
          end if;
          return '{}'::jsonb;
        end
        $$;
        grant usage on schema ${SCHEMA} to supabase_auth_admin;
        grant insert, select on ${SCHEMA}.events to supabase_auth_admin;
        grant execute on function ${SCHEMA}.hook(jsonb) to supabase_auth_admin;
        revoke execute on function ${SCHEMA}.hook(jsonb) from public, anon, authenticated;
      `),
    );
    auth = await startAuthService({
      enable_anonymous_sign_ins: true,
      hook: { before_user_created: { enabled: true, uri: `pg-functions://postgres/${SCHEMA}/hook` } },
    });
  });

  afterAll(async () => {
    await auth?.close();
    await asPostgres((db) => db.query(`drop schema if exists ${SCHEMA} cascade`));
  });

  it('an email sign-up hands it GoTrue’s unsaved user, whose id the new user gets', async () => {
    const email = uniqueEmail('hooked');
    const response = await auth.request('/signup', { method: 'POST', body: { email, password: PASSWORD, data: { username: 'hooked_1' } } });
    expect(response.status).toBe(200);
    const created = (await response.json()) as { user: { id: string } };
    const [event] = await eventsFor(email);
    expect(event).toMatchObject({
      metadata: { name: 'before-user-created' },
      user: {
        id: created.user.id,
        aud: 'authenticated',
        role: '',
        email,
        phone: '',
        app_metadata: { provider: 'email', providers: ['email'] },
        user_metadata: { username: 'hooked_1' },
        identities: [],
        is_anonymous: false,
      },
    });
    expect(event!.metadata.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses with the error’s http_code and message; nothing is created', async () => {
    const email = uniqueEmail('deny');
    const response = await auth.request('/signup', { method: 'POST', body: { email, password: PASSWORD } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: 'Not here' });
    expect(await userCount(email)).toBe(0);
  });

  it('an error without http_code is a 500 with its message (GoTrue’s rule)', async () => {
    const email = uniqueEmail('nocode');
    const response = await auth.request('/signup', { method: 'POST', body: { email, password: PASSWORD } });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ message: 'custom error' });
    expect(await userCount(email)).toBe(0);
  });

  it('phone, OTP and anonymous sign-ups call it too', async () => {
    const phone = `1555${String(randomBytes(4).readUInt32BE() % 10_000_000).padStart(7, '0')}`;
    expect((await auth.request('/signup', { method: 'POST', body: { phone: `+${phone}`, password: PASSWORD } })).status).toBe(200);
    expect((await eventsFor(phone))[0]).toMatchObject({ user: { phone, app_metadata: { provider: 'phone' } } });

    const otpEmail = uniqueEmail('otp');
    expect((await auth.request('/otp', { method: 'POST', body: { email: otpEmail, create_user: true } })).status).toBe(200);
    expect(await eventsFor(otpEmail)).toHaveLength(1);

    const denied = uniqueEmail('deny');
    expect((await auth.request('/otp', { method: 'POST', body: { email: denied, create_user: true } })).status).toBe(403);
    expect(await userCount(denied)).toBe(0);

    const anonymous = await auth.request('/signup', { method: 'POST', body: {} });
    expect(anonymous.status).toBe(200);
    const anonymousId = ((await anonymous.json()) as { user: { id: string } }).user.id;
    const recorded = await asPostgres(async (db) =>
      (await db.query(`select event from ${SCHEMA}.events where event->'user'->>'id' = $1`, [anonymousId])).rows,
    );
    expect(recorded).toEqual([{ event: expect.objectContaining({ user: expect.objectContaining({ is_anonymous: true }) }) }]);
  });

  it('invites call it; the admin API’s createUser does not', async () => {
    const service = auth.client({ key: stackEnv().serviceRoleKey });
    const invited = uniqueEmail('deny');
    const invite = await service.auth.admin.inviteUserByEmail(invited);
    expect(invite.error).toMatchObject({ status: 403 });

    const created = uniqueEmail('deny');
    const { error } = await service.auth.admin.createUser({ email: created, password: PASSWORD, email_confirm: true });
    expect(error).toBeNull();
    expect(await eventsFor(created)).toEqual([]);
  });
});
