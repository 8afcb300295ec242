-- Account administration: admins list users by status and suspend, unsuspend, ban, unban or
-- reactivate (after the user's own deactivation) them with a reason; every action is audited in
-- account_actions. Status changes reach the user's JWT at the next
-- refresh, which the custom access token hook then refuses.
-- Objects: table account_actions; functions private.set_account_status, public.admin_suspend_user,
-- public.admin_unsuspend_user, public.admin_ban_user, public.admin_unban_user,
-- public.admin_reactivate_user, public.admin_list_users.

create table public.account_actions (
  id bigint generated always as identity primary key,
  user_id uuid references auth.users (id) on delete set null,
  admin_id uuid references auth.users (id) on delete set null,
  action text not null constraint account_actions_action check (action in ('suspend', 'unsuspend', 'ban', 'unban', 'reactivate')),
  reason text not null default '' constraint account_actions_reason_length check (char_length(reason) <= 1000),
  from_status public.account_status not null,
  to_status public.account_status not null,
  created_at timestamptz not null default now()
);
comment on table public.account_actions is 'The audit of admins'' account actions. Rows are never changed; admins read them.';
create index account_actions_user_id_idx on public.account_actions (user_id, created_at desc);
create index account_actions_admin_id_idx on public.account_actions (admin_id);
alter table public.account_actions enable row level security;
revoke insert, update, delete, truncate on public.account_actions from anon, authenticated;

create policy "admins can read account actions" on public.account_actions
  for select to authenticated using ((select private.has_role('admin')));

-- Definer: status is guarded from every API role; this is the audited way admins change it.
create function private.set_account_status(
  p_user_id uuid,
  p_action text,
  p_from public.account_status[],
  p_to public.account_status,
  p_reason text
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_current public.account_status;
  v_username text;
begin
  if not (private.has_role('admin') and private.is_active()) then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if p_user_id = auth.uid() then
    raise exception 'You cannot change the status of your own account.' using errcode = 'P0001';
  end if;
  if char_length(coalesce(p_reason, '')) > 1000 then
    raise exception 'Ensure the reason has no more than 1000 characters.' using errcode = '22001';
  end if;

  select p.status, p.username::text into v_current, v_username from public.profiles p where p.id = p_user_id for update;
  if not found then
    raise exception 'User not found.' using errcode = 'P0002';
  end if;
  if not (v_current = any (p_from)) then
    raise exception 'User % is %, so it cannot be %.', v_username, v_current,
      case p_action when 'suspend' then 'suspended' when 'unsuspend' then 'unsuspended' when 'ban' then 'banned'
        when 'unban' then 'unbanned' else 'reactivated' end
      using errcode = 'P0001';
  end if;

  update public.profiles set status = p_to where id = p_user_id;
  insert into public.account_actions (user_id, admin_id, action, reason, from_status, to_status)
  values (p_user_id, auth.uid(), p_action, coalesce(btrim(p_reason), ''), v_current, p_to);
  return jsonb_build_object(
    'detail', format('User %s %s.', v_username,
      case p_action when 'suspend' then 'suspended' when 'unsuspend' then 'unsuspended' when 'ban' then 'banned'
        when 'unban' then 'unbanned' else 'reactivated' end),
    'status', p_to
  );
end;
$$;
revoke execute on function private.set_account_status(uuid, text, public.account_status[], public.account_status, text)
  from public, anon, authenticated;

-- Definer wrappers (the four below, and admin_reactivate_user): they only forward to private.set_account_status, which checks the admin claim.
create function public.admin_suspend_user(p_user_id uuid, p_reason text default '')
returns jsonb language sql security definer set search_path = ''
as $$ select private.set_account_status(p_user_id, 'suspend', array['active']::public.account_status[], 'suspended', p_reason); $$;

create function public.admin_unsuspend_user(p_user_id uuid, p_reason text default '')
returns jsonb language sql security definer set search_path = ''
as $$ select private.set_account_status(p_user_id, 'unsuspend', array['suspended']::public.account_status[], 'active', p_reason); $$;

create function public.admin_ban_user(p_user_id uuid, p_reason text default '')
returns jsonb language sql security definer set search_path = ''
as $$ select private.set_account_status(p_user_id, 'ban', array['active', 'suspended', 'deactivated']::public.account_status[], 'banned', p_reason); $$;

create function public.admin_unban_user(p_user_id uuid, p_reason text default '')
returns jsonb language sql security definer set search_path = ''
as $$ select private.set_account_status(p_user_id, 'unban', array['banned']::public.account_status[], 'active', p_reason); $$;

-- A deactivated user cannot sign in to undo it (nor to delete the account); an admin can, on request.
create function public.admin_reactivate_user(p_user_id uuid, p_reason text default '')
returns jsonb language sql security definer set search_path = ''
as $$ select private.set_account_status(p_user_id, 'reactivate', array['deactivated']::public.account_status[], 'active', p_reason); $$;

revoke execute on function public.admin_suspend_user(uuid, text), public.admin_unsuspend_user(uuid, text),
  public.admin_ban_user(uuid, text), public.admin_unban_user(uuid, text), public.admin_reactivate_user(uuid, text)
  from public, anon;
grant execute on function public.admin_suspend_user(uuid, text), public.admin_unsuspend_user(uuid, text),
  public.admin_ban_user(uuid, text), public.admin_unban_user(uuid, text), public.admin_reactivate_user(uuid, text)
  to authenticated;

-- Definer: admins need emails and sign-in times from auth.users, which the API roles cannot read.
create function public.admin_list_users(p_status public.account_status default null, p_search text default null)
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
  if not (private.has_role('admin') and private.is_active()) then
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
comment on function public.admin_list_users(public.account_status, text) is 'Admins only: users with their status and role, optionally by status and a search string.';
revoke execute on function public.admin_list_users(public.account_status, text) from public, anon;
grant execute on function public.admin_list_users(public.account_status, text) to authenticated;
