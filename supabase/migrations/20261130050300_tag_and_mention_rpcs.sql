-- The explicit lists and the tag listing: set_post_tags, set_post_mentions, list_tags.
-- set_post_* replace a post's explicit list (text links stay as the text says; a listed tag or user
-- the text also names is simply marked explicit, so no second notification). They check the caller
-- as the policies do (active author of the post: 404 "Post not found." when the caller cannot read
-- it, 403 when it is not theirs) and refuse the whole list, changing nothing, when one entry is bad
-- (400): an invalid tag, more than the cap, yourself, a user who does not exist or is not active,
-- or one in a block with you (the same message for the last two, so a block is not revealed).
-- When the explicit list and the text together exceed a cap, the explicit list wins and the text
-- links that no longer fit are dropped.
-- list_tags: tags in use on public posts the caller can read, with those counts, most used first;
-- an optional case-insensitive prefix (`#` optional); 1–100 rows (20 by default).
-- Objects: functions private.require_post_author, private.replace_explicit_tags,
-- private.replace_explicit_mentions, public.set_post_tags, public.set_post_mentions, public.list_tags.

-- Invoker: the posts policies decide which post the caller can see, exactly as for a raw insert.
create function private.require_post_author(p_post_id bigint)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Authentication credentials were not provided.' using errcode = '42501';
  end if;
  if not (select private.is_active()) then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if not exists (select 1 from public.posts p where p.id = p_post_id) then
    raise exception 'Post not found.' using errcode = 'PT404';
  end if;
  if not exists (select 1 from public.posts p where p.id = p_post_id and p.created_by = (select auth.uid())) then
    raise exception 'You can only change the tags and mentions of your own posts.' using errcode = '42501';
  end if;
end;
$$;
comment on function private.require_post_author(bigint) is 'Raises unless the caller is the active author of a post they can read.';
revoke execute on function private.require_post_author(bigint) from public, anon;
grant execute on function private.require_post_author(bigint) to authenticated;

