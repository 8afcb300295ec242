-- The forum (001): posts with content and picture names, replies, and likes, their read and write
-- walls, and counters kept by triggers. The forum is for signed-in, active accounts only: anon and
-- suspended, banned or deactivated accounts read nothing and write nothing. A block hides each side's
-- forum posts, replies and likes from the other and forbids replying to or liking across it. Admins
-- read everything and may delete any post or reply.
-- Objects: tables forum_posts, forum_replies, forum_likes; functions private.set_forum_author_state,
-- private.sync_forum_author_state, private.count_forum_like, private.count_forum_reply; their
-- triggers; the tables' policies.

create table public.forum_posts (
  id bigint generated always as identity primary key,
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  content text not null
    constraint forum_posts_content_length check (char_length(btrim(content)) between 1 and 5000 and char_length(content) <= 5000),
  -- Names of pictures the author uploaded (`<hash>-<timestamp>.<ext>` in their `<uid>/` folder of
  -- the forum-pictures bucket); checked against the uploads registry by a trigger.
  picture_names text[] not null default '{}'
    constraint forum_posts_picture_names_limit check (cardinality(picture_names) <= 10 and array_position(picture_names, null) is null),
  picture_count integer not null generated always as (cardinality(picture_names)) stored,
  -- Kept by the server from profiles.status, so the read policy needs no join.
  author_active boolean not null default true,
  like_count integer not null default 0 constraint forum_posts_like_count_not_negative check (like_count >= 0),
  reply_count integer not null default 0 constraint forum_posts_reply_count_not_negative check (reply_count >= 0),
  created_at timestamptz not null default now()
);
comment on table public.forum_posts is
  'Forum posts (001): content and up to 10 picture names. like_count, reply_count and author_active are kept by triggers.';
create index forum_posts_created_by_idx on public.forum_posts (created_by);
alter table public.forum_posts enable row level security;
revoke insert, update, truncate on public.forum_posts from anon, authenticated;
grant insert (content, picture_names) on public.forum_posts to authenticated;
grant update (content) on public.forum_posts to authenticated;

create table public.forum_replies (
  id bigint generated always as identity primary key,
  post_id bigint not null references public.forum_posts (id) on delete cascade,
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  content text not null
    constraint forum_replies_content_length check (char_length(btrim(content)) between 1 and 2000 and char_length(content) <= 2000),
  author_active boolean not null default true,
  created_at timestamptz not null default now()
);
comment on table public.forum_replies is 'Replies to forum posts (001). author_active is kept by triggers.';
create index forum_replies_post_id_id_idx on public.forum_replies (post_id, id);
create index forum_replies_created_by_idx on public.forum_replies (created_by);
alter table public.forum_replies enable row level security;
revoke insert, update, truncate on public.forum_replies from anon, authenticated;
grant insert (post_id, content) on public.forum_replies to authenticated;

create table public.forum_likes (
  post_id bigint not null references public.forum_posts (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (post_id, user_id)
);
comment on table public.forum_likes is 'Who likes which forum post (001''s like toggle); counted into forum_posts.like_count by a trigger.';
create index forum_likes_user_id_idx on public.forum_likes (user_id);
alter table public.forum_likes enable row level security;
revoke insert, update, truncate on public.forum_likes from anon, authenticated;
grant insert (post_id) on public.forum_likes to authenticated;

-- Author state ----------------------------------------------------------------------------------

-- Definer: the author's profile may be hidden from the inserting role (e.g. a dashboard edit for a
-- suspended user); the state must come from the row as it is.
create function private.set_forum_author_state()
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
comment on function private.set_forum_author_state() is
  'Sets author_active of a forum post or reply from its author''s profile on insert or change of author.';
revoke execute on function private.set_forum_author_state() from public, anon, authenticated;
create trigger forum_posts_set_author_state before insert or update of created_by on public.forum_posts
  for each row execute function private.set_forum_author_state();
create trigger forum_replies_set_author_state before insert or update of created_by on public.forum_replies
  for each row execute function private.set_forum_author_state();

-- Definer: a status change must reach every forum row of the account, which RLS hides from the changer.
create function private.sync_forum_author_state()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  update public.forum_posts set author_active = (new.status = 'active')
  where created_by = new.id and author_active is distinct from (new.status = 'active');
  update public.forum_replies set author_active = (new.status = 'active')
  where created_by = new.id and author_active is distinct from (new.status = 'active');
  return null;
end;
$$;
comment on function private.sync_forum_author_state() is
  'Hides or shows an account''s forum posts and replies when its profiles.status leaves or returns to active.';
