import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { createUser, type AccountStatus, type AppRole } from '../helpers/db.ts';

/**
 * Fixtures the accounts policy tests share. The suite shares one database, so every account gets a
 * unique email and username; state is set as `postgres` (as the signup trigger and admin functions
 * would) and each case runs in a rolled-back transaction (runAs).
 */

/** A short unique token for usernames and emails: 12 lowercase hex digits. */
export const uniqueTag = () => randomUUID().replaceAll('-', '').slice(0, 12);

export interface Account {
  id: string;
  email: string;
  username: string;
}

export interface AccountOptions {
  username?: string;
  email?: string;
  status?: AccountStatus;
  role?: AppRole;
  phone?: string;
  emailConfirmed?: boolean;
  metadata?: Record<string, unknown>;
}

/** Signs a user up (auth.users insert → the signup trigger), then sets their status and role. */
export async function createAccount(db: pg.Client, options: AccountOptions = {}): Promise<Account> {
  const username = options.username ?? `acct_${uniqueTag()}`;
  const email = options.email ?? `${username.toLowerCase()}@marquee.test`;
  const user = await createUser(db, email, {
    metadata: { username, ...options.metadata },
    phone: options.phone,
    emailConfirmed: options.emailConfirmed,
  });
  if (options.status && options.status !== 'active') {
    await db.query('update public.profiles set status = $2 where id = $1', [user.id, options.status]);
  }
  if (options.role && options.role !== 'visitor') {
    await db.query('update public.user_roles set role = $2 where user_id = $1', [user.id, options.role]);
  }
  return { id: user.id, email, username };
}

/**
 * Inside a runAs transaction: drops back to the session role (postgres) to look at or arrange what
 * the API role cannot, without ending the transaction (so the case still rolls back).
 */
export async function asPostgresWithin<T>(c: pg.Client, work: () => Promise<T>): Promise<T> {
  await c.query('reset role');
  return work();
}

/** Rows of `sql` as the current role, mapped to one column. */
export async function column<T = string>(c: pg.Client, sql: string, params: unknown[] = []): Promise<T[]> {
  const { rows, fields } = await c.query(sql, params);
  return rows.map((row) => row[fields[0]!.name] as T);
}

/** The row count of a statement (select, update or delete) as the current role. */
export async function rowCount(c: pg.Client, sql: string, params: unknown[] = []): Promise<number> {
  return (await c.query(sql, params)).rowCount ?? 0;
}
