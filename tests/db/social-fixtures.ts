import type pg from 'pg';
import { expect } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asVisitor, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, rowCount, type Account } from './accounts-fixtures.ts';

/**
 * The cast of the social policy matrices: an owner of the rows under test, an unrelated user, a user
 * who blocked the owner (blocker side), a user the owner blocked (blocked side), a suspended user
 * (with rows of their own, so "writes nothing" is tested on what they own), a creator and an admin.
 */
export type Role = 'anon' | 'owner' | 'other' | 'blocker' | 'blocked' | 'suspended' | 'creator' | 'admin';
export const ROLES: Role[] = ['anon', 'owner', 'other', 'blocker', 'blocked', 'suspended', 'creator', 'admin'];
export type Operation = 'select' | 'insert' | 'update' | 'delete';

export interface Cast {
  owner: Account;
  other: Account;
  blocker: Account;
  blocked: Account;
  suspended: Account;
  creator: Account;
  admin: Account;
}

/** Creates the cast; the blocks are real rows (blocker → owner, owner → blocked). */
export async function createCast(db: pg.Client): Promise<Cast> {
  const cast: Cast = {
    owner: await createAccount(db),
    other: await createAccount(db),
    blocker: await createAccount(db),
    blocked: await createAccount(db),
    suspended: await createAccount(db),
    creator: await createAccount(db, { role: 'creator' }),
    admin: await createAccount(db, { role: 'admin' }),
  };
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [cast.blocker.id, cast.owner.id, cast.blocked.id]);
  return cast;
}

/** Suspends the cast's suspended user (after their rows exist: a suspension ends their sessions). */
export async function suspend(db: pg.Client, cast: Cast): Promise<void> {
  await db.query(`update public.profiles set status = 'suspended' where id = $1`, [cast.suspended.id]);
}

/** The actor a role runs as (JWT claims as the access token hook writes them), plus extra claims. */
export function actorFor(cast: Cast, role: Role, claims: Record<string, unknown> = {}): Actor {
  switch (role) {
    case 'anon':
      return asAnon();
    case 'suspended':
      return asAccount(cast.suspended, 'suspended', 'visitor', claims);
    case 'creator':
      return { ...asCreator(cast.creator), claims: { ...asCreator(cast.creator).claims, ...claims } };
    case 'admin':
      return { ...asAdmin(cast.admin), claims: { ...asAdmin(cast.admin).claims, ...claims } };
    default: {
      const user = cast[role];
      return { ...asVisitor(user), claims: { ...asVisitor(user).claims, ...claims } };
    }
  }
}

/** What a case expects: a row count (select/update/delete), or a refusal thrown with this SQLSTATE. */
export type Expected = number | { throws: string };
export const DENIED: Expected = { throws: '42501' };

export interface MatrixCase {
  role: Role;
  op: Operation;
  expected: Expected;
  sql: string;
  params: unknown[];
  claims?: Record<string, unknown>;
}

/** Runs one case in a rolled-back transaction as its role and checks the outcome. */
export async function checkCase(db: pg.Client, cast: Cast, c: MatrixCase): Promise<void> {
  const run = runAs(db, actorFor(cast, c.role, c.claims), (client) => rowCount(client, c.sql, c.params));
  if (typeof c.expected === 'number') {
    expect(await run).toBe(c.expected);
  } else {
    expect(await sqlstateOf(run)).toBe(c.expected.throws);
  }
}

/** A printable expectation for test names. */
export const show = (e: Expected) => (typeof e === 'number' ? `${e} row(s)` : `throws ${e.throws}`);
