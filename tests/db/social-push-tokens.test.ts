import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs, sqlstateOf } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { checkCase, createCast, DENIED, ROLES, show, suspend, type Cast, type Expected, type MatrixCase, type Operation, type Role } from './social-fixtures.ts';

/**
 * push_tokens: one row per Auth session (the JWT's session_id), the owner's to read and change from
 * that session; removed with the session (sign-out of that device) and with the account.
 */
let db: pg.Client;
let cast: Cast;
const sessions = {} as Record<Role, string>;
let ownerSecondSession: string;
let ownerTokenId: number;

/** A session row as Auth writes one at sign-in. */
async function newSession(user: Account): Promise<string> {
  const id = randomUUID();
  await db.query(`insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1, $2, now(), now(), 'aal1')`, [id, user.id]);
  return id;
}

beforeAll(async () => {
  db = await connectAsPostgres();
  cast = await createCast(db);
  for (const role of ROLES.filter((r) => r !== 'anon')) sessions[role] = await newSession(cast[role as Exclude<Role, 'anon'>]);
  ownerSecondSession = await newSession(cast.owner);
  const { rows } = await db.query<{ id: number }>(
    `insert into public.push_tokens (user_id, session_id, token, platform) values ($1, $2, $3, 'ios'), ($4, $5, $6, 'web') returning id`,
    [cast.owner.id, sessions.owner, `tok-${randomUUID()}`, cast.suspended.id, sessions.suspended, `tok-${randomUUID()}`],
  );
  ownerTokenId = rows[0]!.id;
  // A suspension ends the account's sessions, and with them its push tokens.
  await suspend(db, cast);
});
afterAll(async () => db?.end());

