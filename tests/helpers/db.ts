import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { stackEnv } from './env.ts';

/** A connection as `postgres`, the role migrations and the dashboard use. */
export async function connectAsPostgres(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stackEnv().dbUrl });
  await client.connect();
  return client;
}

export interface Actor {
  /** Postgres role the API would switch to. */
  role: 'anon' | 'authenticated' | 'service_role';
  /** JWT claims as PostgREST would set them in `request.jwt.claims`. */
  claims: Record<string, unknown>;
  id?: string;
}

export const asAnon = (): Actor => ({ role: 'anon', claims: { role: 'anon' } });
export const asServiceRole = (): Actor => ({ role: 'service_role', claims: { role: 'service_role' } });
export const as = (user: { id: string; email?: string }, extraClaims: Record<string, unknown> = {}): Actor => ({
  role: 'authenticated',
  id: user.id,
  claims: { sub: user.id, role: 'authenticated', aud: 'authenticated', email: user.email, aal: 'aal1', ...extraClaims },
});

/**
 * Runs `work` in a transaction as `actor`, switched exactly as PostgREST switches (set local role,
 * request.jwt.claims), and rolls it back so cases never leak into each other.
 */
export async function runAs<T>(client: pg.Client, actor: Actor, work: (db: pg.Client) => Promise<T>): Promise<T> {
  await client.query('begin');
  try {
    await client.query(`set local role ${client.escapeIdentifier(actor.role)}`);
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
    return await work(client);
  } finally {
    await client.query('rollback');
  }
}

export interface NewUserOptions {
  /** raw_user_meta_data, as signUp's `options.data` sets it (username, first_name, birthday…). */
  metadata?: Record<string, unknown>;
  /** Phone as GoTrue stores it: E.164 digits without the plus. */
  phone?: string;
  /** False leaves email_confirmed_at null (an unconfirmed address). */
  emailConfirmed?: boolean;
}

/** Inserts a user into auth.users as Supabase Auth stores one; returns its id and email. */
export async function createUser(client: pg.Client, email = `user-${randomUUID()}@marquee.test`, options: NewUserOptions = {}) {
  const { rows } = await client.query<{ id: string; email: string }>(
    `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1, $2,
       extensions.crypt('password-123', extensions.gen_salt('bf', 4)), case when $3 then now() end,
       '{"provider":"email","providers":["email"]}', $4, now(), now())
     returning id, email`,
    [email, options.phone ?? null, options.emailConfirmed ?? true, JSON.stringify(options.metadata ?? {})],
  );
  return rows[0]!;
}

/**
 * A connection as another login role of the stack (e.g. `supabase_auth_admin`, the role Auth runs
 * its hooks as). Every login role shares the database password, as in the CLI stack.
 */
export async function connectAsRole(role: string): Promise<pg.Client> {
  const url = new URL(stackEnv().dbUrl);
  url.username = role;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

export type AccountStatus = 'active' | 'deactivated' | 'suspended' | 'banned';
export type AppRole = 'visitor' | 'creator' | 'admin';

/** A signed-in user whose JWT carries the claims the custom access token hook adds. */
export const asAccount = (
  user: { id: string; email?: string },
  status: AccountStatus = 'active',
  role: AppRole = 'visitor',
  extraClaims: Record<string, unknown> = {},
): Actor => as(user, { user_role: role, account_status: status, ...extraClaims });
/** An active visitor, the ordinary signed-in user. */
export const asVisitor = (user: { id: string; email?: string }) => asAccount(user, 'active', 'visitor');
/** An active creator. */
export const asCreator = (user: { id: string; email?: string }) => asAccount(user, 'active', 'creator');
/** An active admin. */
export const asAdmin = (user: { id: string; email?: string }) => asAccount(user, 'active', 'admin');

/** The SQLSTATE of a failed query, or undefined when it succeeded. */
export async function sqlstateOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}
