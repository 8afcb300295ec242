-- Storage: what the Supabase Postgres image (init-scripts/00000000000002-storage-schema.sql and the
-- image's later grants) and the storage-api tenant migrations (migrations/tenant/0002 … 0063) leave in a
-- new project, before any user migration runs. Same names, columns, defaults, owners, RLS and grants.
--
-- Objects touched: schema storage; type storage.buckettype; tables storage.migrations, storage.buckets,
-- storage.objects, storage.s3_multipart_uploads, storage.s3_multipart_uploads_parts,
-- storage.buckets_analytics, storage.buckets_vectors, storage.vector_indexes; the helper functions
-- policies use (foldername, filename, extension, operation, allow_only_operation, allow_any_operation),
-- search, get_size_by_bucket, can_insert_object and the service's triggers.
--
-- Not reproduced: the iceberg catalog tables and the S3-protocol listing functions
-- (search_v2, search_by_timestamp, list_objects_with_delimiter, list_multipart_uploads_with_delimiter),
-- which only the hosted Storage service's S3 and analytics endpoints call.
--
-- Runs as supabase_admin on every start. Tables and their API-role grants are created once (guarded
-- blocks), so a user migration that later changes a grant is not undone by a restart; functions,
-- triggers and owners are (re)declared idempotently.

-- Schema ------------------------------------------------------------------------------------------

-- The image creates the schema as supabase_admin; the storage service's own role may do anything in it.
create schema if not exists storage authorization supabase_admin;
grant usage on schema storage to postgres, anon, authenticated, service_role;
grant all on schema storage to supabase_storage_admin;
grant all on schema storage to postgres; -- image migration 10000000000000_demote-postgres
alter role supabase_storage_admin set search_path = storage;

-- postgres may act as the storage admin (to create policies on storage.objects from migrations), as
-- after image migration 20220609081115; the service's role can switch to the API roles through
-- authenticator (20231013070755).
grant supabase_storage_admin to postgres;
grant authenticator to supabase_storage_admin;

-- Objects created in storage by either the image (supabase_admin) or the service
-- (supabase_storage_admin) are reachable by the API roles; RLS is the gate.
alter default privileges for role supabase_admin in schema storage
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema storage
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_admin in schema storage
  grant all on sequences to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on tables to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on functions to postgres, anon, authenticated, service_role;
alter default privileges for role supabase_storage_admin in schema storage
  grant all on sequences to postgres, anon, authenticated, service_role;

-- Types -------------------------------------------------------------------------------------------

do $$
begin
  if to_regtype('storage.buckettype') is null then
    create type storage.buckettype as enum ('STANDARD', 'ANALYTICS', 'VECTOR');
  end if;
end
$$;
alter type storage.buckettype owner to supabase_storage_admin;

-- Tables ------------------------------------------------------------------------------------------

do $$
begin
  -- The service's own migration ledger (postgres-migrations' layout).
  if to_regclass('storage.migrations') is null then
    create table storage.migrations (
      id integer primary key,
      name varchar(100) not null unique,
      hash varchar(40) not null,
      executed_at timestamp default current_timestamp
    );
    alter table storage.migrations enable row level security;
    grant all on table storage.migrations to postgres, anon, authenticated, service_role;
  end if;

  if to_regclass('storage.buckets') is null then
    create table storage.buckets (
      id text not null primary key,
      name text not null,
      owner uuid,
      created_at timestamptz default now(),
      updated_at timestamptz default now(),
      public boolean default false,
      avif_autodetection boolean default false,
      file_size_limit bigint,
      allowed_mime_types text[],
      owner_id text,
      type storage.buckettype not null default 'STANDARD',
      versioning_status text not null default 'DISABLED',
      constraint buckets_versioning_status_check
        check (versioning_status in ('DISABLED', 'ENABLED', 'SUSPENDED')),
      constraint buckets_versioning_standard_only_check
        check (type = 'STANDARD' or versioning_status = 'DISABLED'),
      constraint buckets_versioning_dark_check
        check (versioning_status = 'DISABLED')
    );
    create unique index bname on storage.buckets using btree (name);
    alter table storage.buckets enable row level security;
    grant all on table storage.buckets to postgres with grant option;
    grant all on table storage.buckets to anon, authenticated, service_role;
  end if;

  if to_regclass('storage.objects') is null then
    create table storage.objects (
      id uuid not null default gen_random_uuid() primary key,
      bucket_id text,
      name text,
      owner uuid,
      created_at timestamptz default now(),
      updated_at timestamptz default now(),
      last_accessed_at timestamptz default now(),
      metadata jsonb,
      path_tokens text[] generated always as (string_to_array(name, '/')) stored,
      version text,
      owner_id text,
      user_metadata jsonb,
      archived_at timestamptz,
      is_delete_marker boolean not null default false,
      is_versioned boolean not null default false,
      constraint "objects_bucketId_fkey" foreign key (bucket_id) references storage.buckets (id)
    );
    create unique index bucketid_objname on storage.objects using btree (bucket_id, name);
    create index name_prefix_search on storage.objects (name text_pattern_ops);
    create index idx_objects_bucket_id_name on storage.objects (bucket_id, (name collate "C"));
    create index idx_objects_bucket_id_name_lower on storage.objects (bucket_id, (lower(name) collate "C"));
    -- RLS on, and no policies: nothing is readable or writable by anon/authenticated until a
    -- migration adds policies, exactly as on a new Supabase project.
    alter table storage.objects enable row level security;
    grant all on table storage.objects to postgres with grant option;
    grant all on table storage.objects to anon, authenticated, service_role;
  end if;

  if to_regclass('storage.s3_multipart_uploads') is null then
    create table storage.s3_multipart_uploads (
      id text primary key,
      in_progress_size bigint not null default 0,
      upload_signature text not null,
      bucket_id text not null references storage.buckets (id),
      key text collate "C" not null,
      version text not null,
      owner_id text,
      created_at timestamptz not null default now(),
      user_metadata jsonb,
      metadata jsonb
    );
    create index idx_multipart_uploads_list
      on storage.s3_multipart_uploads (bucket_id, key, created_at asc);
    alter table storage.s3_multipart_uploads enable row level security;
    -- The S3 protocol's bookkeeping: readable by the API roles, written by the service only.
    grant all on table storage.s3_multipart_uploads to postgres, service_role;
    grant select on table storage.s3_multipart_uploads to anon, authenticated;
  end if;

  if to_regclass('storage.s3_multipart_uploads_parts') is null then
    create table storage.s3_multipart_uploads_parts (
      id uuid primary key default gen_random_uuid(),
      upload_id text not null references storage.s3_multipart_uploads (id) on delete cascade,
      size bigint not null default 0,
      part_number integer not null,
      bucket_id text not null references storage.buckets (id),
      key text collate "C" not null,
      etag text not null,
      owner_id text,
      version text not null,
      created_at timestamptz not null default now()
    );
    alter table storage.s3_multipart_uploads_parts enable row level security;
    grant all on table storage.s3_multipart_uploads_parts to postgres, service_role;
    grant select on table storage.s3_multipart_uploads_parts to anon, authenticated;
  end if;

  if to_regclass('storage.buckets_analytics') is null then
    create table storage.buckets_analytics (
      name text not null,
      type storage.buckettype not null default 'ANALYTICS',
      format text not null default 'ICEBERG',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      id uuid not null default gen_random_uuid() primary key,
      deleted_at timestamptz
    );
    create unique index buckets_analytics_unique_name_idx
      on storage.buckets_analytics (name) where deleted_at is null;
    alter table storage.buckets_analytics enable row level security;
    grant all on table storage.buckets_analytics to postgres, anon, authenticated, service_role;
  end if;

  if to_regclass('storage.buckets_vectors') is null then
    create table storage.buckets_vectors (
      id text not null primary key,
      type storage.buckettype not null default 'VECTOR',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    alter table storage.buckets_vectors enable row level security;
    grant all on table storage.buckets_vectors to postgres, anon, authenticated, service_role;
  end if;

  if to_regclass('storage.vector_indexes') is null then
    create table storage.vector_indexes (
      id text primary key default gen_random_uuid(),
      name text collate "C" not null,
      bucket_id text not null references storage.buckets_vectors (id),
      data_type text not null,
      dimension integer not null,
      distance_metric text not null,
      metadata_configuration jsonb,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index vector_indexes_name_bucket_id_idx on storage.vector_indexes (name, bucket_id);
    alter table storage.vector_indexes enable row level security;
    grant all on table storage.vector_indexes to postgres, anon, authenticated, service_role;
  end if;
end
$$;

comment on table storage.migrations is 'Migrations applied by the Storage service (postgres-migrations ledger).';
comment on table storage.buckets is 'Storage buckets: visibility, size and MIME limits.';
comment on table storage.objects is 'One row per stored object; policies on this table authorise every Storage API call.';
comment on table storage.s3_multipart_uploads is 'S3-protocol multipart uploads in progress.';
comment on table storage.s3_multipart_uploads_parts is 'Parts uploaded for S3-protocol multipart uploads.';
comment on table storage.buckets_analytics is 'Analytics (Iceberg) buckets.';
comment on table storage.buckets_vectors is 'Vector buckets.';
comment on table storage.vector_indexes is 'Indexes inside vector buckets.';
comment on column storage.buckets.owner is 'Field is deprecated, use owner_id instead';
comment on column storage.objects.owner is 'Field is deprecated, use owner_id instead';

alter table storage.migrations owner to supabase_storage_admin;
alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter table storage.s3_multipart_uploads owner to supabase_storage_admin;
alter table storage.s3_multipart_uploads_parts owner to supabase_storage_admin;
alter table storage.buckets_analytics owner to supabase_storage_admin;
alter table storage.buckets_vectors owner to supabase_storage_admin;
alter table storage.vector_indexes owner to supabase_storage_admin;

-- Path helpers used in policies ------------------------------------------------------------------

-- 'a/b/c.png' -> {a,b}: the folders above the object.
create or replace function storage.foldername(name text)
returns text[]
language plpgsql
immutable
as $function$
declare
  segments text[] := string_to_array(name, '/');
begin
  return segments[1 : array_length(segments, 1) - 1];
end
$function$;

-- 'a/b/c.png' -> 'c.png': the last path segment.
create or replace function storage.filename(name text)
returns text
language plpgsql
immutable
as $function$
declare
  segments text[] := string_to_array(name, '/');
begin
  return segments[array_length(segments, 1)];
end
$function$;

-- 'a/b/c.tar.gz' -> 'gz': what follows the last dot of the file name (the whole name when none).
create or replace function storage.extension(name text)
returns text
language plpgsql
immutable
as $function$
declare
  segments text[] := string_to_array(name, '/');
  file text;
begin
  file := segments[array_length(segments, 1)];
  return reverse(split_part(reverse(file), '.', 1));
end
$function$;

-- The Storage API operation being authorised (e.g. 'storage.object.upload'), set per request by the
-- service as the transaction-local setting storage.operation.
create or replace function storage.operation()
returns text
language plpgsql
stable
as $function$
begin
  return current_setting('storage.operation', true);
end;
$function$;

-- True when the current operation is expected_operation; the 'storage.' prefix is optional on both sides.
create or replace function storage.allow_only_operation(expected_operation text)
returns boolean
language sql
stable
as $function$
  select case
    when coalesce(expected_operation, '') = '' then false
    else coalesce(
      regexp_replace(storage.operation(), '^storage\.', '') = regexp_replace(expected_operation, '^storage\.', ''),
      false)
  end;
$function$;

-- True when the current operation is any of expected_operations (same normalisation).
create or replace function storage.allow_any_operation(expected_operations text[])
returns boolean
language sql
stable
as $function$
  select exists (
    select 1
    from unnest(expected_operations) as expected(op)
    where coalesce(expected.op, '') <> ''
      and regexp_replace(expected.op, '^storage\.', '') = regexp_replace(storage.operation(), '^storage\.', '')
  );
$function$;

-- Listing ----------------------------------------------------------------------------------------

-- Given a key, a prefix and a delimiter: the key up to and including the first delimiter after the
-- prefix (the "folder" the key lives in), or null when the key is a leaf under the prefix.
create or replace function storage.get_common_prefix(p_key text, p_prefix text, p_delimiter text)
returns text
language sql
immutable
as $function$
  select case
    when strpos(substr(p_key, length(p_prefix) + 1), p_delimiter) > 0
      then left(p_key, length(p_prefix) + strpos(substr(p_key, length(p_prefix) + 1), p_delimiter))
    else null
  end;
$function$;

-- What storage-js `list(prefix, { limit, offset, search, sortBy })` reads: the entries one level
-- below prefix || search, folders (id null) and files, names relative to prefix. The prefix match is
-- case-insensitive; at most 1500 rows. levels is accepted for signature compatibility and unused, as
-- in the current service. Security invoker: storage.objects policies decide what is listed.
create or replace function storage.search(
  prefix text,
  bucketname text,
  limits integer default 100,
  levels integer default 1,
  offsets integer default 0,
  search text default '',
  sortcolumn text default 'name',
  sortorder text default 'asc'
)
returns table (
  name text,
  id uuid,
  updated_at timestamptz,
  created_at timestamptz,
  last_accessed_at timestamptz,
  metadata jsonb
)
language plpgsql
stable
security invoker
as $function$
declare
  v_base text := coalesce(prefix, '');
  v_match text := coalesce(prefix, '') || coalesce(search, '');
  v_limit integer := least(coalesce(limits, 100), 1500);
  v_desc boolean := lower(coalesce(sortorder, 'asc')) = 'desc';
  v_column text := lower(coalesce(sortcolumn, 'name'));
begin
  if v_column not in ('name', 'updated_at', 'created_at', 'last_accessed_at') then
    v_column := 'name';
  end if;

  return query
  with matched as (
    select o.*, storage.get_common_prefix(o.name, v_match, '/') as folder
    from storage.objects o
    where o.bucket_id = bucketname
      and lower(left(o.name, length(v_match))) = lower(v_match)
  ),
  entries as (
    -- folders: one row per distinct first segment below the match
    select
      substr(rtrim(min(m.folder), '/'), length(v_base) + 1) as e_name,
      null::uuid as e_id,
      null::timestamptz as e_updated_at,
      null::timestamptz as e_created_at,
      null::timestamptz as e_last_accessed_at,
      null::jsonb as e_metadata,
      case when v_desc then max(lower(m.name)) else min(lower(m.name)) end as sort_key,
      0 as kind
    from matched m
    where m.folder is not null
    group by lower(m.folder)
    union all
    -- files directly below the match
    select
      substr(m.name, length(v_base) + 1),
      m.id, m.updated_at, m.created_at, m.last_accessed_at, m.metadata,
      lower(m.name),
      1
    from matched m
    where m.folder is null
  )
  select e.e_name, e.e_id, e.e_updated_at, e.e_created_at, e.e_last_accessed_at, e.e_metadata
  from entries e
  order by
    -- name order interleaves folders and files by key; timestamp order lists folders first
    case when v_column = 'name' then null else e.kind end,
    case when v_column = 'name' and not v_desc then e.sort_key collate "C" end asc,
    case when v_column = 'name' and v_desc then e.sort_key collate "C" end desc,
    case when v_column = 'updated_at' and not v_desc then e.e_updated_at end asc,
    case when v_column = 'updated_at' and v_desc then e.e_updated_at end desc,
    case when v_column = 'created_at' and not v_desc then e.e_created_at end asc,
    case when v_column = 'created_at' and v_desc then e.e_created_at end desc,
    case when v_column = 'last_accessed_at' and not v_desc then e.e_last_accessed_at end asc,
    case when v_column = 'last_accessed_at' and v_desc then e.e_last_accessed_at end desc,
    e.e_name collate "C"
  limit v_limit
  offset coalesce(offsets, 0);
end;
$function$;

-- Bytes stored per bucket, from each object's metadata.size.
create or replace function storage.get_size_by_bucket()
returns table (size bigint, bucket_id text)
language plpgsql
stable
as $function$
begin
  return query
    select sum((o.metadata ->> 'size')::bigint)::bigint, o.bucket_id
    from storage.objects o
    group by o.bucket_id;
end
$function$;

-- Asks the policies whether the caller could insert this object, without keeping the row: inserts
-- it, then raises PT200 so the statement (and the row) is rolled back.
create or replace function storage.can_insert_object(bucketid text, name text, owner uuid, metadata jsonb)
returns void
language plpgsql
as $function$
begin
  insert into storage.objects (bucket_id, name, owner, metadata) values (bucketid, name, owner, metadata);
  raise sqlstate 'PT200' using message = 'ROLLBACK', detail = 'rollback successful insert';
end
$function$;

-- Triggers ---------------------------------------------------------------------------------------

create or replace function storage.update_updated_at_column()
returns trigger
language plpgsql
as $function$
begin
  new.updated_at := now();
  return new;
end;
$function$;

create or replace function storage.enforce_bucket_name_length()
returns trigger
language plpgsql
as $function$
begin
  if length(new.name) > 100 then
    raise exception 'bucket name "%" is too long (% characters). Max is 100.', new.name, length(new.name);
  end if;
  return new;
end;
$function$;

-- Rows of buckets/objects describe files held by the Storage service: deleting them directly would
-- orphan the files, so a delete must come from the service, which sets storage.allow_delete_query.
create or replace function storage.protect_delete()
returns trigger
language plpgsql
as $function$
begin
  if coalesce(current_setting('storage.allow_delete_query', true), 'false') <> 'true' then
    raise exception 'Direct deletion from storage tables is not allowed. Use the Storage API instead.'
      using hint = 'This prevents accidental data loss from orphaned objects.', errcode = '42501';
  end if;
  return null;
end;
$function$;

create or replace trigger update_objects_updated_at
  before update on storage.objects
  for each row execute function storage.update_updated_at_column();

create or replace trigger enforce_bucket_name_length_trigger
  before insert or update of name on storage.buckets
  for each row execute function storage.enforce_bucket_name_length();

create or replace trigger protect_buckets_delete
  before delete on storage.buckets
  for each statement execute function storage.protect_delete();

create or replace trigger protect_objects_delete
  before delete on storage.objects
  for each statement execute function storage.protect_delete();

-- Owners and execute grants (functions are executable by the API roles, as default privileges in
-- storage give them on Supabase).
do $$
declare
  f regprocedure;
begin
  for f in
    select p.oid::regprocedure
    from pg_proc p
    where p.pronamespace = 'storage'::regnamespace
      and p.proname in ('foldername', 'filename', 'extension', 'operation', 'allow_only_operation',
                        'allow_any_operation', 'get_common_prefix', 'search', 'get_size_by_bucket',
                        'can_insert_object', 'update_updated_at_column', 'enforce_bucket_name_length',
                        'protect_delete')
  loop
    execute format('alter function %s owner to supabase_storage_admin', f);
    execute format('grant all on function %s to postgres, anon, authenticated, service_role', f);
  end loop;
end
$$;
