-- A suspended, banned or deactivated account is locked out at once (issue 7, item 1).
-- When profiles.status leaves 'active' (admin RPCs, the user's own deactivation, an admin editing the
-- row as postgres in the dashboard), the user's Auth sessions are deleted, and their refresh tokens
-- with them: Auth then answers 403 session_not_found to the access token they still hold
-- (PUT /auth/v1/user, POST /auth/v1/factors, …) and refreshes fail. In depth, while the profile is
-- not active, Auth's own tables refuse a new password, email or phone (or a pending email or phone
-- change) and a new or newly verified MFA factor, whoever writes them (Auth, the admin API,
-- postgres). To change an inactive account's credentials, an admin reactivates it first.
-- Objects: functions private.revoke_auth_sessions, private.refuse_inactive_credential_change,
-- private.refuse_inactive_factor_change; triggers profiles_revoke_auth_sessions on public.profiles,
-- auth_users_refuse_inactive_credential_change on auth.users, auth_mfa_factors_refuse_inactive on
-- auth.mfa_factors.

-- Definer: auth.sessions and auth.refresh_tokens are Auth's; postgres (the owner of this function)
-- may delete from them on Supabase and in Marquee Local, the API roles may not.
create function private.revoke_auth_sessions()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from auth.sessions s where s.user_id = new.id;
  -- Tokens from before sessions existed have no session to cascade from.
  delete from auth.refresh_tokens t where t.user_id = new.id::text;
  return null;
end;
$$;
comment on function private.revoke_auth_sessions() is
  'Signs the account out everywhere (deletes its Auth sessions and refresh tokens) when its status leaves active.';
revoke execute on function private.revoke_auth_sessions() from public, anon, authenticated;

create trigger profiles_revoke_auth_sessions after update of status on public.profiles
  for each row when (new.status <> 'active' and old.status is distinct from new.status)
  execute function private.revoke_auth_sessions();

-- Definer: it runs as whoever writes auth.users (Auth's role has no rights on profiles' status
-- beyond its hook policy) and must see the live status.
create function private.refuse_inactive_credential_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_status public.account_status;
begin
  if new.encrypted_password is not distinct from old.encrypted_password
    and new.email is not distinct from old.email
    and new.phone is not distinct from old.phone
    and (coalesce(new.email_change, '') = '' or new.email_change is not distinct from old.email_change)
    and (coalesce(new.phone_change, '') = '' or new.phone_change is not distinct from old.phone_change)
  then
    return new;
  end if;
  -- Auth's soft delete blanks the credentials of an account it deletes: allowed.
  if new.deleted_at is not null and old.deleted_at is null then
    return new;
  end if;
  select p.status into v_status from public.profiles p where p.id = new.id;
  if v_status is not null and v_status <> 'active' then
    raise exception 'This account is %: its password, email and phone cannot be changed.', v_status
      using errcode = '42501', hint = 'An admin reactivates the account first.';
  end if;
  return new;
end;
$$;
comment on function private.refuse_inactive_credential_change() is
  'Refuses a new password, email or phone (or a pending change of them) while the account is not active.';
revoke execute on function private.refuse_inactive_credential_change() from public, anon, authenticated;

create trigger auth_users_refuse_inactive_credential_change before update on auth.users
  for each row execute function private.refuse_inactive_credential_change();

-- Definer: see private.refuse_inactive_credential_change.
create function private.refuse_inactive_factor_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_status public.account_status;
begin
  if tg_op = 'UPDATE' and not (new.status = 'verified' and old.status is distinct from new.status) then
    return new;
  end if;
  select p.status into v_status from public.profiles p where p.id = new.user_id;
  if v_status is not null and v_status <> 'active' then
    raise exception 'This account is %: it cannot enroll or verify MFA factors.', v_status
      using errcode = '42501', hint = 'An admin reactivates the account first.';
  end if;
  return new;
end;
$$;
comment on function private.refuse_inactive_factor_change() is
  'Refuses enrolling or verifying an MFA factor while the account is not active.';
revoke execute on function private.refuse_inactive_factor_change() from public, anon, authenticated;

create trigger auth_mfa_factors_refuse_inactive before insert or update on auth.mfa_factors
  for each row execute function private.refuse_inactive_factor_change();
