-- Push tokens (003 "Update Push Token": `{token, platform: ios|android|web}`): one row per device,
-- where a device is one Auth session. The row carries the session id from the caller's JWT
-- (`session_id` claim) with a foreign key to auth.sessions on delete cascade, so signing that device
-- out (Auth deletes its session row) removes its token, and deleting the account (sessions and the
-- user cascade) removes them all. A device registering again replaces its token; a token registered
-- by another session moves to the new one (the device changed hands).
-- Objects: type push_platform; table push_tokens (+ policies); functions private.jwt_session_id,
-- public.register_push_token.

create type public.push_platform as enum ('ios', 'android', 'web');
comment on type public.push_platform is 'Where a push token delivers: ios (APNs), android (FCM), web (Web Push).';

-- The caller's Auth session, from the JWT; null when the token carries none (anon, service keys).
create function private.jwt_session_id()
returns uuid
language sql
stable
set search_path = ''
as $$
  select case
    when (auth.jwt() ->> 'session_id') ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
    then (auth.jwt() ->> 'session_id')::uuid
  end;
$$;
comment on function private.jwt_session_id() is 'The session_id claim of the caller''s JWT as a uuid, or null.';
revoke execute on function private.jwt_session_id() from public, anon;
grant execute on function private.jwt_session_id() to authenticated, service_role;

create table public.push_tokens (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  session_id uuid not null default private.jwt_session_id() references auth.sessions (id) on delete cascade,
  token text not null constraint push_tokens_token_format check (char_length(token) between 1 and 4096 and token !~ '\s'),
  platform public.push_platform not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint push_tokens_one_per_session unique (session_id),
  constraint push_tokens_token_key unique (token)
);
comment on table public.push_tokens is
  'One push token per signed-in device (Auth session). Removed when that session signs out or the account is deleted.';
create index push_tokens_user_id_idx on public.push_tokens (user_id);
alter table public.push_tokens enable row level security;

revoke insert, update, truncate on public.push_tokens from anon, authenticated;
grant insert (token, platform) on public.push_tokens to authenticated;
grant update (token, platform) on public.push_tokens to authenticated;

create trigger push_tokens_touch_updated_at before update on public.push_tokens
  for each row execute function private.touch_updated_at();

create policy "users can read their own push tokens" on public.push_tokens
  for select to authenticated using (user_id = (select auth.uid()));
create policy "active users can register this device's push token" on public.push_tokens
  for insert to authenticated
  with check (user_id = (select auth.uid()) and session_id = (select private.jwt_session_id()) and (select private.is_active()));
create policy "active users can change this device's push token" on public.push_tokens
  for update to authenticated
  using (user_id = (select auth.uid()) and session_id = (select private.jwt_session_id()) and (select private.is_active()))
  with check (user_id = (select auth.uid()) and session_id = (select private.jwt_session_id()));
create policy "active users can remove their own push tokens" on public.push_tokens
  for delete to authenticated using (user_id = (select auth.uid()) and (select private.is_active()));

-- Definer: the same token may sit on another account's session (a device that changed hands), and
-- that row is not the caller's to delete under RLS; the session must be checked in auth.sessions.
create function public.register_push_token(p_token text, p_platform text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_me uuid := auth.uid();
  v_session uuid := private.jwt_session_id();
  v_platform public.push_platform;
begin
  if v_me is null then
    raise exception 'Authentication credentials were not provided.' using errcode = '42501';
  end if;
  if not private.is_active() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if p_token is null or char_length(p_token) not between 1 and 4096 or p_token ~ '\s' then
    raise exception 'token must be 1 to 4096 characters without spaces.' using errcode = '22023';
  end if;
  if p_platform is null or p_platform not in ('ios', 'android', 'web') then
    raise exception 'platform must be one of ios, android, web.' using errcode = '22023';
  end if;
  v_platform := p_platform::public.push_platform;
  if v_session is null or not exists (select 1 from auth.sessions s where s.id = v_session and s.user_id = v_me) then
    raise exception 'This device is not signed in.' using errcode = '42501';
  end if;

  delete from public.push_tokens t where t.token = p_token and t.session_id <> v_session;
  insert into public.push_tokens (user_id, session_id, token, platform)
  values (v_me, v_session, p_token, v_platform)
  on conflict (session_id) do update set token = excluded.token, platform = excluded.platform;
  return jsonb_build_object('detail', 'Push token updated.');
end;
$$;
comment on function public.register_push_token(text, text) is
  'Registers (or replaces) the push token of the caller''s current device (Auth session): {token, platform ios|android|web}.';
revoke execute on function public.register_push_token(text, text) from public, anon;
grant execute on function public.register_push_token(text, text) to authenticated;
