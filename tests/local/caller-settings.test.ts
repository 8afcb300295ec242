import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../helpers/clients.ts';
import { stackEnv } from '../helpers/env.ts';
import { FIXTURE_SCHEMA } from '../helpers/fixture-schema.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { Inbox, subscribe } from './realtime/fixture.ts';

/**
 * Every door that runs SQL as the caller (REST, Storage, Realtime authorisation, Realtime
 * postgres_changes) sets the same settings PostgREST sets. A SQL function reports them as the
 * caller's transaction sees them; REST and Storage hand its answer back, Realtime's probes are
 * rolled back, so there a policy admits the caller only when the settings are what they should be.
 */
const USER = '00000000-0000-4000-8000-0000000000e7';
const BUCKET = 'caller-settings-probe';
const S = FIXTURE_SCHEMA;

/** What a service without an HTTP request sets (Realtime): the same names, empty. */
const NO_REQUEST = { role: 'authenticated', sub: USER, claims_role: 'authenticated', method: '', path: '', headers: '{}', cookies: '{}' };

const DDL = `
create or replace function ${S}.caller_settings() returns jsonb language sql stable as $$
  select jsonb_build_object(
    'role', current_user,
    'sub', current_setting('request.jwt.claims', true)::jsonb ->> 'sub',
    'claims_role', current_setting('request.jwt.claims', true)::jsonb ->> 'role',
    'method', current_setting('request.method', true),
    'path', current_setting('request.path', true),
    'headers', current_setting('request.headers', true),
    'cookies', current_setting('request.cookies', true))
$$;
comment on function ${S}.caller_settings() is 'The caller settings as the current transaction sees them.';

create or replace function ${S}.stamp_caller_settings() returns trigger language plpgsql as $$
begin
  new.user_metadata := ${S}.caller_settings();
  return new;
end $$;
drop trigger if exists stamp_caller_settings on storage.objects;
create trigger stamp_caller_settings before insert on storage.objects
  for each row when (new.bucket_id = '${BUCKET}') execute function ${S}.stamp_caller_settings();
insert into storage.buckets (id, name) values ('${BUCKET}', '${BUCKET}') on conflict do nothing;
drop policy if exists "caller settings probe uploads" on storage.objects;
create policy "caller settings probe uploads" on storage.objects for insert to authenticated
  with check (bucket_id = '${BUCKET}');
drop policy if exists "caller settings probe reads" on storage.objects;
create policy "caller settings probe reads" on storage.objects for select to authenticated
  using (bucket_id = '${BUCKET}');

drop policy if exists "caller settings probe joins" on realtime.messages;
create policy "caller settings probe joins" on realtime.messages for select to authenticated
  using (realtime.topic() like 'caller-settings-%' and ${S}.caller_settings() @> '${JSON.stringify(NO_REQUEST)}'::jsonb);

drop table if exists ${S}.caller_settings_rows;
create table ${S}.caller_settings_rows (id bigint primary key, owner uuid not null);
alter table ${S}.caller_settings_rows enable row level security;
create policy "owners whose settings are complete read" on ${S}.caller_settings_rows for select to authenticated
  using (owner = (select auth.uid()) and ${S}.caller_settings() @> '${JSON.stringify(NO_REQUEST)}'::jsonb);
alter publication supabase_realtime add table ${S}.caller_settings_rows;
`;

const TEARDOWN = `
begin;
set local storage.allow_delete_query = 'true';
drop trigger if exists stamp_caller_settings on storage.objects;
delete from storage.objects where bucket_id = '${BUCKET}';
delete from storage.buckets where id = '${BUCKET}';
drop policy if exists "caller settings probe uploads" on storage.objects;
drop policy if exists "caller settings probe reads" on storage.objects;
drop policy if exists "caller settings probe joins" on realtime.messages;
drop table if exists ${S}.caller_settings_rows;
drop function if exists ${S}.stamp_caller_settings();
drop function if exists ${S}.caller_settings();
commit;
`;

