-- Followers and following lists: who follows a user, and whom a user follows, as profiles. Both views
-- are security_invoker, so the follows policy (rows involving anyone in a block with the viewer are
-- hidden) and the profiles policy (inactive accounts, blocked users) decide what a viewer sees.
-- Objects: views public.followers, public.following; index follows_follower_id_created_at_idx.

create index follows_follower_id_created_at_idx on public.follows (follower_id, created_at desc);
create index follows_followed_id_created_at_idx on public.follows (followed_id, created_at desc);

create view public.followers
with (security_invoker = true)
as
select
  f.followed_id as user_id,
  p.id,
  p.username::text as username,
  p.first_name,
  p.last_name,
  p.profile_pic,
  f.created_at as followed_at
from public.follows f
join public.profiles p on p.id = f.follower_id;
comment on view public.followers is 'One row per follower of user_id, as the follower''s profile; blocked and inactive users are not shown to the viewer.';
revoke insert, update, delete, truncate on public.followers from anon, authenticated;

create view public.following
with (security_invoker = true)
as
select
  f.follower_id as user_id,
  p.id,
  p.username::text as username,
  p.first_name,
  p.last_name,
  p.profile_pic,
  f.created_at as followed_at
from public.follows f
join public.profiles p on p.id = f.followed_id;
comment on view public.following is 'One row per user that user_id follows, as their profile; blocked and inactive users are not shown to the viewer.';
revoke insert, update, delete, truncate on public.following from anon, authenticated;
