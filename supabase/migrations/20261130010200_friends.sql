-- Friends (003): a friend request from one user to another, accepted (a friendship), declined or
-- cancelled (the row goes), or ended (unfriend: the row goes). One row per pair of users whichever way
-- it was sent. Blocked users cannot request each other, and a block ends any request or friendship
-- between the two; both rules hold through every door (policies for clients, a trigger for everyone).
-- A request notifies its recipient, an acceptance notifies the sender (private.notify_event).
-- Objects: type friend_request_status; table friend_requests (+ policies, column grants); views
-- friends, pending_friend_requests; functions private.guard_friend_request,
-- private.notify_friend_request, private.end_friendships_on_block, public.send_friend_request,
-- public.accept_friend_request, public.decline_friend_request, public.cancel_friend_request,
-- public.unfriend; triggers on friend_requests and blocks.

create type public.friend_request_status as enum ('pending', 'accepted');
comment on type public.friend_request_status is 'pending until the recipient accepts; declined, cancelled and ended requests are deleted.';

create table public.friend_requests (
  id bigint generated always as identity primary key,
  from_user_id uuid not null default auth.uid() references public.profiles (id) on delete cascade,
  to_user_id uuid not null references public.profiles (id) on delete cascade,
  status public.friend_request_status not null default 'pending',
  created_at timestamptz not null default now(),
  responded_at timestamptz,
  constraint friend_requests_not_self check (from_user_id <> to_user_id),
  constraint friend_requests_responded_when_accepted check ((status = 'accepted') = (responded_at is not null))
);
comment on table public.friend_requests is
  'Friend requests and, once accepted, friendships: one row per pair of users. The recipient accepts (status) or declines (delete); the sender cancels (delete); either ends a friendship (delete).';
create unique index friend_requests_pair_key on public.friend_requests
  (least(from_user_id, to_user_id), greatest(from_user_id, to_user_id));
create index friend_requests_from_user_id_idx on public.friend_requests (from_user_id);
create index friend_requests_to_user_id_idx on public.friend_requests (to_user_id);
alter table public.friend_requests enable row level security;

-- Clients name the recipient and accept; everything else is the server's.
revoke insert, update, truncate on public.friend_requests from anon, authenticated;
grant insert (to_user_id) on public.friend_requests to authenticated;
grant update (status) on public.friend_requests to authenticated;

create policy "users can read their own friend requests and friendships" on public.friend_requests
  for select to authenticated
  using (from_user_id = (select auth.uid()) or to_user_id = (select auth.uid()));
create policy "active users can request active users they are not blocked with" on public.friend_requests
  for insert to authenticated
  with check (
    from_user_id = (select auth.uid()) and (select private.is_active())
    and not (to_user_id = any ((select private.blocked_user_ids())::uuid[]))
    and exists (select 1 from public.profiles p where p.id = to_user_id and p.status = 'active')
  );
create policy "active recipients can accept pending friend requests" on public.friend_requests
  for update to authenticated
  using (to_user_id = (select auth.uid()) and status = 'pending' and (select private.is_active()))
  with check (to_user_id = (select auth.uid()) and status = 'accepted');
create policy "active users can withdraw, decline or end their friend requests" on public.friend_requests
  for delete to authenticated
  using ((from_user_id = (select auth.uid()) or to_user_id = (select auth.uid())) and (select private.is_active()));

-- Definer: the block row may be the other user's, which the writer cannot read under RLS.
create function private.guard_friend_request()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    if new.from_user_id <> old.from_user_id or new.to_user_id <> old.to_user_id then
      raise exception 'A friend request''s users cannot change.' using errcode = '22023';
    end if;
    if old.status = 'accepted' and new.status = 'pending' then
      raise exception 'An accepted friend request cannot go back to pending.' using errcode = '22023';
    end if;
  else
    new.created_at := now();
  end if;
  new.responded_at := case when new.status = 'accepted' then coalesce(old.responded_at, now()) end;
  if exists (
    select 1 from public.blocks b
    where (b.blocker_id = new.from_user_id and b.blocked_id = new.to_user_id)
       or (b.blocker_id = new.to_user_id and b.blocked_id = new.from_user_id)
  ) then
    raise exception 'You cannot send a friend request to a user you are in a block with.' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.guard_friend_request() is
  'Friend requests: users fixed, no way back from accepted, server-set times, never across a block (every door).';
revoke execute on function private.guard_friend_request() from public, anon, authenticated;
create trigger friend_requests_guard before insert or update on public.friend_requests
  for each row execute function private.guard_friend_request();

