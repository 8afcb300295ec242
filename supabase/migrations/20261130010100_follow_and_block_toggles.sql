-- Follow and block toggles (000 §12): `toggle_follow(p_user_id)` and `toggle_block(p_user_id)` answer
-- `{"detail": "Successfully followed jane_doe."}` / "unfollowed" / "blocked" / "unblocked". Both are
-- security invoker, so the follows and blocks policies decide exactly as for a raw REST write; they
-- only check first to answer in words. Every door also meets two triggers: no follow is written across
-- a block (whoever writes it, the dashboard included), and a follow notifies the followed user through
-- private.notify_event (which skips muted kinds). Following needs the followed account to be active
-- and visible to the follower (the policy now says so too).
-- Objects: functions private.username_of, private.refuse_follow_across_block, private.notify_follow,
-- public.toggle_follow, public.toggle_block; triggers follows_refuse_across_block, follows_notify;
-- policy "active users can follow users they are not blocked with" (replaced).

-- Definer: the toggles name the other user in their answer even when RLS hides that profile (a user
-- who blocked the caller can still be blocked back; a suspended user can still be unfollowed).
create function private.username_of(p_user_id uuid)
returns text
language sql
stable
security definer
set search_path = ''
as $$
  select p.username::text from public.profiles p where p.id = p_user_id;
$$;
comment on function private.username_of(uuid) is 'The username of a user id, whatever its status; null when there is no such user.';
revoke execute on function private.username_of(uuid) from public, anon;
grant execute on function private.username_of(uuid) to authenticated, service_role;

-- Definer: the blocks row may belong to the other user, which the writer cannot read under RLS.
create function private.refuse_follow_across_block()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if exists (
    select 1 from public.blocks b
    where (b.blocker_id = new.follower_id and b.blocked_id = new.followed_id)
       or (b.blocker_id = new.followed_id and b.blocked_id = new.follower_id)
  ) then
    raise exception 'You cannot follow a user you are in a block with.' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.refuse_follow_across_block() is 'Refuses a follow between two users when either blocks the other, through every door.';
revoke execute on function private.refuse_follow_across_block() from public, anon, authenticated;
create trigger follows_refuse_across_block before insert or update on public.follows
  for each row execute function private.refuse_follow_across_block();

-- Definer: private.notify_event is not the follower's to call.
create function private.notify_follow()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify_event(
    new.follower_id, new.followed_id, 'follow',
    coalesce(private.username_of(new.follower_id), 'Someone') || ' started following you.', 'profile', null
  );
  return null;
end;
$$;
comment on function private.notify_follow() is 'Tells the followed user about a new follower (muted kinds and blocks are skipped by notify_event).';
revoke execute on function private.notify_follow() from public, anon, authenticated;
create trigger follows_notify after insert on public.follows
  for each row execute function private.notify_follow();

-- Following needs the other account to be active and visible to the follower (profiles' read policy).
drop policy "active users can follow users they are not blocked with" on public.follows;
create policy "active users can follow users they are not blocked with" on public.follows
  for insert to authenticated
  with check (
    follower_id = (select auth.uid()) and (select private.is_active())
    and not (followed_id = any ((select private.blocked_user_ids())::uuid[]))
    and exists (select 1 from public.profiles p where p.id = followed_id and p.status = 'active')
  );

create function public.toggle_follow(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := auth.uid();
  v_name text;
begin
  if v_me is null then
    raise exception 'Authentication credentials were not provided.' using errcode = '42501';
  end if;
  if not private.is_active() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if p_user_id is null then
    raise exception 'user_id is required.' using errcode = '22023';
  end if;
  if p_user_id = v_me then
    raise exception 'You cannot follow yourself.' using errcode = '22023';
  end if;
  v_name := private.username_of(p_user_id);
  if v_name is null then
    raise exception 'User not found.' using errcode = 'PT404';
  end if;

  delete from public.follows where follower_id = v_me and followed_id = p_user_id;
  if found then
    return jsonb_build_object('detail', format('Successfully unfollowed %s.', v_name));
  end if;

  if p_user_id = any (private.blocked_user_ids()) then
    if exists (select 1 from public.blocks b where b.blocker_id = v_me and b.blocked_id = p_user_id) then
      raise exception 'You cannot follow a user you have blocked.' using errcode = '42501';
    end if;
    -- Blocked by them: their profile is invisible, so they are "not found", as everywhere else.
    raise exception 'User not found.' using errcode = 'PT404';
  end if;
  if not exists (select 1 from public.profiles p where p.id = p_user_id and p.status = 'active') then
    raise exception 'User not found.' using errcode = 'PT404';
  end if;

  insert into public.follows (follower_id, followed_id) values (v_me, p_user_id) on conflict do nothing;
  return jsonb_build_object('detail', format('Successfully followed %s.', v_name));
end;
$$;
comment on function public.toggle_follow(uuid) is
  'Follows or unfollows a user (000 §12). Answers {"detail": "Successfully followed <username>."} or "...unfollowed...". Not yourself, not an inactive user, not across a block.';
revoke execute on function public.toggle_follow(uuid) from public, anon;
grant execute on function public.toggle_follow(uuid) to authenticated;

create function public.toggle_block(p_user_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := auth.uid();
  v_name text;
begin
  if v_me is null then
    raise exception 'Authentication credentials were not provided.' using errcode = '42501';
  end if;
  if not private.is_active() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if p_user_id is null then
    raise exception 'user_id is required.' using errcode = '22023';
  end if;
  if p_user_id = v_me then
    raise exception 'You cannot block yourself.' using errcode = '22023';
  end if;
  v_name := private.username_of(p_user_id);
  if v_name is null then
    raise exception 'User not found.' using errcode = 'PT404';
  end if;

  delete from public.blocks where blocker_id = v_me and blocked_id = p_user_id;
  if found then
    return jsonb_build_object('detail', format('Successfully unblocked %s.', v_name));
  end if;
  insert into public.blocks (blocker_id, blocked_id) values (v_me, p_user_id) on conflict do nothing;
  return jsonb_build_object('detail', format('Successfully blocked %s.', v_name));
end;
$$;
comment on function public.toggle_block(uuid) is
  'Blocks or unblocks a user (000 §12). Answers {"detail": "Successfully blocked <username>."} or "Successfully unblocked <username>.". A block ends follows and friendships both ways.';
revoke execute on function public.toggle_block(uuid) from public, anon;
grant execute on function public.toggle_block(uuid) to authenticated;
