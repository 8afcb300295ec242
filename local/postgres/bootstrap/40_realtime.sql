-- Realtime: what the Supabase Postgres image (20211118015519_create-realtime-schema and its
-- permission migrations) and the Realtime service's tenant migrations leave in a new project (the
-- service's own dump, priv/repo/tenant_db_dump_17.sql, is the reference for the end state).
--
-- Objects touched: schema realtime; table realtime.messages (partitioned by day on inserted_at, with
-- the daily partitions the service keeps around today); realtime.schema_migrations; functions
-- realtime.topic(), realtime.send(), realtime.send_binary(), realtime.broadcast_changes().
--
-- Not reproduced: realtime.subscription and the WAL/RLS machinery (apply_rls, list_changes, cast,
-- check_equality_op, …) the hosted service uses internally for postgres_changes.
--
-- Runs as supabase_admin on every start: guarded creates and create-or-replace functions. The
-- daily partitions come from local/postgres/realtime-partitions.ts (after this file, then hourly).

-- Schema ------------------------------------------------------------------------------------------

create schema if not exists realtime authorization supabase_admin;
grant usage on schema realtime to postgres with grant option;
grant usage on schema realtime to anon, authenticated, service_role;
grant all on schema realtime to supabase_realtime_admin with grant option;

-- The role that owns Realtime's objects. On Supabase, postgres reaches realtime.messages policies
-- either through supautils' policy_grants or by membership; without supautils, membership it is.
alter role supabase_realtime_admin set search_path to public, extensions, realtime;
grant supabase_realtime_admin to postgres;

alter default privileges for role supabase_admin in schema realtime grant all on tables to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema realtime grant all on sequences to postgres, dashboard_user;
alter default privileges for role supabase_admin in schema realtime grant all on functions to postgres, dashboard_user;

-- Tables ------------------------------------------------------------------------------------------

do $$
begin
  -- Ecto's ledger of the service's migrations (readable by nobody but its owner).
  if to_regclass('realtime.schema_migrations') is null then
    create table realtime.schema_migrations (
      version bigint not null primary key,
      inserted_at timestamp(0) without time zone default now()
    );
    revoke all on realtime.schema_migrations from postgres, dashboard_user;
  end if;

  if to_regclass('realtime.messages') is null then
    create table realtime.messages (
      topic text not null,
      extension text not null,
      payload jsonb,
      event text,
      private boolean default false,
      updated_at timestamp without time zone not null default now(),
      inserted_at timestamp without time zone not null default now(),
      id uuid not null default gen_random_uuid(),
      binary_payload bytea,
      constraint messages_pkey primary key (id, inserted_at),
      constraint messages_payload_exclusive check (payload is null or binary_payload is null)
    ) partition by range (inserted_at);
    create index messages_inserted_at_topic_index
      on realtime.messages (inserted_at desc, topic)
      where extension = 'broadcast' and private is true;
    -- RLS on and no policies: private channels are closed until a migration adds policies, as on
    -- Supabase. The API roles may read and write rows that policies allow (channel authorisation
    -- runs a select/insert on this table as the connecting user).
    alter table realtime.messages enable row level security;
    grant all on table realtime.messages to postgres, dashboard_user;
    grant select, insert, update on table realtime.messages to anon, authenticated, service_role;
  end if;
end
$$;

alter table realtime.messages owner to supabase_realtime_admin;
comment on table realtime.messages is
  'Broadcast messages and channel authorisation: policies on this table decide who may join, read and send on private channels.';
comment on table realtime.schema_migrations is 'Migrations applied by the Realtime service.';

-- The daily partitions (yesterday … today + 3) are created right after the bootstrap files and then
-- hourly by the Realtime service, from one statement: local/postgres/realtime-partitions.ts.

-- Functions ---------------------------------------------------------------------------------------

-- The channel topic being authorised or sent to; policies on realtime.messages compare against it.
create or replace function realtime.topic()
returns text
language sql
stable
as $function$
  select nullif(current_setting('realtime.topic', true), '')::text;
$function$;

-- Broadcasts payload as event on topic from the database. Runs as the caller (security invoker): the
-- insert is subject to realtime.messages policies. A failure never aborts the caller's transaction;
-- it is reported as a warning. The payload gets an "id" (the message id) unless it has one.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true)
returns void
language plpgsql
as $function$
declare
  message_id uuid := gen_random_uuid();
  body jsonb;
begin
  begin
    body := case when payload ? 'id' then payload else jsonb_set(payload, '{id}', to_jsonb(message_id)) end;
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (message_id, body, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$function$;

-- As realtime.send, for a binary payload.
create or replace function realtime.send_binary(payload bytea, event text, topic text, private boolean default true)
returns void
language plpgsql
as $function$
declare
  message_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, binary_payload, event, topic, private, extension)
    values (message_id, payload, event, topic, private, 'broadcast');
  exception
    when others then
      raise warning 'WarnSendingBroadcastMessage: %', sqlerrm;
  end;
end;
$function$;

-- For row triggers: broadcasts {operation, table, schema, record, old_record} as event_name on
-- topic_name (a private channel). Typical use:
--   perform realtime.broadcast_changes('room:' || new.room_id, tg_op, tg_op, tg_table_name,
--     tg_table_schema, new, old);
create or replace function realtime.broadcast_changes(
  topic_name text,
  event_name text,
  operation text,
  table_name text,
  table_schema text,
  new record,
  old record,
  level text default 'ROW'
)
returns void
language plpgsql
as $function$
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation not in ('INSERT', 'UPDATE', 'DELETE') then
    raise exception 'Unexpected operation type: %', operation;
  end if;
  perform realtime.send(
    jsonb_build_object(
      'old_record', old,
      'record', new,
      'operation', operation,
      'table', table_name,
      'schema', table_schema),
    event_name,
    topic_name);
exception
  when others then
    raise exception 'Failed to process the row: %', sqlerrm;
end;
$function$;

do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
    from pg_proc p
    where p.pronamespace = 'realtime'::regnamespace
      and p.proname in ('topic', 'send', 'send_binary', 'broadcast_changes')
  loop
    execute format('alter function %s owner to supabase_realtime_admin', f);
    execute format('grant all on function %s to postgres, dashboard_user', f);
  end loop;
end
$$;
