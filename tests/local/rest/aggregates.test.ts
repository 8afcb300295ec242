/**
 * Aggregate functions in `select` (PostgREST 12+): off by default as on Supabase (PGRST123), on once
 * the authenticator role carries `pgrst.db_aggregates_enabled = 'true'` and PostgREST reloads its config.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.ts';
import { createFixture, reloadSchema, type RestFixture } from './fixture.ts';

const DDL = `
drop table if exists test_fixtures.rest_agg_orders, test_fixtures.rest_agg_customers cascade;
create table test_fixtures.rest_agg_customers (id int primary key, name text not null);
create table test_fixtures.rest_agg_orders (
  id int primary key,
  customer_id int not null references test_fixtures.rest_agg_customers (id),
  category text not null,
  amount numeric(10, 2),
  qty int not null
);
create index on test_fixtures.rest_agg_orders (customer_id);
insert into test_fixtures.rest_agg_customers values (1, 'Ann'), (2, 'Bob'), (3, 'Cy');
insert into test_fixtures.rest_agg_orders values
  (1, 1, 'a', 10.50, 1),
  (2, 1, 'a', 4.50, 2),
  (3, 2, 'b', 7.00, 3),
  (4, 2, 'b', null, 4),
  (5, 1, 'c', 1.00, 5);
alter table test_fixtures.rest_agg_customers enable row level security;
alter table test_fixtures.rest_agg_orders enable row level security;
create policy "anyone can read customers" on test_fixtures.rest_agg_customers for select to anon, authenticated using (true);
create policy "anyone can read orders" on test_fixtures.rest_agg_orders for select to anon, authenticated using (true);
`;

const NOT_ALLOWED = { code: 'PGRST123', details: null, hint: null, message: 'Use of aggregate functions is not allowed' };

let f: RestFixture;
/** As Supabase's docs say, as postgres: authenticator's `pgrst.` settings, then a config reload. */
async function setAggregates(enabled: boolean): Promise<void> {
  await f.db.query(enabled
    ? `alter role authenticator set pgrst.db_aggregates_enabled = 'true'`
    : 'alter role authenticator reset pgrst.db_aggregates_enabled');
  await waitFor(
    async () => {
      await f.db.query(`notify pgrst, 'reload config'`);
      const res = await f.fetch(`${f.restUrl}/rest_agg_orders?select=count()`, { headers: f.anonHeaders });
      await res.body?.cancel();
      return (res.status === 200) === enabled;
    },
    { timeoutMs: 20_000, what: `aggregates to become ${enabled ? 'enabled' : 'disabled'}` },
  );
}

beforeAll(async () => {
  f = await createFixture(DDL);
  await reloadSchema(f, ['/rest_agg_orders', '/rest_agg_customers']);
});

afterAll(async () => {
  if (!f) return;
  try {
    // Other test files share the stack: leave the default (disabled) behind whatever happened here.
    const { rowCount } = await f.db.query(`select 1 from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
      where r.rolname = 'authenticator' and exists (select 1 from unnest(s.setconfig) c where c like 'pgrst.db_aggregates_enabled=%')`);
    if (rowCount) {
      await f.db.query('alter role authenticator reset pgrst.db_aggregates_enabled');
      await f.db.query(`notify pgrst, 'reload config'`);
    }
    await f.db.query('drop table if exists test_fixtures.rest_agg_orders, test_fixtures.rest_agg_customers cascade');
  } finally {
    await f.close();
  }
});

describe('aggregates disabled (the default)', () => {
  it.each([
    'count()',
    'amount.sum()',
    'total:amount.sum()',
    'category,qty.max()',
    'name,rest_agg_orders(amount.avg())',
  ])('select=%s answers 400 PGRST123', async (select) => {
    const table = select.startsWith('name') ? 'rest_agg_customers' : 'rest_agg_orders';
    const res = await f.fetch(`${f.restUrl}/${table}?select=${encodeURIComponent(select)}`, { headers: f.anonHeaders });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(NOT_ALLOWED);
  });

  it('through supabase-js, and nothing runs', async () => {
    const { data, error, status } = await f.anon.from('rest_agg_orders').select('count()');
    expect(status).toBe(400);
    expect(data).toBeNull();
    expect(error).toMatchObject(NOT_ALLOWED);
    const plain = await f.anon.from('rest_agg_orders').select('id').order('id');
    expect(plain.error).toBeNull();
    expect(plain.data).toEqual([1, 2, 3, 4, 5].map((id) => ({ id })));
  });
});

