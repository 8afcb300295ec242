-- Platform roles, as the Supabase Postgres image creates them before any user migration runs
-- (init-scripts/00000000000000-initial-schema.sql and the image's later role migrations).
-- Runs as supabase_admin, the cluster's superuser, on every start: every statement is idempotent.

do $$
declare
  r record;
begin
  for r in
    select * from (values
      ('postgres',                   'login createrole createdb replication bypassrls'),
      ('anon',                       'nologin noinherit'),
      ('authenticated',              'nologin noinherit'),
      ('service_role',               'nologin noinherit bypassrls'),
      ('authenticator',              'login noinherit'),
      ('supabase_auth_admin',        'login noinherit createrole noreplication'),
      ('supabase_storage_admin',     'login noinherit createrole noreplication'),
      ('supabase_realtime_admin',    'nologin noinherit noreplication'),
      ('supabase_replication_admin', 'login replication'),
      ('supabase_read_only_user',    'login bypassrls'),
      ('dashboard_user',             'nologin createrole createdb replication'),
      ('pgbouncer',                  'login')
    ) as roles(name, attributes)
  loop
    if not exists (select 1 from pg_roles where rolname = r.name) then
      execute format('create role %I %s', r.name, r.attributes);
    end if;
  end loop;
end
$$;

-- As on Supabase, postgres owns the database (and so, through pg_database_owner, schema public).
do $$ begin execute format('alter database %I owner to postgres', current_database()); end $$;

-- The API roles inherit so that `set role` from authenticator works (image migration
-- 20230529180330_alter_api_roles_for_inherit).
alter role anon inherit;
alter role authenticated inherit;
alter role service_role inherit;

-- PostgREST's connection role may become any API role; postgres may act as them too.
grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to postgres;
-- Storage switches roles through authenticator, not directly (image migration 20231013070755).
grant authenticator to supabase_storage_admin;
do $$
declare
  api_role text;
begin
  foreach api_role in array array['anon', 'authenticated', 'service_role'] loop
    if exists (
      select 1 from pg_auth_members
      where roleid = api_role::regrole and member = 'supabase_storage_admin'::regrole
    ) then
      execute format('revoke %I from supabase_storage_admin', api_role);
    end if;
  end loop;
end
$$;
grant pg_read_all_data to supabase_read_only_user;
-- Supabase's docs have postgres tune the API through authenticator's settings (`alter role
-- authenticator set pgrst.…`); from Postgres 16 that needs admin option on the role, and nothing more.
grant authenticator to postgres with admin option, inherit false, set false;
-- ALTER ROLE … SET of a custom setting also needs SET on it (supautils allows this on Supabase):
-- PostgREST's in-database configuration.
grant set on parameter
  pgrst.db_aggregates_enabled, pgrst.db_anon_role, pgrst.db_extra_search_path, pgrst.db_max_rows,
  pgrst.db_plan_enabled, pgrst.db_pre_request, pgrst.db_prepared_statements, pgrst.db_root_spec,
  pgrst.db_schemas, pgrst.db_tx_end, pgrst.jwt_aud, pgrst.jwt_role_claim_key, pgrst.jwt_secret,
  pgrst.jwt_secret_is_base64, pgrst.jwt_cache_max_lifetime, pgrst.openapi_mode,
  pgrst.openapi_security_active, pgrst.server_cors_allowed_origins, pgrst.server_timing_enabled
to postgres;
grant pg_read_all_data, pg_signal_backend, pg_monitor to postgres;

-- Short timeouts for the API roles, as on Supabase.
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
alter role authenticator set statement_timeout = '8s';
alter role authenticator set lock_timeout = '8s';

alter role supabase_admin set search_path = public, extensions;
alter role postgres set search_path = "$user", public, extensions;
alter role supabase_auth_admin set search_path = auth;
alter role supabase_storage_admin set search_path = storage;
alter role supabase_auth_admin set idle_in_transaction_session_timeout = 60000;
