-- Live admin rights and private roles (issue 7, items 2 and 8).
-- A JWT keeps `user_role = admin` for up to an hour after the role is removed, so every admin-only
-- decision now also checks the live row: the caller's user_roles row says admin and their profile is
-- active (`private.is_admin`). Nobody changes their own role, whatever the door, except `postgres`
-- (the dashboard), which has no user. Who the admins are is no longer public: anon and other users
-- see creator badges only; an admin shows as a visitor to everyone but themself and other admins.
-- Objects: function private.is_admin, private.refuse_own_role_change; trigger
-- user_roles_refuse_own_change; policies on user_roles, profiles, account_actions (replaced);
-- function public.admin_list_users (admin check replaced; private.set_account_status is replaced by
-- the account audit migration that follows).

-- Definer: it reads the caller's own user_roles and profiles rows from inside those tables' policies,
-- where an invoker call would recurse into the same policies.
create function private.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.has_role('admin')
    and coalesce(auth.jwt() ->> 'account_status', '') = 'active'
    and exists (
      select 1
      from public.user_roles r
      join public.profiles p on p.id = r.user_id
      where r.user_id = auth.uid() and r.role = 'admin' and p.status = 'active'
    );
$$;
comment on function private.is_admin() is
  'True when the caller is an admin now: the JWT says admin and active, and so do their user_roles and profiles rows. Policies call it as (select private.is_admin()).';
revoke execute on function private.is_admin() from public, anon;
grant execute on function private.is_admin() to authenticated, service_role;

-- Roles: creator is a public badge; anything else is read by its owner and by admins only.
drop policy "anyone can read roles" on public.user_roles;
create policy "anyone can see creator badges" on public.user_roles
  for select to anon using (role = 'creator');
create policy "users see their own role, creator badges, and admins every role" on public.user_roles
  for select to authenticated
  using (user_id = (select auth.uid()) or role = 'creator' or (select private.is_admin()));

drop policy "admins can change roles" on public.user_roles;
create policy "admins can change other users' roles" on public.user_roles
  for update to authenticated
  using ((select private.is_admin()) and user_id <> (select auth.uid()))
  with check ((select private.is_admin()) and user_id <> (select auth.uid()));

-- Invoker: it only reads the request's JWT claims. The trigger is the wall for every door a user
-- reaches (REST, RPCs running as definer); postgres without JWT claims (the dashboard) passes.
create function private.refuse_own_role_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if auth.uid() is not null and auth.uid() = coalesce(new.user_id, old.user_id) then
    raise exception 'You cannot change your own role.' using errcode = '42501';
  end if;
  return coalesce(new, old);
end;
$$;
comment on function private.refuse_own_role_change() is
  'Refuses a change to the caller''s own user_roles row, whoever the caller is (admins included).';
revoke execute on function private.refuse_own_role_change() from public, anon, authenticated;

create trigger user_roles_refuse_own_change before insert or update or delete on public.user_roles
  for each row execute function private.refuse_own_role_change();

-- Admins read every profile (suspended and banned ones too) only while they are admins.
drop policy "users can read their own, active and unblocked profiles" on public.profiles;
create policy "users can read their own, active and unblocked profiles" on public.profiles
  for select to authenticated
  using (
    id = (select auth.uid())
    or (select private.is_admin())
    or (status = 'active' and not (id = any ((select private.blocked_user_ids())::uuid[])))
  );

drop policy "admins can read account actions" on public.account_actions;
create policy "admins can read account actions" on public.account_actions
  for select to authenticated using ((select private.is_admin()));

-- admin_list_users: same result, live admin check.
create or replace function public.admin_list_users(p_status public.account_status default null, p_search text default null)
returns table (
  id uuid,
  username text,
  email text,
  phone text,
  status public.account_status,
  role public.app_role,
  created_at timestamptz,
  last_sign_in_at timestamptz
)
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  return query
    select p.id, p.username::text, u.email::text, u.phone::text, p.status, coalesce(r.role, 'visitor'::public.app_role),
      p.created_at, u.last_sign_in_at
    from public.profiles p
    join auth.users u on u.id = p.id
    left join public.user_roles r on r.user_id = p.id
    where (p_status is null or p.status = p_status)
      and (
        nullif(btrim(p_search), '') is null
        or strpos(lower(p.username::text), lower(btrim(p_search))) > 0
        or strpos(lower(coalesce(u.email, '')), lower(btrim(p_search))) > 0
      )
    order by p.created_at desc, p.id;
end;
$$;
