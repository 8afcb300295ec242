import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs } from '../helpers/db.ts';
import { createAccount, uniqueTag, type Account } from './accounts-fixtures.ts';

/**
 * search_profiles on the trigram indexes: the same answer as before (tests/db/accounts-parental.test.ts
 * keeps proving who is found), and each of its three conditions can be answered by its GIN index —
 * counted in pg_stat_user_indexes with sequential scans switched off for the call.
 */
let db: pg.Client;
let reader: Account;
const tag = uniqueTag();

beforeAll(async () => {
  db = await connectAsPostgres();
  reader = await createAccount(db);
  await createAccount(db, { username: `trg${tag}`, metadata: { first_name: `First${tag}`, last_name: `Last${tag}` } });
});
afterAll(async () => {
  await db.end();
});

async function indexScans(): Promise<Record<string, number>> {
  await db.query('select pg_stat_force_next_flush()');
  await db.query('select pg_stat_clear_snapshot()');
  const { rows } = await db.query<{ indexrelname: string; idx_scan: string }>(
    `select indexrelname, idx_scan from pg_stat_user_indexes where indexrelname like 'profiles_search_%_trgm_idx'`,
  );
  return Object.fromEntries(rows.map((r) => [r.indexrelname, Number(r.idx_scan)]));
}

describe('search_profiles on trigram indexes', () => {
  it('answers the public_profiles rows, as before', async () => {
    const rows = await runAs(db, asVisitor(reader), async (c) => (await c.query('select * from public.search_profiles($1)', [`RG${tag}`])).rows);
    const columns = await db.query(`select column_name from information_schema.columns where table_schema = 'public' and table_name = 'public_profiles' order by ordinal_position`);
    expect(rows.map((r: { username: string }) => r.username)).toEqual([`trg${tag}`]);
    expect(Object.keys(rows[0])).toEqual(columns.rows.map((r: { column_name: string }) => r.column_name));
  });

  it('uses the username, first name and last name trigram indexes', async () => {
    const before = await indexScans();
    const found = await runAs(db, asVisitor(reader), async (c) => {
      await c.query('set local enable_seqscan = off');
      return (await c.query('select username from public.search_profiles($1)', [`st${tag}`])).rows;
    });
    expect(found).toEqual([{ username: `trg${tag}` }]);
    const after = await indexScans();
    for (const index of ['profiles_search_username_trgm_idx', 'profiles_search_first_name_trgm_idx', 'profiles_search_last_name_trgm_idx']) {
      expect(after[index]!, index).toBeGreaterThan(before[index]!);
    }
  });
});