-- Definer: explicit rows are turned into text rows and back (no client update grant), tags are
-- created, and text links are pruned; it re-checks that the caller is the post's active author.
create function private.replace_explicit_tags(p_post_id bigint, p_names text[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_body text;
  v_ids bigint[];
  v_over integer;
begin
  select p.post_title || E'\n' || p.post_description into v_body
  from public.posts p
  where p.id = p_post_id and p.created_by = (select auth.uid()) and (select private.is_active())
  for no key update;
  if not found then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  v_ids := private.ensure_tags(p_names);

  update public.post_tags set source = 'text'
  where post_id = p_post_id and source = 'explicit' and not (tag_id = any (v_ids));
  perform private.sync_text_tags(p_post_id, v_body, false);
  select count(*) filter (where not (tag_id = any (v_ids))) + cardinality(v_ids) - private.max_tags_per_post() into v_over
  from public.post_tags where post_id = p_post_id;
  if v_over > 0 then
    delete from public.post_tags
    where post_id = p_post_id and tag_id in (
      select tag_id from public.post_tags
      where post_id = p_post_id and source = 'text' and not (tag_id = any (v_ids))
      order by tag_id desc limit v_over
    );
  end if;
  insert into public.post_tags (post_id, tag_id, source)
  select p_post_id, id, 'explicit' from unnest(v_ids) as id
  on conflict (post_id, tag_id) do update set source = 'explicit';
  perform private.sync_text_tags(p_post_id, v_body, true);
end;
$$;
comment on function private.replace_explicit_tags(bigint, text[]) is 'Makes p_names (valid, lower-cased, distinct) the post''s explicit tags; set_post_tags calls it.';
revoke execute on function private.replace_explicit_tags(bigint, text[]) from public, anon;
grant execute on function private.replace_explicit_tags(bigint, text[]) to authenticated;

-- Definer: as replace_explicit_tags; mentioned users' profiles and blocks are read as they are.
create function private.replace_explicit_mentions(p_post_id bigint, p_user_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_body text;
  v_author uuid := (select auth.uid());
  v_over integer;
begin
  select p.post_title || E'\n' || p.post_description into v_body
  from public.posts p
  where p.id = p_post_id and p.created_by = v_author and (select private.is_active())
  for no key update;
  if not found then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if v_author = any (p_user_ids) then
    raise exception 'You cannot mention yourself.' using errcode = '22023';
  end if;
  if exists (
    select 1 from unnest(p_user_ids) as u(id)
    where not exists (select 1 from public.profiles p where p.id = u.id and p.status = 'active')
      or exists (
        select 1 from public.blocks b
        where (b.blocker_id = v_author and b.blocked_id = u.id) or (b.blocker_id = u.id and b.blocked_id = v_author)
      )
  ) then
    raise exception 'This user does not exist or cannot be mentioned.' using errcode = '22023';
  end if;

  update public.post_mentions set source = 'text'
  where post_id = p_post_id and source = 'explicit' and not (user_id = any (p_user_ids));
  perform private.sync_text_mentions(p_post_id, v_author, v_body, false);
  select count(*) filter (where not (user_id = any (p_user_ids))) + cardinality(p_user_ids) - private.max_mentions_per_post() into v_over
  from public.post_mentions where post_id = p_post_id;
  if v_over > 0 then
    delete from public.post_mentions
    where post_id = p_post_id and user_id in (
      select user_id from public.post_mentions
      where post_id = p_post_id and source = 'text' and not (user_id = any (p_user_ids))
      order by created_at desc, user_id limit v_over
    );
  end if;
  insert into public.post_mentions (post_id, user_id, source)
  select p_post_id, id, 'explicit' from unnest(p_user_ids) as id
  on conflict (post_id, user_id) do update set source = 'explicit';
  perform private.sync_text_mentions(p_post_id, v_author, v_body, true);
end;
$$;
comment on function private.replace_explicit_mentions(bigint, uuid[]) is 'Makes p_user_ids (distinct) the post''s explicit mentions; set_post_mentions calls it.';
revoke execute on function private.replace_explicit_mentions(bigint, uuid[]) from public, anon;
grant execute on function private.replace_explicit_mentions(bigint, uuid[]) to authenticated;

create function public.set_post_tags(p_post_id bigint, p_tags text[])
returns text[]
language plpgsql
set search_path = ''
as $$
declare
  v_names text[];
  v_bad text;
begin
  perform private.require_post_author(p_post_id);
  if p_tags is null then
    raise exception 'A list of tags is required.' using errcode = '22023';
  end if;
  select t into v_bad
  from unnest(p_tags) as t
  where t is null or regexp_replace(btrim(t), '^#', '') !~ '^[A-Za-z0-9_]{1,50}$'
  limit 1;
  if found then
    raise exception 'Invalid tag "%": a tag is 1 to 50 letters, digits or underscores.', coalesce(v_bad, 'null') using errcode = '22023';
  end if;
  select coalesce(array_agg(distinct lower(regexp_replace(btrim(t), '^#', ''))), '{}') into v_names from unnest(p_tags) as t;
  if cardinality(v_names) > private.max_tags_per_post() then
    raise exception 'A post can carry at most % tags.', private.max_tags_per_post() using errcode = '22023';
  end if;
  perform private.replace_explicit_tags(p_post_id, v_names);
  return (
    select coalesce(array_agg(t.name::text order by lower(t.name::text)), '{}')
    from public.post_tags pt join public.tags t on t.id = pt.tag_id
    where pt.post_id = p_post_id
  );
end;
$$;
comment on function public.set_post_tags(bigint, text[]) is
  'Replaces the explicit tags of the caller''s own post (`#` optional, case-insensitive, 1–50 of [A-Za-z0-9_], at most 30 with the text''s); returns all its tags.';
grant execute on function public.set_post_tags(bigint, text[]) to authenticated;

create function public.set_post_mentions(p_post_id bigint, p_user_ids uuid[])
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  perform private.require_post_author(p_post_id);
  if p_user_ids is null or array_position(p_user_ids, null) is not null then
    raise exception 'A list of user ids is required.' using errcode = '22023';
  end if;
  select coalesce(array_agg(distinct id), '{}') into v_ids from unnest(p_user_ids) as id;
  if cardinality(v_ids) > private.max_mentions_per_post() then
    raise exception 'A post can mention at most % users.', private.max_mentions_per_post() using errcode = '22023';
  end if;
  perform private.replace_explicit_mentions(p_post_id, v_ids);
  return (
    select coalesce(array_agg(m.user_id order by m.created_at, m.user_id), '{}')
    from public.post_mentions m where m.post_id = p_post_id
  );
end;
$$;
comment on function public.set_post_mentions(bigint, uuid[]) is
  'Replaces the explicit mentions of the caller''s own post (at most 20 with the text''s; not yourself, not unknown, inactive or blocked users); returns every mentioned user id.';
grant execute on function public.set_post_mentions(bigint, uuid[]) to authenticated;

create function public.list_tags(p_search text default null, p_limit integer default 20)
returns table (id bigint, name text, use_count bigint)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_prefix text := lower(regexp_replace(btrim(coalesce(p_search, '')), '^#', ''));
begin
  if p_limit is null or p_limit < 1 or p_limit > 100 then
    raise exception 'The limit must be between 1 and 100.' using errcode = '22023';
  end if;
  return query
  select t.id, t.name::text, count(*) as use_count
  from public.tags t
  join public.post_tags pt on pt.tag_id = t.id
  join public.posts p on p.id = pt.post_id and p.visibility = 'public'
  where v_prefix = ''
    or lower(t.name::text) like replace(replace(replace(v_prefix, '\', '\\'), '%', '\%'), '_', '\_') || '%'
  group by t.id, t.name
  order by count(*) desc, lower(t.name::text)
  limit p_limit;
end;
$$;
comment on function public.list_tags(text, integer) is
  'Tags in use on public posts the caller can read, with those counts, most used first; optional case-insensitive prefix.';
grant execute on function public.list_tags(text, integer) to anon, authenticated;