-- Definer: private.notify_event is not the client's to call.
create function private.notify_friend_request()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' and new.status = 'pending' then
    perform private.notify_event(
      new.from_user_id, new.to_user_id, 'friend_request',
      coalesce(private.username_of(new.from_user_id), 'Someone') || ' sent you a friend request.', 'friends', new.id
    );
  elsif new.status = 'accepted' and (tg_op = 'INSERT' or old.status = 'pending') then
    perform private.notify_event(
      new.to_user_id, new.from_user_id, 'friend_accepted',
      coalesce(private.username_of(new.to_user_id), 'Someone') || ' accepted your friend request.', 'friends', new.id
    );
  end if;
  return null;
end;
$$;
comment on function private.notify_friend_request() is 'Tells the recipient of a friend request, and the sender of an accepted one.';
revoke execute on function private.notify_friend_request() from public, anon, authenticated;
create trigger friend_requests_notify after insert or update of status on public.friend_requests
  for each row execute function private.notify_friend_request();

-- Invoker: the blocker is a party to every row it deletes, so the delete policy allows it.
create function private.end_friendships_on_block()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  delete from public.friend_requests r
  where (r.from_user_id = new.blocker_id and r.to_user_id = new.blocked_id)
     or (r.from_user_id = new.blocked_id and r.to_user_id = new.blocker_id);
  return null;
end;
$$;
comment on function private.end_friendships_on_block() is 'A block ends any friend request or friendship between the two users.';
revoke execute on function private.end_friendships_on_block() from public, anon, authenticated;
create trigger blocks_end_friendships after insert on public.blocks
  for each row execute function private.end_friendships_on_block();

-- The caller's friends (RLS of friend_requests and profiles applies: inactive friends are not shown).
create view public.friends
with (security_invoker = true)
as
select
  p.id,
  p.username::text as username,
  p.first_name,
  p.last_name,
  p.profile_pic,
  r.responded_at as friends_since
from public.friend_requests r
join public.profiles p
  on p.id = case when r.from_user_id = (select auth.uid()) then r.to_user_id else r.from_user_id end
where r.status = 'accepted'
  and (r.from_user_id = (select auth.uid()) or r.to_user_id = (select auth.uid()));
comment on view public.friends is 'The caller''s friends (accepted friend requests either way), as profiles.';
revoke insert, update, delete, truncate on public.friends from anon, authenticated;

-- The caller's pending requests, both ways.
create view public.pending_friend_requests
with (security_invoker = true)
as
select
  r.id,
  case when r.to_user_id = (select auth.uid()) then 'incoming' else 'outgoing' end as direction,
  p.id as user_id,
  p.username::text as username,
  p.profile_pic,
  r.created_at
from public.friend_requests r
join public.profiles p
  on p.id = case when r.from_user_id = (select auth.uid()) then r.to_user_id else r.from_user_id end
where r.status = 'pending'
  and (r.from_user_id = (select auth.uid()) or r.to_user_id = (select auth.uid()));
comment on view public.pending_friend_requests is 'The caller''s pending friend requests: incoming (to accept or decline) and outgoing (to cancel).';
revoke insert, update, delete, truncate on public.pending_friend_requests from anon, authenticated;

-- The five actions. Invoker: the policies above decide; the checks only answer in words.
create function private.require_active_caller()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  if auth.uid() is null then
    raise exception 'Authentication credentials were not provided.' using errcode = '42501';
  end if;
  if not private.is_active() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  return auth.uid();
end;
$$;
comment on function private.require_active_caller() is 'The caller''s id; 401/403 when signed out or not active.';
revoke execute on function private.require_active_caller() from public, anon;
grant execute on function private.require_active_caller() to authenticated, service_role;

create function private.friend_target_name(p_user_id uuid, p_me uuid)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_name text;
begin
  if p_user_id is null then
    raise exception 'user_id is required.' using errcode = '22023';
  end if;
  if p_user_id = p_me then
    raise exception 'You cannot be friends with yourself.' using errcode = '22023';
  end if;
  v_name := private.username_of(p_user_id);
  if v_name is null then
    raise exception 'User not found.' using errcode = 'PT404';
  end if;
  return v_name;
end;
$$;
comment on function private.friend_target_name(uuid, uuid) is 'The other user''s username for a friend action; 400 for none or oneself, 404 for no such user.';
revoke execute on function private.friend_target_name(uuid, uuid) from public, anon;
grant execute on function private.friend_target_name(uuid, uuid) to authenticated, service_role;

