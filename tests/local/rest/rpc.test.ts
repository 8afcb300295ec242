import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../helpers/env.ts';
import { createFixture, FIXTURE_SCHEMA, reloadSchema, USER_A, type RestFixture } from './fixture.ts';

const DDL = `
drop table if exists test_fixtures.rest_rpc_notes cascade;
create table test_fixtures.rest_rpc_notes (id int primary key, body text not null, owner uuid);
alter table test_fixtures.rest_rpc_notes enable row level security;
create policy "anyone can read notes" on test_fixtures.rest_rpc_notes for select to anon, authenticated using (true);
insert into test_fixtures.rest_rpc_notes values (1, 'alpha', '${USER_A}'), (2, 'beta', null), (3, 'gamma', null);

create or replace function test_fixtures.rest_rpc_add(a int, b int default 1) returns int language sql immutable as $$ select a + b $$;
create or replace function test_fixtures.rest_rpc_greet(name text) returns text language sql stable as $$ select 'hi ' || name $$;
create or replace function test_fixtures.rest_rpc_greet(first text, last text) returns text language sql stable as $$ select 'hi ' || first || ' ' || last $$;
create or replace function test_fixtures.rest_rpc_notes_after(min_id int) returns setof test_fixtures.rest_rpc_notes language sql stable as $$
  select * from test_fixtures.rest_rpc_notes where id > min_id order by id $$;
create or replace function test_fixtures.rest_rpc_note(note_id int) returns test_fixtures.rest_rpc_notes language sql stable as $$
  select * from test_fixtures.rest_rpc_notes where id = note_id $$;
create or replace function test_fixtures.rest_rpc_numbers() returns setof int language sql immutable as $$ select generate_series(1, 3) $$;
create or replace function test_fixtures.rest_rpc_echo(jsonb) returns jsonb language sql immutable as $$ select $1 $$;
create or replace function test_fixtures.rest_rpc_touch() returns void language sql volatile as $$ update test_fixtures.rest_rpc_notes set body = body where false $$;
create or replace function test_fixtures.rest_rpc_whoami() returns json language sql stable as $$
  select json_build_object(
    'role', current_user,
    'sub', current_setting('request.jwt.claims', true)::json->>'sub',
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'marker', current_setting('request.headers', true)::json->>'x-marker',
    'search_path', current_setting('search_path'))
$$;
create or replace function test_fixtures.rest_rpc_headers_seen() returns json language sql stable as $$
  select current_setting('request.headers', true)::json $$;
create or replace function test_fixtures.rest_rpc_teapot() returns void language plpgsql as $$
begin raise exception 'I am a teapot' using errcode = 'PT418', detail = 'short and stout'; end $$;
create or replace function test_fixtures.rest_rpc_fail() returns void language plpgsql as $$
begin raise exception 'plain failure' using hint = 'try again'; end $$;
create or replace function test_fixtures.rest_rpc_headers() returns text language plpgsql as $$
begin
  perform set_config('response.headers', '[{"X-Custom": "yes"}, {"Cache-Control": "no-store"}]', true);
  perform set_config('response.status', '202', true);
  return 'accepted';
end $$;
-- The project's first migration revokes the default execute on new functions; grant it as Supabase would.
do $$
declare fn regprocedure;
begin
  for fn in select p.oid::regprocedure from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname = 'test_fixtures' and p.proname like 'rest\\_rpc\\_%' loop
    execute format('grant execute on function %s to anon, authenticated, service_role', fn);
  end loop;
end $$;
`;

let f: RestFixture;
beforeAll(async () => {
  f = await createFixture(DDL);
  await reloadSchema(f, ['/rpc/rest_rpc_add', '/rpc/rest_rpc_headers', '/rpc/rest_rpc_whoami', '/rpc/rest_rpc_headers_seen']);
});
afterAll(async () => {
  await f.db.query(`
    drop function if exists test_fixtures.rest_rpc_add, test_fixtures.rest_rpc_greet(text), test_fixtures.rest_rpc_greet(text, text), test_fixtures.rest_rpc_notes_after,
      test_fixtures.rest_rpc_note, test_fixtures.rest_rpc_numbers, test_fixtures.rest_rpc_echo, test_fixtures.rest_rpc_touch, test_fixtures.rest_rpc_whoami, test_fixtures.rest_rpc_teapot,
      test_fixtures.rest_rpc_fail, test_fixtures.rest_rpc_headers, test_fixtures.rest_rpc_headers_seen;
    drop table if exists test_fixtures.rest_rpc_notes cascade;`);
  await f.close();
});

