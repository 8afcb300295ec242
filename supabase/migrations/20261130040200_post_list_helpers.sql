-- What the lists need to know about the viewer, and the pieces every list shares: page checks, the
-- viewer's exclusions (posts they hid or reported), their flags on a page of posts (liked, hidden,
-- reported), the exact count of listable posts they can see, and the item shapes of 000 (posts and
-- reels). The list RPCs themselves are security invoker: the posts policies decide what a reader may
-- see; the definer helpers here read only the caller's own rows (or private counters) and are not
-- executable by anon, for whom they would be empty anyway.
-- Objects: functions private.checked_page_size, private.viewer_excluded_post_ids,
-- private.viewer_post_flags, private.viewer_listable_exclusions, private.listable_post_total,
-- private.post_items, private.reel_items.

create function private.checked_page_size(p_page integer, p_page_size integer, p_default integer)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  if p_page is not null and p_page < 1 then
    raise exception 'page: A valid integer greater than or equal to 1 is required.' using errcode = '22023';
  end if;
  if p_page_size is not null and p_page_size < 1 then
    raise exception 'page_size: A valid integer greater than or equal to 1 is required.' using errcode = '22023';
  end if;
  -- Like Django REST framework's max_page_size: a larger request is capped, not refused.
  return least(coalesce(p_page_size, p_default), 100);
end;
$$;
comment on function private.checked_page_size(integer, integer, integer) is
  'Validates page (>= 1) and page_size (>= 1, capped at 100, default p_default) for the list RPCs.';
grant execute on function private.checked_page_size(integer, integer, integer) to anon, authenticated, service_role;

-- Definer: reads the caller's own hides and reports, whatever those tables' policies say; keyed on
-- auth.uid() so it can only ever tell a user about themself.
create function private.viewer_excluded_post_ids()
returns bigint[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(x.post_id), '{}')
  from (
    select h.post_id from public.post_hides h where h.user_id = auth.uid()
    union
    select r.post_id from public.post_reports r where r.user_id = auth.uid()
  ) x;
$$;
comment on function private.viewer_excluded_post_ids() is 'Posts the caller hid or reported (they leave the caller''s lists).';
revoke execute on function private.viewer_excluded_post_ids() from public, anon;
grant execute on function private.viewer_excluded_post_ids() to authenticated, service_role;

-- Definer: the caller's own likes, hides and reports on a page of posts (see above).
create function private.viewer_post_flags(p_post_ids bigint[])
returns table (post_id bigint, liked boolean, hidden boolean, reported boolean)
language sql
stable
security definer
set search_path = ''
as $$
  select u.id,
    exists (select 1 from public.post_likes l where l.post_id = u.id and l.user_id = auth.uid()),
    exists (select 1 from public.post_hides h where h.user_id = auth.uid() and h.post_id = u.id),
    exists (select 1 from public.post_reports r where r.user_id = auth.uid() and r.post_id = u.id)
  from unnest(p_post_ids) u(id);
$$;
comment on function private.viewer_post_flags(bigint[]) is 'liked_by_user / hidden_by_user / reported_by_user of the caller for each given post.';
revoke execute on function private.viewer_post_flags(bigint[]) from public, anon;
grant execute on function private.viewer_post_flags(bigint[]) to authenticated, service_role;

-- How many listable posts of these types the caller cannot see in a list: those of users in a block
-- with them (either way) and those they hid or reported, each counted once. A handful of index
-- lookups: blocked authors' posts by posts(created_by), hides and reports by their (user_id, post_id) keys.
-- Definer: the posts policies hide blocked authors' posts from the caller, yet they must be counted
-- to be subtracted; and the counters' other side (private.listable_post_total) counts them too.
create function private.viewer_listable_exclusions(p_types public.post_type[])
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)
  from (
    select p.id from public.posts p
    where p.created_by = any ((select private.blocked_user_ids())::uuid[])
      and p.visibility = 'public' and p.author_active and p.post_type = any (p_types)
    union
    select p.id from public.post_hides h join public.posts p on p.id = h.post_id
    where h.user_id = auth.uid() and p.visibility = 'public' and p.author_active and p.post_type = any (p_types)
    union
    select p.id from public.post_reports r join public.posts p on p.id = r.post_id
    where r.user_id = auth.uid() and p.visibility = 'public' and p.author_active and p.post_type = any (p_types)
  ) x;
$$;
comment on function private.viewer_listable_exclusions(public.post_type[]) is
  'Listable posts of these types the caller''s lists leave out: blocked either way, hidden or reported by the caller.';
revoke execute on function private.viewer_listable_exclusions(public.post_type[]) from public, anon;
grant execute on function private.viewer_listable_exclusions(public.post_type[]) to authenticated, service_role;

-- Listable posts of these types, from the counters (16 slots a type).
create function private.listable_post_total(p_types public.post_type[])
returns bigint
language sql
stable
set search_path = ''
as $$
  select coalesce(sum(c.listable), 0)::bigint from private.post_list_counters c where c.post_type = any (p_types);
