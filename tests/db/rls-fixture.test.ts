import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, asAnon, asServiceRole, connectAsPostgres, createUser, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';

/**
 * The platform's roles, grants and auth functions behave as on Supabase: a fixture table with the
 * usual owner policies lets anon, user A and user B see and change exactly what the policies say,
 * through real role switching. A blocked insert throws 42501; a blocked read, update or delete
 * touches 0 rows.
 */
let db: pg.Client;
let alice: { id: string; email: string };
let bob: { id: string; email: string };

beforeAll(async () => {
  db = await connectAsPostgres();
  alice = await createUser(db);
  bob = await createUser(db);
  // Created as postgres, like a migration, in the fixture schema, which has public's grants:
  // anon and authenticated reach it, so RLS is the only gate.
  await db.query(`
    drop table if exists test_fixtures.rls_fixture_notes;
    create table test_fixtures.rls_fixture_notes (
      id bigint generated always as identity primary key,
      owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
      body text not null,
      is_public boolean not null default false
    );
    create index on test_fixtures.rls_fixture_notes (owner_id);
    alter table test_fixtures.rls_fixture_notes enable row level security;
    create policy "anyone can read public notes" on test_fixtures.rls_fixture_notes
      for select to anon, authenticated using (is_public);
    create policy "owners can read their notes" on test_fixtures.rls_fixture_notes
      for select to authenticated using ((select auth.uid()) = owner_id);
    create policy "owners can add notes" on test_fixtures.rls_fixture_notes
      for insert to authenticated with check ((select auth.uid()) = owner_id);
    create policy "owners can edit their notes" on test_fixtures.rls_fixture_notes
      for update to authenticated using ((select auth.uid()) = owner_id) with check ((select auth.uid()) = owner_id);
    create policy "owners can delete their notes" on test_fixtures.rls_fixture_notes
      for delete to authenticated using ((select auth.uid()) = owner_id);
  `);
  await db.query(
    `insert into test_fixtures.rls_fixture_notes (owner_id, body, is_public)
     values ($1, 'alice public', true), ($1, 'alice private', false), ($2, 'bob private', false)`,
    [alice.id, bob.id],
  );
});

afterAll(async () => {
  await db.query('drop table if exists test_fixtures.rls_fixture_notes');
  await db.end();
});

const visibleBodies = (actor: Actor) =>
  runAs(db, actor, async (c) =>
    (await c.query<{ body: string }>('select body from test_fixtures.rls_fixture_notes order by id')).rows.map((r) => r.body),
  );

describe('reading', () => {
  it('anon sees only public notes', async () => {
    expect(await visibleBodies(asAnon())).toEqual(['alice public']);
  });
  it('alice sees her notes', async () => {
    expect(await visibleBodies(as(alice))).toEqual(['alice public', 'alice private']);
  });
  it("bob sees his note and alice's public one, not her private one", async () => {
    expect(await visibleBodies(as(bob))).toEqual(['alice public', 'bob private']);
  });
  it('service_role bypasses RLS', async () => {
    expect(await visibleBodies(asServiceRole())).toHaveLength(3);
  });
  it('auth.uid(), auth.role() and auth.jwt() read the claims PostgREST sets', async () => {
    const row = await runAs(db, as(alice), async (c) =>
      (await c.query('select auth.uid() as uid, auth.role() as role, auth.jwt() ->> $1 as email', ['email'])).rows[0],
    );
    expect(row).toEqual({ uid: alice.id, role: 'authenticated', email: alice.email });
  });
});

describe('writing', () => {
  it.each([
    ['anon', () => asAnon(), '42501'],
    ['bob, for alice', () => as(bob), '42501'],
  ])('%s cannot insert a note owned by alice (throws 42501)', async (_name, actor, code) => {
    const insert = runAs(db, actor(), (c) =>
      c.query('insert into test_fixtures.rls_fixture_notes (owner_id, body) values ($1, $2)', [alice.id, 'forged']),
    );
    expect(await sqlstateOf(insert)).toBe(code);
  });

  it('alice inserts her own note; owner_id defaults to auth.uid()', async () => {
    const owner = await runAs(db, as(alice), async (c) =>
      (await c.query<{ owner_id: string }>(`insert into test_fixtures.rls_fixture_notes (body) values ('new') returning owner_id`)).rows[0]!
        .owner_id,
    );
    expect(owner).toBe(alice.id);
  });

  it.each([
    ['anon', () => asAnon(), 0],
    ['bob', () => as(bob), 0],
    ['alice', () => as(alice), 2],
  ])('%s updates %i of alice\'s notes', async (_name, actor, expected) => {
    const count = await runAs(db, actor(), async (c) =>
      (await c.query(`update test_fixtures.rls_fixture_notes set body = 'edited' where owner_id = $1`, [alice.id])).rowCount,
    );
    expect(count).toBe(expected);
  });

  it.each([
    ['anon', () => asAnon(), 0],
    ['bob', () => as(bob), 0],
    ['alice', () => as(alice), 2],
  ])('%s deletes %i of alice\'s notes', async (_name, actor, expected) => {
    const count = await runAs(db, actor(), async (c) =>
      (await c.query('delete from test_fixtures.rls_fixture_notes where owner_id = $1', [alice.id])).rowCount,
    );
    expect(count).toBe(expected);
  });

  it('alice cannot hand her note to bob (with check throws 42501)', async () => {
    const update = runAs(db, as(alice), (c) =>
      c.query('update test_fixtures.rls_fixture_notes set owner_id = $1 where owner_id = $2', [bob.id, alice.id]),
    );
    expect(await sqlstateOf(update)).toBe('42501');
  });
});
