-- Linking a post to its tags and mentioned users, and the rules every link obeys through every door
-- (RPC, raw REST insert, the dashboard as postgres).
--
-- Text links (source 'text') follow the post's title and description: on insert, and on every edit of
-- either field, rows whose tag or user the text no longer names are removed and new ones added; rows
-- the text still names are left alone (so a kept mention never notifies twice). Explicit links
-- (source 'explicit') survive edits. A `@name` in the text that is unknown, not active, the author, or
-- in a block with the author is simply not linked; text links fill only what the caps leave.
-- Every link row, whatever its door: a mentioned user exists and is active, is not the post's author,
-- and no block stands between them ("This user does not exist or cannot be mentioned." /
-- "You cannot mention yourself.", 400); at most private.max_tags_per_post() tags and
-- private.max_mentions_per_post() mentions per post (400). A new mention notifies the mentioned user
-- through private.notify_event (never yourself, never across a block, as their preferences allow),
-- unless the post is private (the mentioned user could not open it).
-- Objects: functions private.ensure_tags, private.sync_text_tags, private.sync_text_mentions,
-- private.link_post_text, private.link_post_text_trigger, private.accept_post_tag,
-- private.accept_post_mention, private.check_mentioned_user; their triggers on posts, post_tags, post_mentions; index
-- tags_name_lower_pattern_idx.

-- Case-insensitive equality and prefix search on tag names (list_tags, lookups by lower(name)).
create index tags_name_lower_pattern_idx on public.tags (lower(name::text) text_pattern_ops);

-- Definer: tags are the server's (clients have no insert on public.tags); it is called only by the
-- linking functions and RPCs after they checked the caller.
create function private.ensure_tags(p_names text[])
returns bigint[]
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ids bigint[];
begin
  insert into public.tags (name)
  select distinct lower(n) from unnest(p_names) as n
  order by 1
  on conflict (name) do nothing;
  select coalesce(array_agg(t.id order by u.ord), '{}') into v_ids
  from unnest(p_names) with ordinality as u(n, ord)
  join public.tags t on lower(t.name::text) = lower(u.n);
  return v_ids;
end;
$$;
comment on function private.ensure_tags(text[]) is 'Creates the tags that do not exist yet (lower-cased) and returns the ids of all of them, in order.';
revoke execute on function private.ensure_tags(text[]) from public, anon, authenticated;

-- Definer: called from the posts trigger and the RPCs; it writes rows the caller's policies would
-- refuse for source 'text' and must see every existing link of the post.
create function private.sync_text_tags(p_post_id bigint, p_text text, p_add boolean default true)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wanted text[] := private.parse_hashtags(p_text);
  v_room integer;
  v_new text[];
begin
  delete from public.post_tags pt
  using public.tags t
  where pt.post_id = p_post_id and pt.source = 'text' and t.id = pt.tag_id
    and not (lower(t.name::text) = any (v_wanted));
  if not p_add then
    return;
  end if;

  select private.max_tags_per_post() - count(*) into v_room from public.post_tags where post_id = p_post_id;
  select coalesce(array_agg(u.n order by u.ord), '{}') into v_new
  from (
    select w.n, w.ord
    from unnest(v_wanted) with ordinality as w(n, ord)
    where not exists (
      select 1 from public.post_tags pt join public.tags t on t.id = pt.tag_id
      where pt.post_id = p_post_id and lower(t.name::text) = w.n
    )
    order by w.ord
    limit greatest(v_room, 0)
  ) u;
  if cardinality(v_new) > 0 then
    insert into public.post_tags (post_id, tag_id, source)
    select p_post_id, id, 'text' from unnest(private.ensure_tags(v_new)) as id
    on conflict do nothing;
  end if;
end;
$$;
comment on function private.sync_text_tags(bigint, text, boolean) is 'Makes the post''s text tags those its text names (explicit tags untouched), within the cap; with p_add false it only removes the stale ones.';
revoke execute on function private.sync_text_tags(bigint, text, boolean) from public, anon, authenticated;

