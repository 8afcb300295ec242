-- Posts: one table for every kind of content (000's five post types), who may read each row, and who
-- may write it. Interactions, media, tags, lists and counters build on it in the migrations after it.
-- A post is readable by its author and by admins; by everyone else when its author's account is active,
-- it is not private, and neither side blocks the other. Signed-out readers see public and unlisted
-- posts of active authors. Lists show `public` posts only; `unlisted` is reachable by id.
-- Objects: types post_type, post_visibility; table posts; functions private.set_post_author_state,
-- private.sync_post_author_state, private.refuse_unprivileged_post_type; their triggers.

create type public.post_type as enum ('post', 'reel', 'video', 'youtube_video', 'youtube_reel');
create type public.post_visibility as enum ('public', 'unlisted', 'private');

create table public.posts (
  id bigint generated always as identity primary key,
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  post_type public.post_type not null default 'post',
  post_title text not null
    constraint posts_title_length check (char_length(btrim(post_title)) between 1 and 150 and char_length(post_title) <= 150),
  post_description text not null default ''
    constraint posts_description_length check (char_length(post_description) <= 5000),
  post_banner text
    constraint posts_banner_path check (post_banner is null or (char_length(post_banner) <= 300 and post_banner !~ '\.\.')),
  youtube_id text
    constraint posts_youtube_id_format check (youtube_id is null or youtube_id ~ '^[A-Za-z0-9_-]{11}$'),
  media_path text
    constraint posts_media_path check (media_path is null or (char_length(media_path) <= 300 and media_path !~ '\.\.')),
  thumbnail_path text
    constraint posts_thumbnail_path check (thumbnail_path is null or (char_length(thumbnail_path) <= 300 and thumbnail_path !~ '\.\.')),
  visibility public.post_visibility not null default 'public',
  -- Kept by the server: whether the author's account is active (profiles.status), so a read policy
  -- needs no join to hide a suspended author's posts.
  author_active boolean not null default true,
  like_count integer not null default 0 constraint posts_like_count_not_negative check (like_count >= 0),
  comment_count integer not null default 0 constraint posts_comment_count_not_negative check (comment_count >= 0),
  view_count bigint not null default 0 constraint posts_view_count_not_negative check (view_count >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint posts_youtube_id_matches_type check (
    (post_type in ('youtube_video', 'youtube_reel')) = (youtube_id is not null)
  ),
  constraint posts_media_path_for_uploaded_video check (
    post_type not in ('reel', 'video') or media_path is not null
  )
);
comment on table public.posts is
  'Every kind of content: text/image posts, reels and videos (creators and admins only), YouTube videos and shorts. Counters and author_active are kept by triggers.';
create index posts_created_by_created_at_idx on public.posts (created_by, created_at desc);
create index posts_post_type_created_at_idx on public.posts (post_type, created_at desc, id desc);
create index posts_created_at_idx on public.posts (created_at desc, id desc);
alter table public.posts enable row level security;

-- Column privileges are the guard: clients write the content fields; counters, author state, owner
-- and timestamps are the server's. The type is chosen once, at insert.
revoke insert, update, truncate on public.posts from anon, authenticated;
grant insert (post_type, post_title, post_description, post_banner, youtube_id, media_path, thumbnail_path, visibility)
  on public.posts to authenticated;
grant update (post_title, post_description, post_banner, youtube_id, media_path, thumbnail_path, visibility)
  on public.posts to authenticated;

create trigger posts_touch_updated_at before update on public.posts
  for each row execute function private.touch_updated_at();

-- Definer: the author's profile row may be hidden from the inserting role (e.g. an admin writing as
-- postgres for a suspended user); the state must come from the row as it is.
create function private.set_post_author_state()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.author_active := coalesce(
    (select p.status = 'active' from public.profiles p where p.id = new.created_by), false);
  return new;
end;
$$;
comment on function private.set_post_author_state() is 'Sets posts.author_active from the author''s profile on insert or change of author.';
revoke execute on function private.set_post_author_state() from public, anon, authenticated;
create trigger posts_set_author_state before insert or update of created_by on public.posts
  for each row execute function private.set_post_author_state();

-- Definer: a status change (by an admin, the owner deactivating, or the dashboard) must reach every
-- post of the account, which RLS would hide from the changer.
create function private.sync_post_author_state()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.posts set author_active = (new.status = 'active')
  where created_by = new.id and author_active is distinct from (new.status = 'active');
  return null;
end;
$$;
comment on function private.sync_post_author_state() is 'Hides or shows an account''s posts when its profiles.status leaves or returns to active.';
revoke execute on function private.sync_post_author_state() from public, anon, authenticated;
create trigger profiles_sync_post_author_state after update of status on public.profiles
  for each row when (old.status is distinct from new.status)
  execute function private.sync_post_author_state();

-- Reels and videos are the creator programme's: the author must be a creator or an admin now (the
-- live row, not the token), through every door, the dashboard included.
-- Definer: the author's user_roles row is not readable by every inserting role.
create function private.refuse_unprivileged_post_type()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.post_type in ('reel', 'video') and not exists (
    select 1 from public.user_roles r where r.user_id = new.created_by and r.role in ('creator', 'admin')
  ) then
    raise exception 'Only creators and admins can create reels and videos.' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.refuse_unprivileged_post_type() is 'Refuses reel and video rows whose author is not a creator or an admin.';
revoke execute on function private.refuse_unprivileged_post_type() from public, anon, authenticated;
create trigger posts_refuse_unprivileged_type before insert or update of post_type, created_by on public.posts
  for each row execute function private.refuse_unprivileged_post_type();

create policy "anyone can read public and unlisted posts of active authors" on public.posts
  for select to anon
  using (author_active and visibility <> 'private');
create policy "users can read their own posts and visible posts outside their blocks" on public.posts
  for select to authenticated
  using (
    created_by = (select auth.uid())
    or (author_active and visibility <> 'private' and not (created_by = any ((select private.blocked_user_ids())::uuid[])))
    or (select private.is_admin())
  );
create policy "active users can create their own posts" on public.posts
  for insert to authenticated
  with check (created_by = (select auth.uid()) and (select private.is_active()));
create policy "active users can edit their own posts" on public.posts
  for update to authenticated
  using (created_by = (select auth.uid()) and (select private.is_active()))
  with check (created_by = (select auth.uid()) and (select private.is_active()));
create policy "active users can delete their own posts and admins any post" on public.posts
  for delete to authenticated
  using ((created_by = (select auth.uid()) and (select private.is_active())) or (select private.is_admin()));