describe('push_tokens policy matrix (row: the owner\'s token on their first session)', () => {
  const expected: Record<Operation, Record<Role, Expected>> = {
    // Only the owner reads it; the suspended user's token went with their sessions.
    select: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
    // Each registers a token for their own current session (the owner from their second session).
    insert: { anon: DENIED, owner: 1, other: 1, blocker: 1, blocked: 1, suspended: DENIED, creator: 1, admin: 1 },
    // Only the owner, from that session, changes it.
    update: { anon: DENIED, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
    delete: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
  };
  const sqlFor = (role: Role, op: Operation): Pick<MatrixCase, 'sql' | 'params' | 'claims'> => {
    const claims = role === 'anon' ? {} : { session_id: role === 'owner' && op === 'insert' ? ownerSecondSession : sessions[role] };
    switch (op) {
      case 'select':
        return { sql: 'select 1 from public.push_tokens where id = $1', params: [ownerTokenId], claims };
      case 'insert':
        return { sql: `insert into public.push_tokens (token, platform) values ($1, 'android')`, params: [`tok-${randomUUID()}`], claims };
      case 'update':
        return { sql: `update public.push_tokens set platform = 'web' where id = $1`, params: [ownerTokenId], claims };
      case 'delete':
        return { sql: 'delete from public.push_tokens where id = $1', params: [ownerTokenId], claims };
    }
  };
  const cases = ROLES.flatMap((role) => (['select', 'insert', 'update', 'delete'] as Operation[]).map((op) => [role, op, show(expected[op][role])] as const));
  it.each(cases)('%s %s → %s', async (role, op) => {
    await checkCase(db, cast, { role, op, expected: expected[op][role], ...sqlFor(role, op) });
  });

  it('the owner from another session cannot change this session\'s token', async () => {
    const changed = await runAs(db, { ...asVisitor(cast.owner), claims: { ...asVisitor(cast.owner).claims, session_id: ownerSecondSession } }, async (c) =>
      (await c.query(`update public.push_tokens set platform = 'web' where id = $1`, [ownerTokenId])).rowCount,
    );
    expect(changed).toBe(0);
  });

  it.each([
    ['user_id', 'insert into public.push_tokens (user_id, token, platform) values ($1, $2, \'ios\')'],
    ['session_id', 'insert into public.push_tokens (session_id, token, platform) values ($1, $2, \'ios\')'],
  ])('a client cannot choose %s (42501)', async (column, sql) => {
    const value = column === 'user_id' ? cast.owner.id : sessions.owner;
    const state = await runAs(db, { ...asVisitor(cast.other), claims: { ...asVisitor(cast.other).claims, session_id: sessions.other } }, (c) =>
      sqlstateOf(c.query(sql, [value, `tok-${randomUUID()}`])),
    );
    expect(state).toBe('42501');
  });

  it('a JWT without a session registers nothing', async () => {
    const state = await runAs(db, asVisitor(cast.other), (c) => sqlstateOf(c.query(`insert into public.push_tokens (token, platform) values ('t1', 'ios')`)));
    expect(state).toBe('42501');
  });
});

describe('register_push_token', () => {
  const as = (user: Account, session: string) => ({ ...asVisitor(user), claims: { ...asVisitor(user).claims, session_id: session } });

  it('keeps one row per session: registering again replaces the token', async () => {
    const rows = await runAs(db, as(cast.other, sessions.other), async (c) => {
      const first = (await c.query(`select public.register_push_token('first-token', 'ios') as r`)).rows[0].r;
      await c.query(`select public.register_push_token('second-token', 'android')`);
      const mine = (await c.query('select token, platform from public.push_tokens')).rows;
      return { first, mine };
    });
    expect(rows).toEqual({ first: { detail: 'Push token updated.' }, mine: [{ token: 'second-token', platform: 'android' }] });
  });

  it('a token registered by another account\'s session moves to the new one', async () => {
    const token = `moved-${randomUUID()}`;
    const owners = await runAs(db, as(cast.creator, sessions.creator), async (c) => {
      await c.query('reset role');
      await db.query(`insert into public.push_tokens (user_id, session_id, token, platform) values ($1, $2, $3, 'ios')`, [cast.admin.id, sessions.admin, token]);
      await c.query('set local role authenticated');
      await c.query('select public.register_push_token($1, $2)', [token, 'ios']);
      await c.query('reset role');
      return (await c.query('select user_id from public.push_tokens where token = $1', [token])).rows.map((r) => r.user_id);
    });
    expect(owners).toEqual([cast.creator.id]);
  });

  it.each([
    ['an unknown platform', 'tok', 'blackberry', '22023', 'platform must be one of ios, android, web.'],
    ['an empty token', '', 'ios', '22023', 'token must be 1 to 4096 characters without spaces.'],
    ['a token with spaces', 'a b', 'ios', '22023', 'token must be 1 to 4096 characters without spaces.'],
    ['a token over 4096 characters', 'x'.repeat(4097), 'ios', '22023', 'token must be 1 to 4096 characters without spaces.'],
  ])('refuses %s', async (_what, token, platform, code, message) => {
    const error = await runAs(db, as(cast.other, sessions.other), (c) =>
      c.query('select public.register_push_token($1, $2)', [token, platform]).then(() => undefined, (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message })),
    );
    expect(error).toEqual({ code, message });
  });

  it('refuses a session that is not the caller\'s (42501)', async () => {
    const state = await runAs(db, as(cast.other, sessions.owner), (c) => sqlstateOf(c.query(`select public.register_push_token('t', 'ios')`)));
    expect(state).toBe('42501');
  });

  it('is removed with its session, and with the account', async () => {
    const [s1, s2] = [await newSession(cast.creator), await newSession(cast.creator)];
    await db.query(`insert into public.push_tokens (user_id, session_id, token, platform) values ($1, $2, $3, 'ios'), ($1, $4, $5, 'web')`, [
      cast.creator.id, s1, `a-${randomUUID()}`, s2, `b-${randomUUID()}`,
    ]);
    const tokensOf = async () => (await db.query('select session_id from public.push_tokens where user_id = $1 and session_id = any($2)', [cast.creator.id, [s1, s2]])).rows.map((r) => r.session_id);
    await db.query('delete from auth.sessions where id = $1', [s1]);
    expect(await tokensOf()).toEqual([s2]);

    const leaving = await createAccount(db);
    await db.query(`insert into public.push_tokens (user_id, session_id, token, platform) values ($1, $2, $3, 'android')`, [
      leaving.id, await newSession(leaving), `c-${randomUUID()}`,
    ]);
    await db.query('delete from auth.users where id = $1', [leaving.id]);
    expect((await db.query('select count(*)::int as n from public.push_tokens where user_id = $1', [leaving.id])).rows[0].n).toBe(0);
  });
});