$$;
comment on function private.listable_post_total(public.post_type[]) is 'Listable (public, author active) posts of these types, from the counters.';
grant execute on function private.listable_post_total(public.post_type[]) to anon, authenticated, service_role;

-- The author as 000 shows it next to a post: `user_profile` and `username: {username}`.
create function private.author_json(p_author public.profiles)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select case when (p_author).id is null then null else jsonb_build_object(
    'id', (p_author).id,
    'username', (p_author).username::text,
    'first_name', (p_author).first_name,
    'last_name', (p_author).last_name,
    'profile_pic', (p_author).profile_pic
  ) end;
$$;
comment on function private.author_json(public.profiles) is 'user_profile of a post item (null when the caller may not read the profile).';
grant execute on function private.author_json(public.profiles) to anon, authenticated, service_role;

-- 000's post items for these ids, in the given order, as the caller may read them: the posts and
-- profiles policies apply (invoker), and so do the comments' for the preview of the 3 latest comments.
create function private.post_items(p_post_ids bigint[])
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_blocked uuid[] := '{}';
  v_flags jsonb := '{}';
begin
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    select coalesce(jsonb_object_agg(f.post_id::text, jsonb_build_array(f.liked, f.hidden, f.reported)), '{}')
      into v_flags from private.viewer_post_flags(p_post_ids) f;
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
        'id', p.id,
        'post_type', p.post_type,
        'post_title', p.post_title,
        'post_description', p.post_description,
        'post_banner', p.post_banner,
        'youtube_id', p.youtube_id,
        'media_path', p.media_path,
        'thumbnail_path', p.thumbnail_path,
        'visibility', p.visibility,
        'created_at', p.created_at,
        'like_count', p.like_count,
        'comment_count', p.comment_count,
        'view_count', p.view_count,
        'created_by', p.created_by,
        'user_profile', private.author_json(a),
        'username', case when a.id is null then null else jsonb_build_object('username', a.username::text) end,
        'comments', cm.preview,
        'liked_by_user', coalesce((v_flags -> p.id::text ->> 0)::boolean, false),
        'hidden_by_user', coalesce((v_flags -> p.id::text ->> 1)::boolean, false),
        'reported_by_user', coalesce((v_flags -> p.id::text ->> 2)::boolean, false)
      ) order by u.ord)
    from unnest(p_post_ids) with ordinality u(id, ord)
    join public.posts p on p.id = u.id
    left join public.profiles a on a.id = p.created_by
    cross join lateral (
      select coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'comment', c.comment) order by c.created_at desc, c.id desc), '[]') as preview
      from (
        select c.id, c.comment, c.created_at from public.comments c
        where c.post_id = p.id and not (c.created_by = any (v_blocked))
        order by c.created_at desc, c.id desc
        limit 3
      ) c
    ) cm
  ), '[]');
end;
$$;
comment on function private.post_items(bigint[]) is
  '000''s post items (counts, author, 3 latest visible comments, the caller''s flags) for these ids, in order, under the caller''s policies.';
grant execute on function private.post_items(bigint[]) to anon, authenticated, service_role;

-- 000's reel items: `post` is the post id, `video_url` the uploaded object's path (or the YouTube
-- Shorts URL), `comments` a count.
create function private.reel_items(p_post_ids bigint[])
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_flags jsonb := '{}';
begin
  if auth.uid() is not null then
    select coalesce(jsonb_object_agg(f.post_id::text, jsonb_build_array(f.liked, f.hidden, f.reported)), '{}')
      into v_flags from private.viewer_post_flags(p_post_ids) f;
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
        'post', p.id,
        'post_type', p.post_type,
        'title', p.post_title,
        'reel_description', p.post_description,
        'video_url', case when p.youtube_id is not null then 'https://www.youtube.com/shorts/' || p.youtube_id else p.media_path end,
        'youtube_id', p.youtube_id,
        'thumbnail_url', p.thumbnail_path,
        'created_at', p.created_at,
        'view_count', p.view_count,
        'like_count', p.like_count,
        'comments', p.comment_count,
        'created_by', p.created_by,
        'user_profile', private.author_json(a),
        'username', case when a.id is null then null else jsonb_build_object('username', a.username::text) end,
        'liked_by_user', coalesce((v_flags -> p.id::text ->> 0)::boolean, false),
        'hidden_by_user', coalesce((v_flags -> p.id::text ->> 1)::boolean, false),
        'reported_by_user', coalesce((v_flags -> p.id::text ->> 2)::boolean, false)
      ) order by u.ord)
    from unnest(p_post_ids) with ordinality u(id, ord)
    join public.posts p on p.id = u.id
    left join public.profiles a on a.id = p.created_by
  ), '[]');
end;
$$;
comment on function private.reel_items(bigint[]) is '000''s reel items for these ids, in order, under the caller''s policies.';
grant execute on function private.reel_items(bigint[]) to anon, authenticated, service_role;

-- The page envelope of every list is private.page_envelope, from the post interaction RPCs
-- migration: a page past the last one is 404 "Invalid page." (as in Django REST framework); page 1
-- of an empty list is an empty page.