describe('rpc', () => {
  it('scalar result as a bare JSON value; defaults fill missing args', async () => {
    expect((await f.anon.rpc('rest_rpc_add', { a: 2, b: 3 })).data).toBe(5);
    expect((await f.anon.rpc('rest_rpc_add', { a: 2 })).data).toBe(3);
  });

  it('chooses an overload by argument names', async () => {
    expect((await f.anon.rpc('rest_rpc_greet', { name: 'ann' })).data).toBe('hi ann');
    expect((await f.anon.rpc('rest_rpc_greet', { first: 'ann', last: 'lee' })).data).toBe('hi ann lee');
    const none = await f.anon.rpc('rest_rpc_greet', { nick: 'x' });
    expect(none.status).toBe(404);
    expect(none.error?.code).toBe('PGRST202');
    expect(none.error?.message).toBe('Could not find the function test_fixtures.rest_rpc_greet(nick) in the schema cache');
  });

  it('set-returning functions take filters, order, limit and select', async () => {
    const { data } = await f.anon.rpc('rest_rpc_notes_after', { min_id: 0 }).select('id, body').neq('body', 'beta').order('id', { ascending: false }).limit(1);
    expect(data).toEqual([{ id: 3, body: 'gamma' }]);
    const counted = await f.anon.rpc('rest_rpc_notes_after', { min_id: 1 }, { count: 'exact' });
    expect(counted.count).toBe(2);
  });

  it('a function returning one composite gives an object; setof scalar an array', async () => {
    expect((await f.anon.rpc('rest_rpc_note', { note_id: 2 })).data).toEqual({ id: 2, body: 'beta', owner: null });
    expect((await f.anon.rpc('rest_rpc_numbers')).data).toEqual([1, 2, 3]);
  });

  it('GET passes arguments in the query string', async () => {
    const { data } = await f.anon.rpc('rest_rpc_add', { a: 40, b: 2 }, { get: true });
    expect(data).toBe(42);
    const res = await f.fetch(`${f.restUrl}/rpc/rest_rpc_notes_after?min_id=1&select=body&order=id`, { headers: f.anonHeaders });
    expect(await res.json()).toEqual([{ body: 'beta' }, { body: 'gamma' }]);
  });

  it('a single unnamed jsonb parameter receives the whole body', async () => {
    const { data } = await f.anon.rpc('rest_rpc_echo', { any: ['thing'], n: 1 });
    expect(data).toEqual({ any: ['thing'], n: 1 });
  });

  it('void functions answer 204; volatile ones are refused on GET (25006 → 405)', async () => {
    const post = await f.fetch(`${f.restUrl}/rpc/rest_rpc_touch`, { method: 'POST', headers: { ...f.anonHeaders, 'Content-Type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(204);
    const get = await f.fetch(`${f.restUrl}/rpc/rest_rpc_touch`, { headers: f.anonHeaders });
    expect(get.status).toBe(405);
    expect(((await get.json()) as { code: string }).code).toBe('25006');
  });

  it('sets role, claims, method, path, headers and search_path as PostgREST does', async () => {
    const asA = await f.fetch(`${f.restUrl}/rpc/rest_rpc_whoami`, {
      method: 'POST',
      headers: { apikey: f.anonHeaders.apikey, Authorization: `Bearer ${f.tokenA}`, 'Content-Type': 'application/json', 'X-Marker': 'm1' },
      body: '{}',
    });
    expect(await asA.json()).toEqual({
      role: 'authenticated', sub: USER_A, method: 'POST', path: '/rpc/rest_rpc_whoami', marker: 'm1', search_path: '"test_fixtures", "public", "extensions"',
    });
    expect((await f.anon.rpc('rest_rpc_whoami')).data).toMatchObject({ role: 'anon', sub: null });
  });

  it('request.headers lists the headers as PostgREST does: lower-case, sorted, repeats joined, the bearer the gateway passes', async () => {
    const env = stackEnv();
    // Raw HTTP, so repeated headers reach the server as separate lines.
    const text = await new Promise<string>((resolve, reject) => {
      const url = new URL(`${f.restUrl}/rpc/rest_rpc_headers_seen`);
      const req = request(url, {
        headers: [
          'Host', new URL(f.restUrl).host, 'apikey', env.anonKey, 'Authorization', `Bearer ${env.secretKey}`, 'X-Repeat', ' one ', 'x-repeat', 'two',
          'Cookie', 'a=1', 'cookie', 'b=2', 'Z-Last', 'z', 'A-First', 'a', 'Accept-Profile', FIXTURE_SCHEMA,
        ],
      }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(`${res.statusCode} ${body}`));
      });
      req.on('error', reject);
      req.end();
    });
    expect(text.slice(0, 4)).toBe('200 ');
    const seen = JSON.parse(text.slice(4)) as Record<string, string>;
    expect(seen).toMatchObject({
      'a-first': 'a', apikey: env.anonKey, authorization: `Bearer ${env.serviceRoleKey}`, cookie: 'a=1; b=2', 'x-repeat': 'one, two', 'z-last': 'z',
    });
    expect(Object.keys(seen)).toEqual([...Object.keys(seen)].sort());

    const anon = await f.fetch(`${f.restUrl}/rpc/rest_rpc_headers_seen`, { headers: { apikey: env.anonKey } });
    expect(((await anon.json()) as Record<string, string>).authorization).toBe(`Bearer ${env.anonKey}`);
  });

  it('raise with errcode PTxyz answers status xyz; plain raise is P0001 → 400', async () => {
    const teapot = await f.anon.rpc('rest_rpc_teapot');
    expect(teapot.status).toBe(418);
    expect(teapot.error).toMatchObject({ code: 'PT418', message: 'I am a teapot', details: 'short and stout' });
    const fail = await f.anon.rpc('rest_rpc_fail');
    expect(fail.status).toBe(400);
    expect(fail.error).toMatchObject({ code: 'P0001', message: 'plain failure', hint: 'try again' });
  });

  it('honours response.headers and response.status set by the function', async () => {
    const res = await f.fetch(`${f.restUrl}/rpc/rest_rpc_headers`, { method: 'POST', headers: { ...f.anonHeaders, 'Content-Type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-custom')).toBe('yes');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toBe('accepted');
  });

  it('other methods on rpc are PGRST101 (405)', async () => {
    const res = await f.fetch(`${f.restUrl}/rpc/rest_rpc_add`, { method: 'PATCH', headers: f.anonHeaders });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { code: string }).code).toBe('PGRST101');
  });
});
