import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMarqueeError, paginate } from '../../sdk/src/index.ts';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { FIXTURE_SCHEMA } from '../helpers/fixture-schema.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** paginate() over a real PostgREST-compatible query: Range, exact count and the 416 past the end. */
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
  await db.query(`
    drop table if exists test_fixtures.sdk_fixture_items;
    create table test_fixtures.sdk_fixture_items (id int primary key, title text not null);
    alter table test_fixtures.sdk_fixture_items enable row level security;
    create policy "anyone can read items" on test_fixtures.sdk_fixture_items for select to anon using (true);
    insert into test_fixtures.sdk_fixture_items select g, 'item ' || g from generate_series(1, 25) g;
  `);
  await untilServed('sdk_fixture_items');
});

/** The DDL notified the schema cache; wait (bounded) until the table is served. */
async function untilServed(table: string): Promise<void> {
  const headers = { apikey: stackEnv().anonKey, 'Accept-Profile': FIXTURE_SCHEMA };
  await waitFor(
    async () => {
      const res = await fetch(`${stackEnv().url}/rest/v1/${table}?limit=1`, { headers });
      await res.body?.cancel();
      return res.status === 200;
    },
    { timeoutMs: 10_000, what: `${table} to be served` },
  );
}
afterAll(async () => {
  await db.query('drop table if exists test_fixtures.sdk_fixture_items');
  await db.end();
});

const items = () => anonClient().schema(FIXTURE_SCHEMA).from('sdk_fixture_items').select('id', { count: 'exact' }).order('id');

describe('paginate against the stack', () => {
  it('returns the middle page with its neighbours', async () => {
    const page = await paginate(items(), { page: 2, page_size: 10 });
    expect(page).toMatchObject({ count: 25, page: 2, page_size: 10, total_pages: 3, next: 3, previous: 1 });
    expect(page.results.map((r) => r.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('returns a short last page', async () => {
    const page = await paginate(items(), { page: 3, page_size: 10 });
    expect(page).toMatchObject({ count: 25, total_pages: 3, next: null, previous: 2 });
    expect(page.results).toHaveLength(5);
  });

  it('answers a page past the end with 404 "Invalid page."', async () => {
    const failure = await paginate(items(), { page: 4, page_size: 10 }).catch((error: unknown) => error);
    expect(isMarqueeError(failure) && { status: failure.status, detail: failure.detail }).toEqual({ status: 404, detail: 'Invalid page.' });
  });
});
