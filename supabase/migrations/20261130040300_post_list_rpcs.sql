-- The lists of 000 §4 and §5 as RPCs answering {count, page_size, page, total_pages, next, previous,
-- results}: list_posts (every type, default 10 a page, search, ordering, tag and type filters),
-- list_reels (reels and YouTube shorts, default 30), list_user_posts (one author's), and get_post (one
-- post by id, unlisted included). All are security invoker: the posts policies decide what the caller
-- may read, and the lists add their own rules on top — public posts of active authors only, nothing of
-- a user in a block with the caller (either way, admins included), nothing the caller hid or reported.
-- The unfiltered lists' `count` comes from the trigger-kept counters minus the caller's exclusions, so
-- it never scans the table; search and tag lists count their matches through their indexes.
-- Everything runs in one snapshot (stable functions), so `count` and `results` always agree.
-- Objects: functions public.list_posts, public.list_reels, public.list_user_posts, public.get_post.

create function public.list_posts(
  p_page integer default 1,
  p_page_size integer default 10,
  p_search text default null,
  p_ordering text default '-created_at',
  p_tag text default null,
  p_post_type public.post_type default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 10);
  v_search text := nullif(btrim(coalesce(p_search, '')), '');
  v_tag text := nullif(ltrim(btrim(coalesce(p_tag, '')), '#'), '');
  v_types public.post_type[] := case when p_post_type is null then enum_range(null::public.post_type) else array[p_post_type] end;
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_tag_id bigint;
  v_order text;
  v_where text;
  v_count bigint;
  v_ids bigint[];
begin
  v_order := case coalesce(p_ordering, '-created_at')
    when '-created_at' then 'p.created_at desc, p.id desc'
    when 'created_at' then 'p.created_at, p.id'
    when 'post_type' then 'p.post_type, p.created_at desc, p.id desc'
    when '-post_type' then 'p.post_type desc, p.created_at desc, p.id desc'
  end;
  if v_order is null then
    raise exception 'ordering: Choose one of post_type, -post_type, created_at, -created_at.' using errcode = '22023';
  end if;
  if char_length(v_search) > 100 then
    raise exception 'search: Ensure this field has no more than 100 characters.' using errcode = '22023';
  end if;
  if v_tag is not null and v_tag !~ '^[A-Za-z0-9_]{1,50}$' then
    raise exception 'tag: Enter a valid tag (letters, digits and _, at most 50).' using errcode = '22023';
  end if;
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
  end if;

  v_where := 'p.visibility = ''public'' and p.author_active and p.post_type = any ($1)'
    || ' and not (p.created_by = any ($2)) and not (p.id = any ($3))';
  if v_search is not null then
    -- The same expression as posts_search_trgm_idx; % and _ in the terms match themselves.
    v_where := v_where || ' and (p.post_title || '' '' || p.post_description) ilike $4';
    v_search := '%' || replace(replace(replace(v_search, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;
  if v_tag is not null then
    select t.id into v_tag_id from public.tags t where t.name operator(extensions.=) v_tag::extensions.citext;
    v_where := v_where || ' and p.id in (select pt.post_id from public.post_tags pt where pt.tag_id = $5)';
  end if;

  if v_search is null and v_tag is null then
    v_count := private.listable_post_total(v_types);
    if auth.uid() is not null then
      v_count := v_count - private.viewer_listable_exclusions(v_types);
    end if;
  else
    execute 'select count(*) from public.posts p where ' || v_where
      into v_count using v_types, v_blocked, v_excluded, v_search, v_tag_id;
  end if;

  execute 'select array(select p.id from public.posts p where ' || v_where
    || ' order by ' || v_order || ' limit $6 offset $7)'
    into v_ids using v_types, v_blocked, v_excluded, v_search, v_tag_id, v_size, (v_page - 1) * v_size;
  return private.page_envelope(v_count, v_page, v_size, private.post_items(v_ids));
end;
$$;
comment on function public.list_posts(integer, integer, text, text, text, public.post_type) is
  '000 GET /api/posts/: public posts of active authors the caller may see, minus blocked/hidden/reported; search, ordering, tag and type filters; exact count.';
grant execute on function public.list_posts(integer, integer, text, text, text, public.post_type) to anon, authenticated, service_role;

create function public.list_reels(p_page integer default 1, p_page_size integer default 30)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 30);
  v_types public.post_type[] := array['reel', 'youtube_reel']::public.post_type[];
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_count bigint := private.listable_post_total(array['reel', 'youtube_reel']::public.post_type[]);
  v_ids bigint[];
begin
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
    v_count := v_count - private.viewer_listable_exclusions(v_types);
  end if;
  -- Written out in full (not p.post_type = any (v_types)) so it matches posts_listable_reels_created_at_idx.
  v_ids := array(
    select p.id from public.posts p
    where p.post_type in ('reel', 'youtube_reel') and p.visibility = 'public' and p.author_active
      and not (p.created_by = any (v_blocked)) and not (p.id = any (v_excluded))
    order by p.created_at desc, p.id desc
    limit v_size offset (v_page - 1) * v_size);
  return private.page_envelope(v_count, v_page, v_size, private.reel_items(v_ids));
end;
$$;
comment on function public.list_reels(integer, integer) is
  '000 GET /api/reels/: public reels and YouTube shorts of active authors the caller may see, newest first, minus blocked/hidden/reported; exact count.';
grant execute on function public.list_reels(integer, integer) to anon, authenticated, service_role;

create function public.list_user_posts(p_user_id uuid, p_page integer default 1, p_page_size integer default 10)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 10);
  v_own boolean := p_user_id = auth.uid();
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_count bigint;
  v_ids bigint[];
begin
  if p_user_id is null then
    raise exception 'user_id: This field is required.' using errcode = '22023';
  end if;
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
  end if;
  -- The author sees every post of their own (any visibility); everyone else the listable ones.
  select count(*) into v_count from public.posts p
  where p.created_by = p_user_id
    and (v_own or (p.visibility = 'public' and p.author_active))
    and not (p.created_by = any (v_blocked)) and not (p.id = any (v_excluded));
  v_ids := array(
    select p.id from public.posts p
    where p.created_by = p_user_id
      and (v_own or (p.visibility = 'public' and p.author_active))
      and not (p.created_by = any (v_blocked)) and not (p.id = any (v_excluded))
    order by p.created_at desc, p.id desc
    limit v_size offset (v_page - 1) * v_size);
  return private.page_envelope(v_count, v_page, v_size, private.post_items(v_ids));
end;
$$;
comment on function public.list_user_posts(uuid, integer, integer) is
  'One author''s posts, newest first: all of them for the author, public ones of an active author for others; nothing across a block.';
grant execute on function public.list_user_posts(uuid, integer, integer) to anon, authenticated, service_role;

create function public.get_post(p_post_id bigint)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_item jsonb;
begin
  -- The posts policies alone decide: unlisted posts are reachable by id, private ones by their author
  -- and admins, nothing across a block. A hidden or reported post stays reachable, flagged.
  v_item := private.post_items(array[p_post_id]) -> 0;
  if v_item is null then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  return v_item;
end;
$$;
comment on function public.get_post(bigint) is '000 GET /api/posts/{id}/: one post item as the caller may read it; 404 "Not found." otherwise.';
grant execute on function public.get_post(bigint) to anon, authenticated, service_role;