let db: pg.Client;
let token: string;
let client: SupabaseClient;
beforeAll(async () => {
  db = new pg.Client({ connectionString: stackEnv().dbUrl });
  await db.connect();
  await db.query(DDL);
  await db.query(`notify pgrst, 'reload schema'`);
  token = await signUserToken(USER);
  client = userClient(token);
  await client.realtime.setAuth(token);
});
afterAll(async () => {
  await client.removeAllChannels();
  await db.query(TEARDOWN);
  await db.end();
});

describe("each door sets PostgREST's caller settings", () => {
  it('REST: an RPC sees the role, claims and the request', async () => {
    const env = stackEnv();
    const deadline = Date.now() + 20_000;
    let res: Response;
    // The schema cache reloads on NOTIFY; the RPC is there once it has.
    for (;;) {
      res = await fetch(`${env.url}/rest/v1/rpc/caller_settings`, {
        method: 'POST',
        headers: { apikey: env.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Content-Profile': S, 'X-Probe': 'rest', Cookie: 'probe=1' },
        body: '{}',
      });
      if (res.status !== 404 || Date.now() > deadline) break;
      await res.body?.cancel();
      await db.query(`notify pgrst, 'reload schema'`);
    }
    const seen = (await res.json()) as Record<string, string>;
    expect({ ...seen, headers: undefined }).toEqual({
      role: 'authenticated',
      sub: USER,
      claims_role: 'authenticated',
      method: 'POST',
      path: '/rpc/caller_settings',
      headers: undefined,
      cookies: '{"probe":"1"}',
    });
    expect(JSON.parse(seen.headers!)).toMatchObject({ 'x-probe': 'rest', cookie: 'probe=1' });
  });

  it('Storage: an object row is written with the same settings, method and path as storage-api sets them', async () => {
    const name = `probe-${Date.now()}.txt`;
    const env = stackEnv();
    const res = await fetch(`${env.url}/storage/v1/object/${BUCKET}/${name}`, {
      method: 'POST',
      headers: { apikey: env.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain', 'X-Probe': 'storage', Cookie: 'probe=2' },
      body: 'hello',
    });
    expect(res.status).toBe(200);
    const { rows } = await db.query<{ seen: Record<string, string> }>(
      'select user_metadata as seen from storage.objects where bucket_id = $1 and name = $2',
      [BUCKET, name],
    );
    const seen = rows[0]!.seen;
    expect({ ...seen, headers: undefined }).toEqual({
      role: 'authenticated',
      sub: USER,
      claims_role: 'authenticated',
      method: 'POST',
      path: `/object/${BUCKET}/${name}`,
      headers: undefined,
      cookies: '{"probe":"2"}',
    });
    expect(JSON.parse(seen.headers!)).toMatchObject({ 'x-probe': 'storage', cookie: 'probe=2' });
  });

  it('Realtime authorisation: the join probe runs with the same settings (a policy requiring them admits the user)', async () => {
    const channel = client.channel(`caller-settings-${Date.now()}`, { config: { private: true } });
    const { status, error } = await subscribe(channel);
    expect(error?.message).toBeUndefined();
    expect(status).toBe('SUBSCRIBED');
  });

  it('Realtime postgres_changes: the row check runs with the same settings (a policy requiring them lets the change through)', async () => {
    const inbox = new Inbox<{ new: { id: number } }>();
    const channel = client
      .channel(`caller-settings-changes-${Date.now()}`)
      .on('postgres_changes', { event: 'INSERT', schema: S, table: 'caller_settings_rows' } as never, (payload: { new: { id: number } }) => inbox.push(payload));
    expect((await subscribe(channel)).status).toBe('SUBSCRIBED');
    await db.query(`insert into ${S}.caller_settings_rows values (1, $1)`, [USER]);
    const change = await inbox.first(5_000, 'the inserted row');
    expect(change.new.id).toBe(1);
  });
});
