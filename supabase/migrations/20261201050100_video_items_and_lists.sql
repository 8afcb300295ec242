-- Videos (003) are posts rows of post_type 'video' (reels are 'reel'; both are "uploaded videos" for
-- get, update, delete, like, stream and download; the list shows 'video' rows). This migration gives
-- their item shape and the list: private.video_items (003's Video, as the caller may read it) and
-- public.list_videos (003 GET /api/videos/: search, visibility, uploader, ordering, page) and
-- public.get_video. Both are security invoker: the posts policies decide (private only to the owner,
-- unlisted by id only, blocks both ways, suspended authors, the premium gate, moderation), and the
-- list adds its own rules: public, ready videos of active authors, nothing the reader hid or reported.
-- The owner lists their own private or unlisted videos by asking for that visibility.
-- Objects: functions private.video_items, private.video_order_by, public.list_videos, public.get_video.

-- 003's Video for these ids, in order, under the caller's policies.
create function private.video_items(p_post_ids bigint[])
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_flags jsonb := '{}';
begin
  if auth.uid() is not null then
    select coalesce(jsonb_object_agg(f.post_id::text, f.liked), '{}')
      into v_flags from private.viewer_post_flags(p_post_ids) f;
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
        'id', p.id,
        'post_type', p.post_type,
        'title', p.post_title,
        'description', p.post_description,
        'visibility', p.visibility,
        'allow_download', p.allow_download,
        'require_premium', p.require_premium,
        'category', p.category,
        'upload_status', p.upload_status,
        'duration_seconds', p.duration_seconds,
        'video_quality', p.video_quality,
        'thumbnail_path', p.thumbnail_path,
        'media_path', p.media_path,
        'like_count', p.like_count,
        'comment_count', p.comment_count,
        'view_count', p.view_count,
        'created_at', p.created_at,
        'updated_at', p.updated_at,
        'uploader', private.author_json(a),
        'liked_by_user', coalesce((v_flags ->> p.id::text)::boolean, false)
      ) order by u.ord)
    from unnest(p_post_ids) with ordinality u(id, ord)
    join public.posts p on p.id = u.id and p.post_type in ('video', 'reel')
    left join public.profiles a on a.id = p.created_by
  ), '[]');
end;
$$;
comment on function private.video_items(bigint[]) is '003''s Video items for these ids (videos and reels), in order, under the caller''s policies.';
revoke execute on function private.video_items(bigint[]) from public;
grant execute on function private.video_items(bigint[]) to anon, authenticated, service_role;

-- The ORDER BY of an ordering choice, or null when it is not one.
create function private.video_order_by(p_ordering text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case coalesce(p_ordering, '-created_at')
    when '-created_at' then 'p.created_at desc, p.id desc'
    when 'created_at' then 'p.created_at, p.id'
    when 'title' then 'p.post_title, p.id'
    when '-title' then 'p.post_title desc, p.id desc'
    when 'like_count' then 'p.like_count, p.id'
    when '-like_count' then 'p.like_count desc, p.id desc'
    when 'view_count' then 'p.view_count, p.id'
    when '-view_count' then 'p.view_count desc, p.id desc'
  end;
$$;
comment on function private.video_order_by(text) is 'ORDER BY for list_videos'' ordering (created_at, title, like_count, view_count, each with -), null when unknown.';
revoke execute on function private.video_order_by(text) from public;
grant execute on function private.video_order_by(text) to anon, authenticated, service_role;

create function public.list_videos(
  p_page integer default 1,
  p_page_size integer default 20,
  p_search text default null,
  p_visibility text default null,
  p_uploader text default null,
  p_ordering text default '-created_at'
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 20);
  v_search text := nullif(btrim(coalesce(p_search, '')), '');
  v_visibility text := nullif(btrim(coalesce(p_visibility, '')), '');
  v_uploader text := nullif(btrim(coalesce(p_uploader, '')), '');
  v_order text := private.video_order_by(p_ordering);
  v_errors jsonb := '{}';
  v_uploader_id uuid;
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_where text;
  v_count bigint;
  v_ids bigint[];
begin
  if v_order is null then
    v_errors := v_errors || jsonb_build_object('ordering', jsonb_build_array(
      'Choose one of created_at, -created_at, title, -title, like_count, -like_count, view_count, -view_count.'));
  end if;
  if char_length(v_search) > 100 then
    v_errors := v_errors || '{"search": ["Ensure this field has no more than 100 characters."]}';
  end if;
  if v_visibility is not null and v_visibility not in ('public', 'private', 'unlisted') then
    v_errors := v_errors || jsonb_build_object('visibility', jsonb_build_array(format('"%s" is not a valid choice.', left(v_visibility, 50))));
  end if;
  if char_length(v_uploader) > 50 then
    v_errors := v_errors || '{"uploader": ["Ensure this field has no more than 50 characters."]}';
  end if;
  perform private.raise_field_errors(v_errors);

  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
  end if;
  if v_uploader is not null then
    -- An unknown (or unreadable) username matches nothing.
    select pr.id into v_uploader_id from public.profiles pr where pr.username operator(extensions.=) v_uploader::extensions.citext;
    if v_uploader_id is null then
      return private.page_envelope(0, v_page, v_size, '[]');
    end if;
  end if;

  v_where := 'p.post_type = ''video'' and not (p.created_by = any ($1)) and not (p.id = any ($2))';
  if v_visibility in ('private', 'unlisted') then
    -- Never listed for anyone else: only the owner, asking for their own.
    v_where := v_where || ' and p.created_by = auth.uid() and p.visibility = $3::public.post_visibility';
  else
    v_where := v_where || ' and p.visibility = ''public'' and p.author_active and p.upload_status = ''ready''';
  end if;
  if v_uploader_id is not null then
    v_where := v_where || ' and p.created_by = $4';
  end if;
  if v_search is not null then
    -- The expression of posts_search_trgm_idx; % and _ in the terms match themselves.
    v_where := v_where || ' and (p.post_title || '' '' || p.post_description) ilike $5';
    v_search := '%' || replace(replace(replace(v_search, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;

  execute 'select count(*) from public.posts p where ' || v_where
    into v_count using v_blocked, v_excluded, v_visibility, v_uploader_id, v_search;
  execute 'select array(select p.id from public.posts p where ' || v_where
    || ' order by ' || v_order || ' limit $6 offset $7)'
    into v_ids using v_blocked, v_excluded, v_visibility, v_uploader_id, v_search, v_size, (v_page - 1) * v_size;
  return private.page_envelope(v_count, v_page, v_size, private.video_items(v_ids));
end;
$$;
comment on function public.list_videos(integer, integer, text, text, text, text) is
  '003 GET /api/videos/: public ready videos the caller may see (or the caller''s own private/unlisted ones when asked), search, uploader, ordering, page.';
grant execute on function public.list_videos(integer, integer, text, text, text, text) to anon, authenticated, service_role;

create function public.get_video(p_video_id bigint)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_item jsonb := private.video_items(array[p_video_id]) -> 0;
begin
  -- The posts policies alone decide: unlisted by id, private to the owner and admins, the premium gate.
  if v_item is null then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  return v_item;
end;
$$;
comment on function public.get_video(bigint) is '003 GET /api/videos/{id}/: a video or reel as the caller may read it; 404 "Not found." otherwise.';
grant execute on function public.get_video(bigint) to anon, authenticated, service_role;
