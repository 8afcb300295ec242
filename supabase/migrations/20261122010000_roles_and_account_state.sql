-- Roles and account state: the `private` schema, the enums the account model uses, `user_roles`, and
-- the helpers every policy reads (`private.has_role`, `private.is_active`).
-- Objects: schema private; types app_role, account_status; table user_roles; functions
-- private.has_role, private.is_active, private.has_required_aal.

create schema if not exists private;
comment on schema private is 'Never exposed through the API: codes, outboxes and security-definer helpers.';
revoke all on schema private from public, anon, authenticated;
grant usage on schema private to authenticated, anon, service_role, supabase_auth_admin;

-- Functions created from here on are executable only where a migration grants it: PUBLIC's
-- execute is a global default, anon's and authenticated's come from Supabase's grants on public.
alter default privileges revoke execute on functions from public;
alter default privileges in schema public revoke execute on functions from anon, authenticated;

create extension if not exists citext with schema extensions;

create type public.app_role as enum ('visitor', 'creator', 'admin');
create type public.account_status as enum ('active', 'deactivated', 'suspended', 'banned');

create table public.user_roles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  role public.app_role not null default 'visitor',
  updated_at timestamptz not null default now()
);
comment on table public.user_roles is
  'One role per user (visitor by default). Copied into the JWT as `user_role` by the custom access token hook, so a change takes effect at the next token refresh.';
alter table public.user_roles enable row level security;

-- Roles are public badges (a profile shows `user_group`); only admins change them.
revoke insert, update, delete, truncate on public.user_roles from anon, authenticated;
grant update (role) on public.user_roles to authenticated;

-- The JWT claims policies read: `user_role` and `account_status`, injected by the hook.
create function private.has_role(p_role public.app_role)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'user_role', '') = p_role::text;
$$;
comment on function private.has_role(public.app_role) is 'True when the caller''s JWT carries this user_role claim.';

create function private.is_active()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'account_status', '') = 'active';
$$;
comment on function private.is_active() is
  'True when the caller''s JWT says the account is active. Suspended, banned and deactivated accounts write nothing.';

-- Definer: auth.mfa_factors is not readable by the API roles.
create function private.has_required_aal()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'aal', '') = 'aal2'
    or not exists (
      select 1 from auth.mfa_factors f where f.user_id = auth.uid() and f.status = 'verified'
    );
$$;
comment on function private.has_required_aal() is
  'aal2 once the caller has a verified MFA factor; aal1 is enough before that (Supabase''s documented MFA rule).';

grant execute on function private.has_role(public.app_role), private.is_active() to anon, authenticated, service_role;
grant execute on function private.has_required_aal() to authenticated, service_role;

create policy "anyone can read roles" on public.user_roles
  for select to anon, authenticated using (true);
create policy "admins can change roles" on public.user_roles
  for update to authenticated
  using ((select private.has_role('admin')) and (select private.is_active()))
  with check ((select private.has_role('admin')) and (select private.is_active()));
