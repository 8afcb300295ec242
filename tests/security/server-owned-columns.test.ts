import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { accessToken, createAccount, type TestUser } from '../functions/accounts.ts';

/** Timestamps are the server's: a client cannot choose `created_at` (or any column the server stamps). */
const stack = stackEnv();
const BACKDATED = '2001-01-01T00:00:00+00:00';

let db: pg.Client;
let alice: TestUser;
let bob: TestUser;
let token: string;
beforeAll(async () => {
  db = await connectAsPostgres();
  [alice, bob] = await Promise.all([createAccount(), createAccount()]);
  token = await accessToken(alice);
});
afterAll(async () => {
  await db.end();
});

async function insert(table: string, row: Record<string, unknown>) {
  const response = await fetch(`${stack.url}/rest/v1/${table}`, {
    method: 'POST',
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Prefer: 'return=representation',
    },
    body: JSON.stringify(row),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as unknown };
}

describe('server-owned columns through raw REST', { timeout: 60_000 }, () => {
  it.each([
    ['follows', () => ({ follower_id: alice.id, followed_id: bob.id }), 'follower_id'],
    ['blocks', () => ({ blocker_id: alice.id, blocked_id: bob.id }), 'blocker_id'],
  ] as const)('%s: a back-dated created_at is refused and nothing is written; without it the server stamps now', async (table, row, owner) => {
    const refused = await insert(table, { ...row(), created_at: BACKDATED });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: '42501' });
    const count = async () => Number((await db.query(`select count(*) from public.${table} where ${owner} = $1`, [alice.id])).rows[0].count);
    expect(await count()).toBe(0);

    const accepted = await insert(table, row());
    expect(accepted.status).toBe(201);
    const [written] = accepted.body as Array<{ created_at: string }>;
    const { rows } = await db.query(`select now() - $1::timestamptz < interval '1 minute' as recent`, [written!.created_at]);
    expect(rows[0].recent).toBe(true);
    await db.query(`delete from public.${table} where ${owner} = $1`, [alice.id]);
  });

  it('no accounts table lets a client insert or update a column the server stamps', async () => {
    const { rows } = await db.query<{ column: string; role: string; privilege: string }>(`
      select format('%I.%I.%I', n.nspname, c.relname, a.attname) as column, r.role, p.privilege
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_catalog.pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
      cross join (values ('anon'), ('authenticated')) r(role)
      cross join (values ('INSERT'), ('UPDATE')) p(privilege)
      where n.nspname = 'public' and c.relkind in ('r', 'p', 'v')
        and (a.attname in ('created_at', 'updated_at', 'inserted_at', 'verified_at')
             or pg_catalog.pg_get_expr(d.adbin, d.adrelid) ilike '%now()%')
        and pg_catalog.has_column_privilege(r.role, c.oid, a.attnum, p.privilege)
      order by 1, 2, 3`);
    expect(rows).toEqual([]);
  });
});
