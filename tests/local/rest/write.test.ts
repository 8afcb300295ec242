import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, reloadSchema, USER_A, USER_B, type RestFixture } from './fixture.ts';

const DDL = `
drop table if exists test_fixtures.rest_wr_items, test_fixtures.rest_wr_lists cascade;
create table test_fixtures.rest_wr_lists (id bigint generated always as identity primary key, name text not null unique, owner uuid not null default auth.uid());
create table test_fixtures.rest_wr_items (
  id bigint generated always as identity primary key,
  list_id bigint not null references test_fixtures.rest_wr_lists (id) on delete cascade,
  label text not null,
  qty int not null default 1,
  note text default 'none',
  owner uuid not null default auth.uid()
);
create index on test_fixtures.rest_wr_items (list_id);
alter table test_fixtures.rest_wr_lists enable row level security;
alter table test_fixtures.rest_wr_items enable row level security;
create policy "users can read their lists" on test_fixtures.rest_wr_lists for select to authenticated using (owner = (select auth.uid()));
create policy "users can create their lists" on test_fixtures.rest_wr_lists for insert to authenticated with check (owner = (select auth.uid()));
create policy "users can rename their lists" on test_fixtures.rest_wr_lists for update to authenticated using (owner = (select auth.uid())) with check (owner = (select auth.uid()));
create policy "users can delete their lists" on test_fixtures.rest_wr_lists for delete to authenticated using (owner = (select auth.uid()));
create policy "users can read their items" on test_fixtures.rest_wr_items for select to authenticated using (owner = (select auth.uid()));
create policy "users can add items" on test_fixtures.rest_wr_items for insert to authenticated with check (owner = (select auth.uid()));
create policy "users can change their items" on test_fixtures.rest_wr_items for update to authenticated using (owner = (select auth.uid()));
create policy "users can delete their items" on test_fixtures.rest_wr_items for delete to authenticated using (owner = (select auth.uid()));
-- anon may insert (write-only) but never read: return=minimal must still work.
create policy "anon can add items" on test_fixtures.rest_wr_items for insert to anon with check (true);
`;

let f: RestFixture;
let listA: number;
beforeAll(async () => {
  f = await createFixture(DDL);
  await reloadSchema(f, ['/rest_wr_lists', '/rest_wr_items']);
  const { data, error } = await f.userA.from('rest_wr_lists').insert({ name: 'groceries' }).select('id').single();
  expect(error).toBeNull();
  listA = data!.id;
});
afterAll(async () => {
  await f.db.query('drop table if exists test_fixtures.rest_wr_items, test_fixtures.rest_wr_lists cascade');
  await f.close();
});

