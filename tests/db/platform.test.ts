import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';

/** What the Supabase image creates before user migrations, checked from the catalog. */
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

describe('platform roles', () => {
  it.each([
    ['postgres', { rolsuper: false, rolcanlogin: true, rolbypassrls: true, rolcreaterole: true }],
    ['anon', { rolsuper: false, rolcanlogin: false, rolbypassrls: false }],
    ['authenticated', { rolsuper: false, rolcanlogin: false, rolbypassrls: false }],
    ['service_role', { rolsuper: false, rolcanlogin: false, rolbypassrls: true }],
    ['authenticator', { rolsuper: false, rolcanlogin: true, rolinherit: false }],
    ['supabase_admin', { rolsuper: true }],
    ['supabase_auth_admin', { rolsuper: false, rolcanlogin: true }],
    ['supabase_storage_admin', { rolsuper: false, rolcanlogin: true }],
  ])('%s has the attributes it has on Supabase', async (role, attributes) => {
    const { rows } = await db.query('select * from pg_roles where rolname = $1', [role]);
    expect(rows[0]).toMatchObject(attributes);
  });

  it("postgres may tune authenticator (as Supabase docs have it do) without inheriting its rights", async () => {
    const { rows } = await db.query(`select pg_has_role('postgres', 'authenticator', 'usage') as inherits`);
    expect(rows[0]).toEqual({ inherits: false });
    await db.query(`alter role authenticator set pgrst.db_max_rows = '1000'`);
    await db.query('alter role authenticator reset pgrst.db_max_rows');
  });

  it('authenticator can become each API role', async () => {
    const { rows } = await db.query(
      `select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid
       join pg_roles u on u.oid = m.member where u.rolname = 'authenticator' order by 1`,
    );
    expect(rows.map((r) => r.rolname)).toEqual(expect.arrayContaining(['anon', 'authenticated', 'service_role']));
  });
});

describe('schemas and extensions', () => {
  it.each(['extensions', 'auth', 'storage', 'realtime', 'graphql_public'])('schema %s exists', async (schema) => {
    const { rowCount } = await db.query('select 1 from pg_namespace where nspname = $1', [schema]);
    expect(rowCount).toBe(1);
  });

  it('pgcrypto and uuid-ossp live in extensions', async () => {
    const { rows } = await db.query(
      `select e.extname, n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace
       where e.extname in ('pgcrypto', 'uuid-ossp') order by 1`,
    );
    expect(rows).toEqual([
      { extname: 'pgcrypto', nspname: 'extensions' },
      { extname: 'uuid-ossp', nspname: 'extensions' },
    ]);
  });

  it.each(['pg_trgm', 'citext', 'unaccent'])('postgres can enable %s in extensions, as a migration would', async (name) => {
    await db.query(`create extension if not exists ${name} with schema extensions`);
    const { rows } = await db.query(
      `select n.nspname from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = $1`,
      [name],
    );
    expect(rows[0]?.nspname).toBe('extensions');
  });

  it('postgres is not a superuser, so superuser-only DDL fails as on Supabase', async () => {
    const createEventTrigger = db.query(
      'create event trigger platform_fixture_watch on ddl_command_end execute function extensions.pgrst_ddl_watch()',
    );
    await expect(createEventTrigger).rejects.toMatchObject({ code: '42501' });
  });
});

describe('realtime', () => {
  it('postgres owns the supabase_realtime publication, so migrations can publish tables', async () => {
    const { rows } = await db.query(
      `select r.rolname from pg_publication p join pg_roles r on r.oid = p.pubowner where p.pubname = 'supabase_realtime'`,
    );
    expect(rows).toEqual([{ rolname: 'postgres' }]);
  });

  it("realtime.messages has today's partition", async () => {
    const { rows } = await db.query(
      `select to_regclass('realtime.messages_' || to_char(now() at time zone 'utc', 'YYYY_MM_DD')) is not null as present`,
    );
    expect(rows[0].present).toBe(true);
  });
});

describe('default privileges on public', () => {
  it('a table a migration creates is reachable by anon and authenticated (RLS is the only gate)', async () => {
    // In a transaction rolled back at the end: no other session (the lint test among them) sees it.
    await db.query('begin');
    try {
      await db.query('create table public.platform_fixture (id int)');
      const { rows } = await db.query(
        `select has_table_privilege('anon', 'public.platform_fixture', 'select,insert,update,delete') as anon,
                has_table_privilege('authenticated', 'public.platform_fixture', 'select,insert,update,delete') as authenticated`,
      );
      expect(rows[0]).toEqual({ anon: true, authenticated: true });
    } finally {
      await db.query('rollback');
    }
  });
});
