import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { LINTS, lint } from '../helpers/lint.ts';

/** The project's own migrations pass every lint; each lint is shown to catch its fault on a fixture. */
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.query('drop schema if exists lint_fixture cascade');
  await db.end();
});

describe('the migrations', () => {
  it('break no lint in public, private and service', async () => {
    const findings = await lint(db, ['public', 'private', 'service']);
    expect(findings).toEqual(Object.fromEntries(Object.keys(LINTS).map((name) => [name, []])));
  });
});

describe('each lint catches its fault', () => {
  beforeAll(async () => {
    await db.query(`
      drop schema if exists lint_fixture cascade;
      create schema lint_fixture;
      create table lint_fixture.parents (id bigint primary key);
      alter table lint_fixture.parents enable row level security;
      create table lint_fixture.open_children (id bigint primary key, parent_id bigint references lint_fixture.parents (id));
      create policy "everything at once" on lint_fixture.parents for all to authenticated using (true);
      create policy "bare uid" on lint_fixture.parents for select to authenticated using (auth.uid() is not null);
      create policy "wrapped uid" on lint_fixture.parents for update to authenticated using ((select auth.uid()) is not null);
      create function lint_fixture.definer_without_path() returns int language sql security definer as 'select 1';
      grant execute on function lint_fixture.definer_without_path() to anon;
    `);
  });

  it.each([
    ['rls_disabled', 'lint_fixture.open_children'],
    ['policy_for_all', 'lint_fixture.parents: everything at once'],
    ['auth_rls_initplan', 'lint_fixture.parents: bare uid'],
    ['multiple_permissive_policies', 'lint_fixture.parents: authenticated for SELECT'],
    ['function_search_path_mutable', 'lint_fixture.definer_without_path'],
    ['security_definer_executable_by_anon', 'lint_fixture.definer_without_path'],
    ['unindexed_foreign_keys', 'lint_fixture.open_children: open_children_parent_id_fkey'],
  ])('%s finds %s', async (name, object) => {
    const findings = await lint(db, ['lint_fixture']);
    expect(findings[name]).toContain(object);
  });

  it('auth_rls_initplan accepts a wrapped call', async () => {
    const findings = await lint(db, ['lint_fixture']);
    expect(findings.auth_rls_initplan).not.toContain('lint_fixture.parents: wrapped uid');
  });
});
