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

/** Inserts a user into auth.users as Supabase Auth stores one; returns its id and email. */
export async function createUser(client: pg.Client, email = `user-${randomUUID()}@marquee.test`) {
  const { rows } = await client.query<{ id: string; email: string }>(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
       raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
     values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
       extensions.crypt('password-123', extensions.gen_salt('bf', 4)), now(),
       '{"provider":"email","providers":["email"]}', '{}', now(), now())
     returning id, email`,
    [email],
  );
  return rows[0]!;
}

/** The SQLSTATE of a failed query, or undefined when it succeeded. */
export async function sqlstateOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}
