import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/helpers/env.ts';
import { CommitThenThrow, createAuthDatabase, type AuthDatabase } from './db.ts';

/**
 * Auth's adapter over postgres.js gives Auth's code the values it was written against with `pg`:
 * each query below runs through both and must come back identical.
 */
let db: AuthDatabase;
let reference: pg.Client;
beforeAll(async () => {
  db = createAuthDatabase(stackEnv().dbUrl);
  reference = new pg.Client({ connectionString: stackEnv().dbUrl });
  await reference.connect();
  await reference.query('create table if not exists test_fixtures.auth_db_rows (id int primary key, note text)');
});
afterAll(async () => {
  await reference.query('drop table if exists test_fixtures.auth_db_rows');
  await reference.end();
  await db.close();
});

const UUIDS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

describe('values read and written as pg did', () => {
  it.each<[string, string, unknown[]]>([
    ['timestamptz as Date', `select '2026-11-29 10:00:00.123456+00'::timestamptz as v, now() - now() = interval '0' as same`, []],
    ['timestamp without time zone as Date', `select '2026-11-29 10:00:00'::timestamp as v`, []],
    ['int8 and count(*) as strings', `select 9007199254740993::int8 as big, count(*) as n from generate_series(1, 3)`, []],
    ['int2, int4, float8 as numbers; numeric as string', `select 2::int2 as a, 40000::int4 as b, 1.5::float8 as c, 1.50::numeric as d`, []],
    ['json and jsonb parsed', `select '{"a":[1,"x",null]}'::json as j, '{"b":{"c":true}}'::jsonb as jb, 'null'::jsonb as n`, []],
    ['arrays of text, uuid, int and jsonb', `select '{a,"b c"}'::text[] as t, $1::uuid[] as u, '{1,2}'::int[] as i, array['{"k":1}'::jsonb] as j`, [UUIDS]],
    ['boolean and null', `select true as t, false as f, null::text as n`, []],
    ['a JSON string parameter cast to jsonb is the object it encodes', `select $1::jsonb as v`, [JSON.stringify({ provider: 'email', n: 1 })]],
    ['an object parameter is sent as JSON', `select $1::jsonb as v`, [{ sub: 'x', list: [1, 2] }]],
    ['a Date parameter is the same instant', `select $1::timestamptz as v`, [new Date('2026-11-29T10:00:00.123Z')]],
    ['boolean parameters, as values and as text', `select $1::boolean as a, $2::boolean as b, case when $3 then 1 else 0 end as c`, [true, 'false', true]],
    ['an untyped string parameter stays text', `select $1 as v, $2::int + 1 as w`, ['it\'s "quoted"', '41']],
    ['undefined and null parameters are NULL', `select $1::text is null as a, $2::uuid is null as b`, [undefined, null]],
    ['uuid array membership', `select $2::uuid = any($1::uuid[]) as hit`, [UUIDS, UUIDS[1]]],
  ])('%s', async (_name, text, params) => {
    const ours = await db.pool.query(text, params);
    const theirs = await reference.query(text, params.map((p) => (p === undefined ? null : p)));
    expect(ours.rows).toEqual(theirs.rows);
    expect(ours.rowCount).toBe(theirs.rowCount);
  });

  it('timestamps are Date objects, not strings', async () => {
    const { rows } = await db.pool.query<{ v: unknown }>(`select now() as v`);
    expect(rows[0]!.v).toBeInstanceOf(Date);
  });

  it('rowCount counts the rows a write touched', async () => {
    await db.pool.query('delete from test_fixtures.auth_db_rows');
    const inserted = await db.pool.query('insert into test_fixtures.auth_db_rows values (1, $1), (2, $1), (3, $1)', ['n']);
    expect(inserted.rowCount).toBe(3);
    const updated = await db.pool.query(`update test_fixtures.auth_db_rows set note = 'm' where id > $1`, [1]);
    expect(updated.rowCount).toBe(2);
    const none = await db.pool.query('delete from test_fixtures.auth_db_rows where id = $1', [99]);
    expect(none.rowCount).toBe(0);
  });

  it('a script of several statements without parameters runs', async () => {
    await db.pool.query(`select 1; select 2`);
  });
});

describe('transaction', () => {
  const notes = async () =>
    (await reference.query<{ id: number }>('select id from test_fixtures.auth_db_rows where note = $1 order by id', ['tx'])).rows.map((r) => r.id);

  it('commits what the work did', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`insert into test_fixtures.auth_db_rows values (10, 'tx')`);
    });
    expect(await notes()).toContain(10);
  });

  it('rolls back when the work throws, and rethrows', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into test_fixtures.auth_db_rows values (11, 'tx')`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await notes()).not.toContain(11);
  });

  it('CommitThenThrow commits the work and throws the wrapped error', async () => {
    const wrapped = new Error('reuse detected');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`insert into test_fixtures.auth_db_rows values (12, 'tx')`);
        throw new CommitThenThrow(wrapped);
      }),
    ).rejects.toBe(wrapped);
    expect(await notes()).toContain(12);
  });

  it('returns what the work returned', async () => {
    expect(await db.transaction(async (tx) => (await tx.query<{ n: number }>('select 7 as n')).rows[0]!.n)).toBe(7);
  });
});