-- Definer: resolving names reads profiles and blocks the caller may not see (the blocker's row).
create function private.sync_text_mentions(p_post_id bigint, p_author uuid, p_text text, p_add boolean default true)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_wanted uuid[];
  v_room integer;
begin
  select coalesce(array_agg(p.id order by u.ord), '{}') into v_wanted
  from unnest(private.parse_mentions(p_text)) with ordinality as u(n, ord)
  join public.profiles p on p.username operator(extensions.=) u.n::extensions.citext
  where p.status = 'active'
    and p.id <> p_author
    and not exists (
      select 1 from public.blocks b
      where (b.blocker_id = p_author and b.blocked_id = p.id) or (b.blocker_id = p.id and b.blocked_id = p_author)
    );

  delete from public.post_mentions
  where post_id = p_post_id and source = 'text' and not (user_id = any (v_wanted));
  if not p_add then
    return;
  end if;

  select private.max_mentions_per_post() - count(*) into v_room from public.post_mentions where post_id = p_post_id;
  insert into public.post_mentions (post_id, user_id, source)
  select p_post_id, w.id, 'text'
  from unnest(v_wanted) with ordinality as w(id, ord)
  where not exists (select 1 from public.post_mentions m where m.post_id = p_post_id and m.user_id = w.id)
  order by w.ord
  limit greatest(v_room, 0)
  on conflict do nothing;
end;
$$;
comment on function private.sync_text_mentions(bigint, uuid, text, boolean) is
  'Makes the post''s text mentions the linkable users its text names (explicit mentions untouched), within the cap; with p_add false it only removes the stale ones.';
revoke execute on function private.sync_text_mentions(bigint, uuid, text, boolean) from public, anon, authenticated;

-- Definer: see sync_text_tags and sync_text_mentions.
create function private.link_post_text(p_post_id bigint)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_post record;
begin
  select p.created_by, p.post_title || E'\n' || p.post_description as body into v_post
  from public.posts p where p.id = p_post_id;
  if not found then
    return;
  end if;
  perform private.sync_text_tags(p_post_id, v_post.body);
  perform private.sync_text_mentions(p_post_id, v_post.created_by, v_post.body);
end;
$$;
comment on function private.link_post_text(bigint) is 'Re-reads a post''s title and description and brings its text tags and mentions in line.';
revoke execute on function private.link_post_text(bigint) from public, anon, authenticated;

-- Definer: as link_post_text, whatever role wrote the post.
create function private.link_post_text_trigger()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.link_post_text(new.id);
  return null;
end;
$$;
comment on function private.link_post_text_trigger() is 'After a post is written or its text edited: re-links its text tags and mentions.';
revoke execute on function private.link_post_text_trigger() from public, anon, authenticated;

-- The conditions skip the work for texts without a `#` or `@` (most posts, and bulk loads): a text
-- without them links nothing, and an edit matters only when the old or the new text has one.
create trigger posts_link_text_on_insert after insert on public.posts
  for each row
  when (new.post_title ~ '[#@]' or new.post_description ~ '[#@]')
  execute function private.link_post_text_trigger();
create trigger posts_link_text_on_edit after update of post_title, post_description on public.posts
  for each row
  when (
    (old.post_title is distinct from new.post_title or old.post_description is distinct from new.post_description)
    and (old.post_title ~ '[#@]' or old.post_description ~ '[#@]' or new.post_title ~ '[#@]' or new.post_description ~ '[#@]')
  )
  execute function private.link_post_text_trigger();

-- After insert (so the insert policy has refused strangers first); the post row is locked so two
-- writers cannot both take the last place under the cap (for mentions too, below).
-- Definer: the post row and its other links may be hidden from the inserting role.
create function private.accept_post_tag()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform 1 from public.posts where id = new.post_id for no key update;
  if (select count(*) from public.post_tags where post_id = new.post_id) > private.max_tags_per_post() then
    raise exception 'A post can carry at most % tags.', private.max_tags_per_post() using errcode = '22023';
  end if;
  return null;
end;
$$;
comment on function private.accept_post_tag() is 'Refuses a tag beyond the per-post cap, through every door.';
revoke execute on function private.accept_post_tag() from public, anon, authenticated;
create trigger post_tags_accept after insert on public.post_tags
  for each row execute function private.accept_post_tag();

-- Definer: the mentioned user's profile and the blocks between the two sides are not the inserting
-- role's to read, and the notification is written for another user.
create function private.accept_post_mention()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_post record;
begin
  select p.created_by, p.visibility, p.author_active, a.username::text as author_name into v_post
  from public.posts p left join public.profiles a on a.id = p.created_by
  where p.id = new.post_id
  for no key update of p;

  if (select count(*) from public.post_mentions where post_id = new.post_id) > private.max_mentions_per_post() then
    raise exception 'A post can mention at most % users.', private.max_mentions_per_post() using errcode = '22023';
  end if;

  if v_post.visibility <> 'private' and v_post.author_active then
    perform private.notify_event(
      v_post.created_by, new.user_id, 'mention',
      format('%s mentioned you in a post.', coalesce(v_post.author_name, 'Someone')),
      'post', new.post_id
    );
  end if;
  return null;
end;
$$;
comment on function private.accept_post_mention() is
  'Refuses a mention beyond the per-post cap; notifies the mentioned user of a new mention.';
revoke execute on function private.accept_post_mention() from public, anon, authenticated;
create trigger post_mentions_accept after insert on public.post_mentions
  for each row execute function private.accept_post_mention();

-- Before insert, so the author gets these messages rather than the foreign key's or the read policy's
-- (an insert returning a row of a blocked user fails that policy first). A signed-in caller who is
-- not the post's author is left to the insert policy, which refuses them, so nothing here tells a
-- stranger about the post or about blocks. Signed-out roles (the dashboard, service_role) are checked.
-- Definer: the mentioned user's profile and the blocks between the two sides are not the inserting
-- role's to read.
create function private.check_mentioned_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_author uuid := (select p.created_by from public.posts p where p.id = new.post_id);
  v_caller uuid := auth.uid();
begin
  if v_caller is not null and v_caller is distinct from v_author then
    return new;
  end if;
  if new.user_id = v_author then
    raise exception 'You cannot mention yourself.' using errcode = '22023';
  end if;
  if not exists (select 1 from public.profiles u where u.id = new.user_id and u.status = 'active')
    or exists (
      select 1 from public.blocks b
      where (b.blocker_id = v_author and b.blocked_id = new.user_id)
         or (b.blocker_id = new.user_id and b.blocked_id = v_author)
    )
  then
    raise exception 'This user does not exist or cannot be mentioned.' using errcode = '22023';
  end if;
  return new;
end;
$$;
comment on function private.check_mentioned_user() is
  'Refuses a mention of the post''s author, of a missing or inactive user, or of a user in a block with the author (one message for the last two, so a block is not revealed).';
revoke execute on function private.check_mentioned_user() from public, anon, authenticated;
create trigger post_mentions_check_user before insert on public.post_mentions
  for each row execute function private.check_mentioned_user();