revoke execute on function private.sync_forum_author_state() from public, anon, authenticated;
create trigger profiles_sync_forum_author_state after update of status on public.profiles
  for each row when (old.status is distinct from new.status)
  execute function private.sync_forum_author_state();

-- Counters ----------------------------------------------------------------------------------------
-- Each like or reply row adds or takes one under the post row's lock, so concurrent writers queue on
-- the row and the counter always equals its rows (every door, the dashboard included).

-- Definer: the liker or replier may not update someone else's post.
create function private.count_forum_like()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    update public.forum_posts set like_count = like_count - 1 where id = old.post_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update public.forum_posts set like_count = like_count + 1 where id = new.post_id;
  end if;
  return null;
end;
$$;
comment on function private.count_forum_like() is 'Keeps forum_posts.like_count equal to its forum_likes rows.';
revoke execute on function private.count_forum_like() from public, anon, authenticated;
create trigger forum_likes_count after insert or delete or update of post_id on public.forum_likes
  for each row execute function private.count_forum_like();

-- Definer: the replier may not update someone else's post.
create function private.count_forum_reply()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op in ('DELETE', 'UPDATE') then
    update public.forum_posts set reply_count = reply_count - 1 where id = old.post_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    update public.forum_posts set reply_count = reply_count + 1 where id = new.post_id;
  end if;
  return null;
end;
$$;
comment on function private.count_forum_reply() is 'Keeps forum_posts.reply_count equal to its forum_replies rows.';
revoke execute on function private.count_forum_reply() from public, anon, authenticated;
create trigger forum_replies_count after insert or delete or update of post_id on public.forum_replies
  for each row execute function private.count_forum_reply();

-- Policies: signed-in and active only; blocks hide both ways ----------------------------------------

create policy "active users can read forum posts outside their blocks" on public.forum_posts
  for select to authenticated
  using (
    (select private.is_active()) and (
      created_by = (select auth.uid())
      or (author_active and not (created_by = any ((select private.blocked_user_ids())::uuid[])))
      or (select private.is_admin())
    )
  );
create policy "active users can create their own forum posts" on public.forum_posts
  for insert to authenticated
  with check (created_by = (select auth.uid()) and (select private.is_active()));
create policy "active users can edit their own forum posts" on public.forum_posts
  for update to authenticated
  using (created_by = (select auth.uid()) and (select private.is_active()))
  with check (created_by = (select auth.uid()) and (select private.is_active()));
create policy "active users can delete their own forum posts and admins any" on public.forum_posts
  for delete to authenticated
  using ((created_by = (select auth.uid()) and (select private.is_active())) or (select private.is_admin()));

-- The forum_posts sub-selects below run under forum_posts' own policy: a reply or like is visible
-- only on a post the reader may read.
create policy "active users can read replies outside their blocks on posts they can read" on public.forum_replies
  for select to authenticated
  using (
    (select private.is_active()) and (
      created_by = (select auth.uid())
      or (select private.is_admin())
      or (
        author_active and not (created_by = any ((select private.blocked_user_ids())::uuid[]))
        and exists (select 1 from public.forum_posts p where p.id = post_id)
      )
    )
  );
create policy "active users can reply to posts they can read outside their blocks" on public.forum_replies
  for insert to authenticated
  with check (
    created_by = (select auth.uid()) and (select private.is_active())
    and exists (
      select 1 from public.forum_posts p
      where p.id = post_id and not (p.created_by = any ((select private.blocked_user_ids())::uuid[]))
    )
  );
create policy "active users can delete their own replies and admins any" on public.forum_replies
  for delete to authenticated
  using ((created_by = (select auth.uid()) and (select private.is_active())) or (select private.is_admin()));

create policy "active users can read likes outside their blocks on posts they can read" on public.forum_likes
  for select to authenticated
  using (
    (select private.is_active()) and (
      user_id = (select auth.uid())
      or (select private.is_admin())
      or (
        not (user_id = any ((select private.blocked_user_ids())::uuid[]))
        and exists (select 1 from public.forum_posts p where p.id = post_id)
      )
    )
  );
create policy "active users can like posts they can read outside their blocks" on public.forum_likes
  for insert to authenticated
  with check (
    user_id = (select auth.uid()) and (select private.is_active())
    and exists (
      select 1 from public.forum_posts p
      where p.id = post_id and not (p.created_by = any ((select private.blocked_user_ids())::uuid[]))
    )
  );
create policy "active users can remove their own likes" on public.forum_likes
  for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()));