describe('aggregates enabled by the authenticator role setting', () => {
  beforeAll(async () => {
    await setAggregates(true);
  });
  afterAll(async () => {
    await setAggregates(false);
  });

  it('count() alone counts the rows', async () => {
    const { data, error } = await f.anon.from('rest_agg_orders').select('count()');
    expect(error).toBeNull();
    expect(data).toEqual([{ count: 5 }]);
  });

  it('names each aggregate after its function, or its alias', async () => {
    const { data, error } = await f.anon.from('rest_agg_orders').select('amount.sum()');
    expect(error).toBeNull();
    expect(data).toEqual([{ sum: 23 }]);

    const all = await f.anon.from('rest_agg_orders')
      .select('total:amount.sum(),mean:amount.avg(),top:amount.max(),least:amount.min(),priced:amount.count(),rows:count()');
    expect(all.error).toBeNull();
    expect(all.data).toEqual([{ total: 23, mean: 5.75, top: 10.5, least: 1, priced: 4, rows: 5 }]);

    for (const fn of ['avg', 'max', 'min', 'count'] as const) {
      const one = await f.anon.from('rest_agg_orders').select(`qty.${fn}()`);
      expect(one.error).toBeNull();
      expect(Object.keys(one.data![0]!)).toEqual([fn]);
    }
  });

  it('casts the input and the result', async () => {
    const { data, error } = await f.anon.from('rest_agg_orders').select('amount.sum()::text');
    expect(error).toBeNull();
    expect(data).toEqual([{ sum: '23.00' }]);
    // 10.50 and 4.50 round up as int: 11 + 5 + 7 + 1.
    const input = await f.anon.from('rest_agg_orders').select('amount::int.sum()');
    expect(input.error).toBeNull();
    expect(input.data).toEqual([{ sum: 24 }]);
    const both = await f.anon.from('rest_agg_orders').select('whole:amount::int.max()::text');
    expect(both.data).toEqual([{ whole: '11' }]);
    const counted = await f.anon.from('rest_agg_orders').select('n:count()::text');
    expect(counted.data).toEqual([{ n: '5' }]);
  });

  it('groups by the columns selected beside the aggregates', async () => {
    const { data, error } = await f.anon.from('rest_agg_orders')
      .select('category, total:amount.sum(), qty.count()')
      .order('category');
    expect(error).toBeNull();
    expect(data).toEqual([
      { category: 'a', total: 15, count: 2 },
      { category: 'b', total: 7, count: 2 },
      { category: 'c', total: 1, count: 1 },
    ]);

    const renamed = await f.anon.from('rest_agg_orders').select('kind:category, qty.sum()').order('category', { ascending: false });
    expect(renamed.error).toBeNull();
    expect(renamed.data).toEqual([{ kind: 'c', sum: 5 }, { kind: 'b', sum: 7 }, { kind: 'a', sum: 3 }]);

    const star = await f.anon.from('rest_agg_customers').select('*, count()').order('id');
    expect(star.error).toBeNull();
    expect(star.data).toEqual([{ id: 1, name: 'Ann', count: 1 }, { id: 2, name: 'Bob', count: 1 }, { id: 3, name: 'Cy', count: 1 }]);
  });

  it('works with filters, order, limit/offset and count=exact', async () => {
    const { data, error, count, status } = await f.anon.from('rest_agg_orders')
      .select('category, qty.sum()', { count: 'exact' })
      .gt('qty', 1)
      .order('category', { ascending: false })
      .range(0, 1);
    expect(error).toBeNull();
    expect(data).toEqual([{ category: 'c', sum: 5 }, { category: 'b', sum: 7 }]);
    // PostgREST counts the rows the filters keep, not the groups.
    expect(count).toBe(4);
    expect(status).toBe(206);

    const res = await f.fetch(`${f.restUrl}/rest_agg_orders?select=category,qty.sum()&category=neq.a&order=category&offset=1`, {
      headers: f.anonHeaders,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([{ category: 'c', sum: 5 }]);
  });

  it('answers a single object', async () => {
    const { data, error } = await f.anon.from('rest_agg_orders').select('count(), amount.max()').single();
    expect(error).toBeNull();
    expect(data).toEqual({ count: 5, max: 10.5 });

    const many = await f.anon.from('rest_agg_orders').select('category, count()').single();
    expect(many.status).toBe(406);
    expect(many.error?.code).toBe('PGRST116');
  });

  it('aggregates inside an embedded resource, per parent row', async () => {
    const { data, error } = await f.anon.from('rest_agg_customers').select('name, rest_agg_orders(amount.sum(), count())').order('id');
    expect(error).toBeNull();
    expect(data).toEqual([
      { name: 'Ann', rest_agg_orders: [{ sum: 16, count: 3 }] },
      { name: 'Bob', rest_agg_orders: [{ sum: 7, count: 2 }] },
      { name: 'Cy', rest_agg_orders: [{ sum: null, count: 0 }] },
    ]);

    const grouped = await f.anon.from('rest_agg_customers').select('name, rest_agg_orders(category, qty.sum())').eq('id', 1)
      .order('category', { referencedTable: 'rest_agg_orders' });
    expect(grouped.error).toBeNull();
    expect(grouped.data).toEqual([{ name: 'Ann', rest_agg_orders: [{ category: 'a', sum: 3 }, { category: 'c', sum: 5 }] }]);
  });

  it('groups by a to-one embed and by a spread one', async () => {
    const { data, error } = await f.anon.from('rest_agg_orders').select('amount.sum(), rest_agg_customers(name)');
    expect(error).toBeNull();
    expect([...(data ?? [])].sort((a, b) => a.sum - b.sum)).toEqual([
      { sum: 7, rest_agg_customers: { name: 'Bob' } },
      { sum: 16, rest_agg_customers: { name: 'Ann' } },
    ]);

    const spread = await f.anon.from('rest_agg_orders').select('qty.sum(), ...rest_agg_customers(name)');
    expect(spread.error).toBeNull();
    expect([...(spread.data ?? [])].sort((a, b) => a.sum - b.sum)).toEqual([{ sum: 7, name: 'Bob' }, { sum: 8, name: 'Ann' }]);
  });
});