describe('insert', () => {
  it('returns 201 with the representation, respecting select and embeds', async () => {
    const { data, error, status } = await f.userA
      .from('rest_wr_items')
      .insert({ list_id: listA, label: 'milk', qty: 2 })
      .select('label, qty, note, owner, rest_wr_lists(name)')
      .single();
    expect(error).toBeNull();
    expect(status).toBe(201);
    expect(data).toEqual({ label: 'milk', qty: 2, note: 'none', owner: USER_A, rest_wr_lists: { name: 'groceries' } });
  });

  it('bulk inserts with the union of keys; missing=default gives absent keys their defaults', async () => {
    const { data, error } = await f.userA
      .from('rest_wr_items')
      .insert([{ list_id: listA, label: 'eggs' }, { list_id: listA, label: 'tea', qty: 3, note: 'green' }], { defaultToNull: false })
      .select('label, qty, note');
    expect(error).toBeNull();
    expect(data).toEqual([{ label: 'eggs', qty: 1, note: 'none' }, { label: 'tea', qty: 3, note: 'green' }]);
  });

  it('missing keys become null without missing=default (23502 on a not-null column)', async () => {
    const strict = await f.userA.from('rest_wr_items').insert([{ list_id: listA, label: 'a' }, { list_id: listA, label: 'b', qty: 2 }]);
    expect(strict.error?.code).toBe('23502');
    expect(strict.status).toBe(400);
    const res = await f.fetch(`${f.restUrl}/rest_wr_items?columns=list_id,label,note`, {
      method: 'POST',
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: JSON.stringify([{ list_id: listA, label: 'salt' }]),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { note: unknown }[])[0]!.note).toBeNull();
  });

  it('return=minimal works without a select policy; the representation does not (42501 → 401 for anon)', async () => {
    const minimal = await f.anon.from('rest_wr_items').insert({ list_id: listA, label: 'anon', owner: USER_A });
    expect(minimal.error).toBeNull();
    expect(minimal.status).toBe(201);
    const representation = await f.anon.from('rest_wr_items').insert({ list_id: listA, label: 'anon2', owner: USER_A }).select();
    expect(representation.status).toBe(401);
    expect(representation.error?.code).toBe('42501');
  });

  it('an insert the policy rejects is 42501 → 403 for a signed-in user', async () => {
    const { error, status } = await f.userB.from('rest_wr_items').insert({ list_id: listA, label: 'x', owner: USER_A });
    expect(status).toBe(403);
    expect(error?.code).toBe('42501');
    expect(error?.message).toContain('row-level security');
  });

  it('headers-only answers a Location header', async () => {
    const res = await f.fetch(`${f.restUrl}/rest_wr_lists`, {
      method: 'POST',
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, 'Content-Type': 'application/json', Prefer: 'return=headers-only' },
      body: JSON.stringify({ name: 'hardware' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toMatch(/^\/rest_wr_lists\?id=eq\.\d+$/);
    expect(res.headers.get('preference-applied')).toBe('return=headers-only');
    expect(await res.text()).toBe('');
  });

  it('unique violation is 409 (23505); unknown column is PGRST204; bad JSON is PGRST102', async () => {
    const dup = await f.userA.from('rest_wr_lists').insert({ name: 'groceries' });
    expect(dup.status).toBe(409);
    expect(dup.error?.code).toBe('23505');
    const unknown = await f.userA.from('rest_wr_lists').insert({ name: 'z', nope: 1 });
    expect(unknown.status).toBe(400);
    expect(unknown.error?.code).toBe('PGRST204');
    expect(unknown.error?.message).toBe("Could not find the 'nope' column of 'rest_wr_lists' in the schema cache");
    const bad = await f.fetch(`${f.restUrl}/rest_wr_lists`, {
      method: 'POST',
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, 'Content-Type': 'application/json' },
      body: '{"name": ',
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('PGRST102');
    const fk = await f.service.from('rest_wr_items').insert({ list_id: 999999, label: 'orphan', owner: USER_A });
    expect(fk.status).toBe(409);
    expect(fk.error?.code).toBe('23503');
  });
});

describe('upsert', () => {
  it('merges duplicates on a unique column and ignores them when asked', async () => {
    const merged = await f.userA.from('rest_wr_lists').upsert({ name: 'groceries', owner: USER_A }, { onConflict: 'name' }).select('name');
    expect(merged.error).toBeNull();
    expect(merged.data).toEqual([{ name: 'groceries' }]);
    const ignored = await f.userA
      .from('rest_wr_lists')
      .upsert([{ name: 'groceries' }, { name: 'garden' }], { onConflict: 'name', ignoreDuplicates: true })
      .select('name');
    expect(ignored.data).toEqual([{ name: 'garden' }]);
  });

  it('PUT replaces one row by primary key and checks the URL matches the body', async () => {
    const { data } = await f.service.from('rest_wr_items').insert({ list_id: listA, label: 'put-me', owner: USER_A }).select('id').single();
    const id = data!.id as number;
    const headers = { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, 'Content-Type': 'application/json', Prefer: 'return=representation' };
    const put = await f.fetch(`${f.restUrl}/rest_wr_items?id=eq.${id}`, {
      method: 'PUT', headers, body: JSON.stringify({ list_id: listA, label: 'replaced', qty: 9, note: null, owner: USER_A }),
    });
    expect(put.status).toBe(400); // id is generated always: the body cannot carry it, so it cannot match the URL
    expect(((await put.json()) as { code: string }).code).toBe('PGRST115');
    const badFilter = await f.fetch(`${f.restUrl}/rest_wr_items?label=eq.x`, { method: 'PUT', headers, body: '{"label":"x"}' });
    expect(badFilter.status).toBe(405);
    expect(((await badFilter.json()) as { code: string }).code).toBe('PGRST105');
  });
});

describe('update and delete', () => {
  it('PATCH updates only rows the filters and policies allow', async () => {
    const mine = await f.userA.from('rest_wr_items').update({ qty: 7 }).eq('label', 'eggs').select('label, qty');
    expect(mine.data).toEqual([{ label: 'eggs', qty: 7 }]);
    const theirs = await f.userB.from('rest_wr_items').update({ qty: 0 }).eq('label', 'eggs').select('label');
    expect(theirs.data).toEqual([]);
    const minimal = await f.userA.from('rest_wr_items').update({ qty: 8 }).eq('label', 'eggs');
    expect(minimal.status).toBe(204);
  });

  it('PATCH with Accept object rolls back unless exactly one row changes', async () => {
    const { error, status } = await f.userA.from('rest_wr_items').update({ note: 'bulk' }).eq('list_id', listA).select().single();
    expect(status).toBe(406);
    expect(error?.code).toBe('PGRST116');
    const { data } = await f.userA.from('rest_wr_items').select('note').eq('note', 'bulk');
    expect(data).toEqual([]);
  });

  it('DELETE with filters and representation', async () => {
    const { data, status } = await f.userA.from('rest_wr_items').delete().eq('label', 'salt').select('label');
    expect(status).toBe(200);
    expect(data).toEqual([{ label: 'salt' }]);
  });

  it('limited delete with order removes only the first rows', async () => {
    await f.userA.from('rest_wr_items').insert([1, 2, 3].map((n) => ({ list_id: listA, label: `tmp${n}` })));
    const res = await f.fetch(`${f.restUrl}/rest_wr_items?label=like.tmp*&order=label.desc&limit=2`, {
      method: 'DELETE',
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, Prefer: 'return=representation' },
    });
    expect(((await res.json()) as { label: string }[]).map((r) => r.label).sort()).toEqual(['tmp2', 'tmp3']);
    const { data } = await f.userA.from('rest_wr_items').select('label').like('label', 'tmp*');
    expect(data).toEqual([{ label: 'tmp1' }]);
  });

  it('Prefer: tx=rollback is ignored and the write commits, as with Supabase\'s db-tx-end = commit', async () => {
    const res = await f.fetch(`${f.restUrl}/rest_wr_lists`, {
      method: 'POST',
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, 'Content-Type': 'application/json', Prefer: 'return=representation, tx=rollback' },
      body: JSON.stringify({ name: 'not-ephemeral' }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('preference-applied') ?? '').not.toContain('tx=');
    const { data } = await f.userA.from('rest_wr_lists').select('name').eq('name', 'not-ephemeral');
    expect(data).toEqual([{ name: 'not-ephemeral' }]);
  });

  it('the other user cannot see or delete the first user rows', async () => {
    const del = await f.userB.from('rest_wr_lists').delete().eq('id', listA).select();
    expect(del.data).toEqual([]);
    const still = await f.userA.from('rest_wr_lists').select('id').eq('id', listA);
    expect(still.data).toEqual([{ id: listA }]);
    void USER_B;
  });
});
