-- The account audit, through every door (issue 7, items 1 and 2).
-- account_actions now records every status change (admin RPCs, the user's own deactivation, an admin
-- editing profiles.status as postgres in the dashboard), every role change (REST, RPC, dashboard) and
-- every account deletion, from triggers, with who acted: a user id, 'service_role', 'auth' (Supabase
-- Auth's own connection, e.g. the admin API deleting a user) or 'dashboard' (postgres without a JWT).
-- Rows outlive the account: user_id and admin_id are no longer foreign keys (deleting a user used to
-- set them null), and each row keeps a snapshot of the subject's username, email and phone. Rows are
-- never changed or removed, not even by postgres.
-- Objects: table account_actions (columns, constraints); functions private.current_actor,
-- private.record_account_action, private.audit_status_change, private.audit_role_change,
-- private.audit_account_deletion, private.refuse_audit_rewrite, private.set_account_status
-- (replaced); triggers profiles_audit_status_change, user_roles_audit_role_change,
-- auth_users_audit_deletion (on auth.users), account_actions_append_only.

create function private.current_actor()
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(
    auth.uid()::text,
    case
      when auth.role() = 'service_role' then 'service_role'
      when session_user = 'supabase_auth_admin' then 'auth'
      else 'dashboard'
    end
  );
$$;
comment on function private.current_actor() is
  'Who is acting in this transaction: the JWT''s user id, service_role, Auth''s own connection, or the dashboard (postgres).';
revoke execute on function private.current_actor() from public, anon, authenticated;

alter table public.account_actions
  drop constraint account_actions_user_id_fkey,
  drop constraint account_actions_admin_id_fkey,
  drop constraint account_actions_action,
  alter column from_status drop not null,
  alter column to_status drop not null,
  add column actor text,
  add column from_role public.app_role,
  add column to_role public.app_role,
  add column subject_username text,
  add column subject_email text,
  add column subject_phone text;

update public.account_actions a set
  actor = coalesce(a.admin_id::text, 'dashboard'),
  subject_username = (select p.username::text from public.profiles p where p.id = a.user_id),
  subject_email = (select u.email::text from auth.users u where u.id = a.user_id),
  subject_phone = (select u.phone::text from auth.users u where u.id = a.user_id);

alter table public.account_actions
  alter column actor set not null,
  alter column actor set default private.current_actor(),
  add constraint account_actions_action check (
    action in ('suspend', 'unsuspend', 'ban', 'unban', 'reactivate', 'deactivate', 'role_change', 'delete')
  ),
  add constraint account_actions_actor check (
    actor in ('dashboard', 'service_role', 'auth')
    or actor ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
  ),
  add constraint account_actions_role_change check ((action = 'role_change') = (from_role is not null or to_role is not null));

comment on table public.account_actions is
  'The audit of account status changes, role changes and deletions, whoever made them. Rows are never changed or removed and outlive the account; admins read them.';
comment on column public.account_actions.user_id is 'The subject''s id (kept after the account is deleted).';
comment on column public.account_actions.admin_id is 'The acting user''s id when a signed-in user acted, else null (see actor).';
comment on column public.account_actions.actor is 'Who acted: a user id, ''service_role'', ''auth'' (Supabase Auth itself) or ''dashboard'' (postgres).';
comment on column public.account_actions.subject_username is 'The subject''s username when the action was taken.';
comment on column public.account_actions.subject_email is 'The subject''s email when the action was taken.';
comment on column public.account_actions.subject_phone is 'The subject''s Auth phone when the action was taken.';


-- Definer: the audit is written whoever acts (Auth's role, an API role inside a definer RPC, postgres),
-- and reads the subject's email and phone from auth.users.
create function private.record_account_action(
  p_user_id uuid,
  p_action text,
  p_reason text,
  p_from_status public.account_status,
  p_to_status public.account_status,
  p_from_role public.app_role default null,
  p_to_role public.app_role default null
)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.account_actions (
    user_id, admin_id, actor, action, reason, from_status, to_status, from_role, to_role,
    subject_username, subject_email, subject_phone
  )
  select p_user_id, auth.uid(), private.current_actor(), p_action, coalesce(btrim(p_reason), ''), p_from_status, p_to_status,
    p_from_role, p_to_role,
    (select p.username::text from public.profiles p where p.id = p_user_id),
    (select u.email::text from auth.users u where u.id = p_user_id),
    (select u.phone::text from auth.users u where u.id = p_user_id);
$$;
comment on function private.record_account_action(uuid, text, text, public.account_status, public.account_status, public.app_role, public.app_role) is
  'Appends one account_actions row with the current actor and a snapshot of the subject.';
revoke execute on function private.record_account_action(uuid, text, text, public.account_status, public.account_status, public.app_role, public.app_role)
  from public, anon, authenticated;

-- Definer: see private.record_account_action (it runs as whoever changed the status).
-- The admin RPCs name their action and reason in the transaction setting marquee.account_action;
-- any other change (the user's own deactivation, the dashboard) is named after its transition.
create function private.audit_status_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_context jsonb := nullif(current_setting('marquee.account_action', true), '')::jsonb;
  v_action text;
  v_reason text := '';
begin
  if v_context is not null and v_context ->> 'user_id' = new.id::text then
    v_action := v_context ->> 'action';
    v_reason := coalesce(v_context ->> 'reason', '');
  else
    v_action := case
      when new.status = 'banned' then 'ban'
      when new.status = 'suspended' then 'suspend'
      when new.status = 'deactivated' then 'deactivate'
      when old.status = 'suspended' then 'unsuspend'
      when old.status = 'banned' then 'unban'
      else 'reactivate'
    end;
  end if;
  perform private.record_account_action(new.id, v_action, v_reason, old.status, new.status);
  return null;
end;
$$;
comment on function private.audit_status_change() is 'Audits every change of profiles.status, through any door.';
revoke execute on function private.audit_status_change() from public, anon, authenticated;

create trigger profiles_audit_status_change after update of status on public.profiles
  for each row when (old.status is distinct from new.status)
  execute function private.audit_status_change();

-- Definer: see private.record_account_action. The visitor row every new account gets is no change;
-- a role row removed because its account is being deleted is covered by the 'delete' row.
create function private.audit_role_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    if new.role <> 'visitor' then
      perform private.record_account_action(new.user_id, 'role_change', '', null, null, null, new.role);
    end if;
  elsif tg_op = 'UPDATE' then
    if old.role is distinct from new.role or old.user_id is distinct from new.user_id then
      perform private.record_account_action(new.user_id, 'role_change', '', null, null, old.role, new.role);
    end if;
  elsif exists (select 1 from auth.users u where u.id = old.user_id) then
    perform private.record_account_action(old.user_id, 'role_change', '', null, null, old.role, null);
  end if;
  return null;
end;
$$;
comment on function private.audit_role_change() is 'Audits every insert, update and delete of user_roles, through any door.';
revoke execute on function private.audit_role_change() from public, anon, authenticated;

create trigger user_roles_audit_role_change after insert or update or delete on public.user_roles
  for each row execute function private.audit_role_change();

-- Definer: see private.record_account_action (Auth's role deletes users).
create function private.audit_account_deletion()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.record_account_action(
    old.id, 'delete', '', (select p.status from public.profiles p where p.id = old.id), null
  );
  return old;
end;
$$;
comment on function private.audit_account_deletion() is 'Audits the deletion of an auth user, with a snapshot of who they were.';
revoke execute on function private.audit_account_deletion() from public, anon, authenticated;

create trigger auth_users_audit_deletion before delete on auth.users
  for each row execute function private.audit_account_deletion();

create function private.refuse_audit_rewrite()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'Account actions are never changed or removed.' using errcode = '42501';
end;
$$;
comment on function private.refuse_audit_rewrite() is 'Keeps account_actions append-only, for postgres too.';
revoke execute on function private.refuse_audit_rewrite() from public, anon, authenticated;

create trigger account_actions_append_only before update or delete on public.account_actions
  for each row execute function private.refuse_audit_rewrite();

-- The admin status RPCs: a live admin check, and the audit row now written by the trigger above
-- with this call's action and reason.
create or replace function private.set_account_status(
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
  v_done text := case p_action when 'suspend' then 'suspended' when 'unsuspend' then 'unsuspended' when 'ban' then 'banned'
    when 'unban' then 'unbanned' else 'reactivated' end;
begin
  if not private.is_admin() then
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
    raise exception 'User % is %, so it cannot be %.', v_username, v_current, v_done using errcode = 'P0001';
  end if;

  perform set_config('marquee.account_action',
    jsonb_build_object('user_id', p_user_id, 'action', p_action, 'reason', coalesce(btrim(p_reason), ''))::text, true);
  update public.profiles set status = p_to where id = p_user_id;
  perform set_config('marquee.account_action', '', true);
  return jsonb_build_object('detail', format('User %s %s.', v_username, v_done), 'status', p_to);
end;
$$;
