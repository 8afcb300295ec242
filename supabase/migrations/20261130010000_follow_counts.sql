-- Follower and following counts: two server-owned counters on profiles, kept by a trigger on follows
-- through every door (the toggle RPC, a raw REST insert or delete, a block's clean-up, an account's
-- deletion, an admin in the dashboard), exact under concurrency because each change is one atomic
-- `count = count ± 1` on the profile row, which Postgres serialises with the row lock. Counters are
-- not granted to clients (profiles grants update on named columns only). public_profiles shows them.
-- Objects: columns profiles.follower_count, profiles.following_count; function
-- private.count_follows; trigger follows_count on public.follows; trigger profiles_touch_updated_at
-- (now only for the profile's own fields); view public.public_profiles (gains the two counts).

alter table public.profiles
  add column follower_count bigint not null default 0 constraint profiles_follower_count_not_negative check (follower_count >= 0),
  add column following_count bigint not null default 0 constraint profiles_following_count_not_negative check (following_count >= 0);
comment on column public.profiles.follower_count is 'How many users follow this one; kept by the follows_count trigger.';
comment on column public.profiles.following_count is 'How many users this one follows; kept by the follows_count trigger.';

update public.profiles p set
  follower_count = (select count(*) from public.follows f where f.followed_id = p.id),
  following_count = (select count(*) from public.follows f where f.follower_id = p.id);

-- A counter change is not an edit of the profile: updated_at moves only when its own fields do.
drop trigger profiles_touch_updated_at on public.profiles;
create trigger profiles_touch_updated_at
  before update of username, first_name, last_name, profile_pic, user_type, user_social_fb, user_social_twt, user_social_yt, status
  on public.profiles
  for each row execute function private.touch_updated_at();

-- Definer: a follow changes the other user's profile row, which the follower may not update.
create function private.count_follows()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    update public.profiles set follower_count = follower_count - 1 where id = old.followed_id;
    update public.profiles set following_count = following_count - 1 where id = old.follower_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update public.profiles set follower_count = follower_count + 1 where id = new.followed_id;
    update public.profiles set following_count = following_count + 1 where id = new.follower_id;
  end if;
  return null;
end;
$$;
comment on function private.count_follows() is 'Keeps profiles.follower_count and following_count equal to the follows rows.';
revoke execute on function private.count_follows() from public, anon, authenticated;

create trigger follows_count after insert or update or delete on public.follows
  for each row execute function private.count_follows();

-- The view gains the counts (appended, so existing columns keep their places).
create or replace view public.public_profiles
with (security_invoker = true)
as
select
  p.id,
  p.username::text as username,
  p.first_name,
  p.last_name,
  p.profile_pic,
  p.user_type,
  p.user_social_fb,
  p.user_social_twt,
  p.user_social_yt,
  p.status,
  coalesce(r.role, 'visitor') as user_group,
  p.created_at,
  exists (select 1 from public.follows f where f.follower_id = (select auth.uid()) and f.followed_id = p.id) as followed_by_user,
  exists (select 1 from public.blocks b where b.blocker_id = (select auth.uid()) and b.blocked_id = p.id) as blocked_by_user,
  p.follower_count,
  p.following_count
from public.profiles p
left join public.user_roles r on r.user_id = p.id;
comment on view public.public_profiles is 'Profiles as the caller may see them (RLS of profiles applies), with their role, follower and following counts, and the caller''s follow and block state.';