create function public.send_friend_request(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := private.require_active_caller();
  v_name text := private.friend_target_name(p_user_id, v_me);
  v_existing public.friend_requests;
begin
  if p_user_id = any (private.blocked_user_ids()) then
    if exists (select 1 from public.blocks b where b.blocker_id = v_me and b.blocked_id = p_user_id) then
      raise exception 'You cannot send a friend request to a user you have blocked.' using errcode = '42501';
    end if;
    raise exception 'User not found.' using errcode = 'PT404';
  end if;
  if not exists (select 1 from public.profiles p where p.id = p_user_id and p.status = 'active') then
    raise exception 'User not found.' using errcode = 'PT404';
  end if;
  select * into v_existing from public.friend_requests r
  where (r.from_user_id = v_me and r.to_user_id = p_user_id) or (r.from_user_id = p_user_id and r.to_user_id = v_me);
  if found then
    if v_existing.status = 'accepted' then
      raise exception 'You are already friends with %.', v_name using errcode = 'PT409';
    elsif v_existing.from_user_id = v_me then
      raise exception 'You have already sent a friend request to %.', v_name using errcode = 'PT409';
    else
      raise exception '% has already sent you a friend request.', v_name using errcode = 'PT409';
    end if;
  end if;
  insert into public.friend_requests (to_user_id) values (p_user_id);
  return jsonb_build_object('detail', format('Friend request sent to %s.', v_name));
end;
$$;
comment on function public.send_friend_request(uuid) is 'Sends a friend request (003). 409 when one already exists between the two either way or they are friends; never across a block.';
revoke execute on function public.send_friend_request(uuid) from public, anon;
grant execute on function public.send_friend_request(uuid) to authenticated;

create function public.accept_friend_request(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := private.require_active_caller();
  v_name text := private.friend_target_name(p_user_id, v_me);
begin
  update public.friend_requests set status = 'accepted'
  where from_user_id = p_user_id and to_user_id = v_me and status = 'pending';
  if not found then
    raise exception 'Friend request not found.' using errcode = 'PT404';
  end if;
  return jsonb_build_object('detail', format('You are now friends with %s.', v_name));
end;
$$;
comment on function public.accept_friend_request(uuid) is 'Accepts the pending friend request p_user_id sent the caller; 404 "Friend request not found." otherwise.';
revoke execute on function public.accept_friend_request(uuid) from public, anon;
grant execute on function public.accept_friend_request(uuid) to authenticated;

create function public.decline_friend_request(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := private.require_active_caller();
  v_name text := private.friend_target_name(p_user_id, v_me);
begin
  delete from public.friend_requests
  where from_user_id = p_user_id and to_user_id = v_me and status = 'pending';
  if not found then
    raise exception 'Friend request not found.' using errcode = 'PT404';
  end if;
  return jsonb_build_object('detail', format('Friend request from %s declined.', v_name));
end;
$$;
comment on function public.decline_friend_request(uuid) is 'Declines (deletes) the pending friend request p_user_id sent the caller.';
revoke execute on function public.decline_friend_request(uuid) from public, anon;
grant execute on function public.decline_friend_request(uuid) to authenticated;

create function public.cancel_friend_request(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := private.require_active_caller();
  v_name text := private.friend_target_name(p_user_id, v_me);
begin
  delete from public.friend_requests
  where from_user_id = v_me and to_user_id = p_user_id and status = 'pending';
  if not found then
    raise exception 'Friend request not found.' using errcode = 'PT404';
  end if;
  return jsonb_build_object('detail', format('Friend request to %s cancelled.', v_name));
end;
$$;
comment on function public.cancel_friend_request(uuid) is 'Cancels (deletes) the caller''s pending friend request to p_user_id.';
revoke execute on function public.cancel_friend_request(uuid) from public, anon;
grant execute on function public.cancel_friend_request(uuid) to authenticated;

create function public.unfriend(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := private.require_active_caller();
  v_name text := private.friend_target_name(p_user_id, v_me);
begin
  delete from public.friend_requests
  where status = 'accepted'
    and ((from_user_id = v_me and to_user_id = p_user_id) or (from_user_id = p_user_id and to_user_id = v_me));
  if not found then
    raise exception 'You are not friends with %.', v_name using errcode = 'PT404';
  end if;
  return jsonb_build_object('detail', format('You are no longer friends with %s.', v_name));
end;
$$;
comment on function public.unfriend(uuid) is 'Ends the friendship between the caller and p_user_id.';
revoke execute on function public.unfriend(uuid) from public, anon;
grant execute on function public.unfriend(uuid) to authenticated;
