-- Writing videos and what a viewer does with them (003): create_video, update_video, delete_video,
-- like_video ({is_like} → {success, is_liked, like_count}), video_stream and video_download (what the
-- client signs: bucket, path, expiry; see the SDK's videos.stream / download), creator_dashboard.
-- All are security invoker: every row they read or write passes the posts, post_likes and
-- storage policies and the posts triggers (creator-only reels and videos, server-kept columns), so
-- they only add 003's answers and messages on top of the walls a raw REST client meets. Order of
-- checks, as Django REST framework answers: signed in (401), active (403), readable (404 "Not found."),
-- allowed (403), fields valid (400 {"field": [...]}).
-- Objects: functions private.require_creator, private.readable_video, private.video_field_errors,
-- public.create_video, public.update_video, public.delete_video, public.like_video,
-- public.video_stream, public.video_download, public.creator_dashboard.

-- The caller's id when they are an active creator or admin (the live role, as the posts trigger
-- checks it); 401 / 403 otherwise.
create function private.require_creator()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
begin
  if not exists (select 1 from public.user_roles r where r.user_id = v_user and r.role in ('creator', 'admin')) then
    raise exception 'Only creators and admins can create reels and videos.' using errcode = '42501';
  end if;
  return v_user;
end;
$$;
comment on function private.require_creator() is 'The caller''s id; 401 signed out, 403 not active or not a creator/admin.';
revoke execute on function private.require_creator() from public, anon;
grant execute on function private.require_creator() to authenticated, service_role;

-- The video or reel as the caller may read it (the posts policies decide); 404 "Not found." otherwise.
create function private.readable_video(p_video_id bigint)
returns public.posts
language plpgsql
stable
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  select * into v_post from public.posts p where p.id = p_video_id and p.post_type in ('video', 'reel');
  if not found then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  return v_post;
end;
$$;
comment on function private.readable_video(bigint) is 'The video or reel row the caller can read; 404 "Not found." otherwise.';
revoke execute on function private.readable_video(bigint) from public;
grant execute on function private.readable_video(bigint) to anon, authenticated, service_role;

-- Field errors of 003's video fields present in p_fields (absent keys are not checked; p_required
-- names the keys that must be present).
create function private.video_field_errors(p_fields jsonb, p_required text[])
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_errors jsonb := '{}';
  v_key text;
  v_value jsonb;
begin
  foreach v_key in array p_required loop
    if not (p_fields ? v_key) then
      v_errors := v_errors || jsonb_build_object(v_key, jsonb_build_array('This field is required.'));
    end if;
  end loop;
  for v_key, v_value in select e.key, e.value from jsonb_each(p_fields) e loop
    if v_key in ('title', 'description', 'visibility', 'category', 'media_path') then
      if jsonb_typeof(v_value) = 'null' then
        if v_key <> 'category' then
          v_errors := v_errors || jsonb_build_object(v_key, jsonb_build_array('This field may not be null.'));
        end if;
      elsif jsonb_typeof(v_value) <> 'string' then
        v_errors := v_errors || jsonb_build_object(v_key, jsonb_build_array('Not a valid string.'));
      elsif v_key = 'title' and btrim(v_value #>> '{}') = '' then
        v_errors := v_errors || '{"title": ["This field may not be blank."]}';
      elsif v_key = 'title' and char_length(v_value #>> '{}') > 150 then
        v_errors := v_errors || '{"title": ["Ensure this field has no more than 150 characters."]}';
      elsif v_key = 'description' and char_length(v_value #>> '{}') > 5000 then
        v_errors := v_errors || '{"description": ["Ensure this field has no more than 5000 characters."]}';
      elsif v_key = 'category' and char_length(btrim(v_value #>> '{}')) > 50 then
        v_errors := v_errors || '{"category": ["Ensure this field has no more than 50 characters."]}';
      elsif v_key = 'visibility' and (v_value #>> '{}') not in ('public', 'private', 'unlisted') then
        v_errors := v_errors || jsonb_build_object('visibility', jsonb_build_array(format('"%s" is not a valid choice.', left(v_value #>> '{}', 50))));
      elsif v_key = 'media_path' and (btrim(v_value #>> '{}') = '' or char_length(v_value #>> '{}') > 300 or (v_value #>> '{}') ~ '\.\.') then
        v_errors := v_errors || '{"media_path": ["No video file provided"]}';
      end if;
    elsif v_key in ('allow_download', 'require_premium') then
      if jsonb_typeof(v_value) <> 'boolean' then
        v_errors := v_errors || jsonb_build_object(v_key, jsonb_build_array('Must be a valid boolean.'));
      end if;
    end if;
  end loop;
  return v_errors;
end;
$$;
comment on function private.video_field_errors(jsonb, text[]) is
  'Django REST framework field errors for 003''s video fields (title, description, visibility, allow_download, require_premium, category, media_path).';
revoke execute on function private.video_field_errors(jsonb, text[]) from public;
grant execute on function private.video_field_errors(jsonb, text[]) to anon, authenticated, service_role;

-- create -------------------------------------------------------------------------------------------
-- p_video: {title, description?, visibility?, allow_download?, require_premium?, category?,
-- media_path, post_type? ('video' default, or 'reel')}. The file must already be in the caller's
-- folder of a video bucket (uploaded, e.g. resumably): "No video file provided" otherwise.
create function public.create_video(p_video jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_creator();
  v_fields jsonb := coalesce(p_video, '{}');
  v_errors jsonb;
  v_type text := coalesce(v_fields ->> 'post_type', 'video');
  v_id bigint;
begin
  if jsonb_typeof(v_fields) <> 'object' then
    perform private.raise_field_errors('{"non_field_errors": ["Invalid data. Expected a dictionary."]}');
  end if;
  v_errors := private.video_field_errors(v_fields, array['title', 'media_path']);
  if v_type not in ('video', 'reel') then
    v_errors := v_errors || jsonb_build_object('post_type', jsonb_build_array(format('"%s" is not a valid choice.', left(v_type, 50))));
  end if;
  if not (v_errors ? 'media_path') and not exists (
    -- As the caller: their own folder, in a video bucket (the storage read policy of their folder).
    select 1 from storage.objects o
    where o.bucket_id = any (private.video_buckets()) and o.name = v_fields ->> 'media_path'
      and (storage.foldername(o.name))[1] = v_user::text
  ) then
    v_errors := v_errors || '{"media_path": ["No video file provided"]}';
  end if;
  perform private.raise_field_errors(v_errors);

  insert into public.posts (post_type, post_title, post_description, visibility, allow_download, require_premium, category, media_path)
  values (
    v_type::public.post_type,
    v_fields ->> 'title',
    coalesce(v_fields ->> 'description', ''),
    coalesce(v_fields ->> 'visibility', 'public')::public.post_visibility,
    coalesce((v_fields ->> 'allow_download')::boolean, false),
    coalesce((v_fields ->> 'require_premium')::boolean, false),
    nullif(btrim(v_fields ->> 'category'), ''),
    v_fields ->> 'media_path'
  )
  returning id into v_id;
  return private.video_items(array[v_id]) -> 0;
end;
$$;
comment on function public.create_video(jsonb) is
  '003 POST /api/videos/ for a file already uploaded to the caller''s folder: creators and admins; 400 with fields; the Video.';
grant execute on function public.create_video(jsonb) to authenticated;

-- update -------------------------------------------------------------------------------------------
-- p_changes: any of title, description, visibility, allow_download, require_premium, category
-- (003's Partial<Video>); other keys are read-only and ignored, as Django REST framework does.
create function public.update_video(p_video_id bigint, p_changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_post public.posts := private.readable_video(p_video_id);
  v_fields jsonb;
begin
  if v_post.created_by <> v_user then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if jsonb_typeof(coalesce(p_changes, '{}')) <> 'object' then
    perform private.raise_field_errors('{"non_field_errors": ["Invalid data. Expected a dictionary."]}');
  end if;
  select coalesce(jsonb_object_agg(e.key, e.value), '{}') into v_fields
  from jsonb_each(coalesce(p_changes, '{}')) e
  where e.key in ('title', 'description', 'visibility', 'allow_download', 'require_premium', 'category');
  perform private.raise_field_errors(private.video_field_errors(v_fields, '{}'));

  update public.posts p set
    post_title = case when v_fields ? 'title' then v_fields ->> 'title' else p.post_title end,
    post_description = case when v_fields ? 'description' then v_fields ->> 'description' else p.post_description end,
    visibility = case when v_fields ? 'visibility' then (v_fields ->> 'visibility')::public.post_visibility else p.visibility end,
    allow_download = case when v_fields ? 'allow_download' then (v_fields ->> 'allow_download')::boolean else p.allow_download end,
    require_premium = case when v_fields ? 'require_premium' then (v_fields ->> 'require_premium')::boolean else p.require_premium end,
    category = case when v_fields ? 'category' then nullif(btrim(v_fields ->> 'category'), '') else p.category end
  where p.id = v_post.id;
  if not found then
    -- The update policy refused (e.g. the author is no longer active).
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  return private.video_items(array[v_post.id]) -> 0;
end;
$$;
comment on function public.update_video(bigint, jsonb) is '003 PATCH /api/videos/{id}/: the owner changes title, description, visibility, allow_download, require_premium, category; the Video.';
grant execute on function public.update_video(bigint, jsonb) to authenticated;

-- delete -------------------------------------------------------------------------------------------
create function public.delete_video(p_video_id bigint)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_post public.posts := private.readable_video(p_video_id);
begin
  -- The delete policy decides (the owner while active, admins any).
  delete from public.posts p where p.id = v_post.id;
  if not found then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  return jsonb_build_object('success', true, 'message', 'Video deleted successfully.');
end;
$$;
comment on function public.delete_video(bigint) is '003 DELETE /api/videos/{id}/: the owner or an admin; {success, message}. Its file leaves through the storage removal queue.';
grant execute on function public.delete_video(bigint) to authenticated;

-- like ---------------------------------------------------------------------------------------------
create function public.like_video(p_video_id bigint, p_is_like boolean)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_post public.posts := private.readable_video(p_video_id);
  v_count integer;
begin
  if p_is_like is null then
    perform private.raise_field_errors('{"is_like": ["This field is required."]}');
  end if;
  -- Idempotent: liking twice or unliking what is not liked changes nothing. The counter trigger
  -- updates the post row, so the count read below includes every like committed before ours.
  if p_is_like then
    insert into public.post_likes (post_id) values (v_post.id) on conflict (post_id, user_id) do nothing;
  else
    delete from public.post_likes l where l.post_id = v_post.id and l.user_id = v_user;
  end if;
  select p.like_count into v_count from public.posts p where p.id = v_post.id;
  return jsonb_build_object('success', true, 'is_liked', p_is_like, 'like_count', v_count);
end;
$$;
comment on function public.like_video(bigint, boolean) is '003 POST /api/videos/{id}/like/ {is_like}: likes or unlikes (idempotent); {success, is_liked, like_count}.';
grant execute on function public.like_video(bigint, boolean) to authenticated;

-- stream and download ------------------------------------------------------------------------------
-- What the client signs (Storage signs only what the caller may read: see the storage policy of the
-- premium gate migration). 409 while the video is not ready.
create function public.video_stream(p_video_id bigint)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_post public.posts := private.readable_video(p_video_id);
  v_bucket text;
begin
  if v_post.upload_status <> 'ready' then
    raise exception 'Video is not ready yet.' using errcode = 'PT409';
  end if;
  -- As the caller: the storage read policies decide, as they will when the client signs.
  select o.bucket_id into v_bucket
  from storage.objects o
  where o.bucket_id = any (private.video_buckets()) and o.name = v_post.media_path
  order by array_position(private.video_buckets(), o.bucket_id)
  limit 1;
  return jsonb_build_object(
    'video_id', v_post.id,
    'bucket', coalesce(v_bucket, (private.video_buckets())[1]),
    'path', v_post.media_path,
    'expires_in', 3600,
    'duration_seconds', v_post.duration_seconds,
    'video_quality', v_post.video_quality,
    'thumbnail_path', v_post.thumbnail_path
  );
end;
$$;
comment on function public.video_stream(bigint) is '003 GET /api/videos/{id}/stream/: the object to sign (bucket, path, expires_in seconds) of a ready video the caller can read.';
grant execute on function public.video_stream(bigint) to anon, authenticated, service_role;

create function public.video_download(p_video_id bigint)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_post public.posts := private.readable_video(p_video_id);
  v_allowed boolean := v_post.allow_download or v_post.created_by is not distinct from auth.uid();
begin
  -- Nested: anon may not execute private.is_admin.
  if not v_allowed and auth.uid() is not null then
    v_allowed := private.is_admin();
  end if;
  if not v_allowed then
    raise exception 'Downloads are not allowed for this video.' using errcode = '42501';
  end if;
  return public.video_stream(p_video_id);
end;
$$;
comment on function public.video_download(bigint) is 'The object to sign for a download: only when allow_download (the owner and admins always); 403 otherwise.';
grant execute on function public.video_download(bigint) to anon, authenticated, service_role;

-- dashboard ----------------------------------------------------------------------------------------
create function public.creator_dashboard(p_page integer default 1, p_page_size integer default 20)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user uuid;
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 20);
  v_totals jsonb;
  v_results jsonb;
begin
  v_user := private.require_active_caller();
  if not exists (select 1 from public.user_roles r where r.user_id = v_user and r.role in ('creator', 'admin')) then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  select jsonb_build_object(
      'count', count(*),
      'videos', count(*) filter (where p.post_type = 'video'),
      'reels', count(*) filter (where p.post_type = 'reel'),
      'views', coalesce(sum(p.view_count), 0),
      'likes', coalesce(sum(p.like_count), 0),
      'comments', coalesce(sum(p.comment_count), 0))
    into v_totals
  from public.posts p where p.created_by = v_user and p.post_type in ('video', 'reel');
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', x.id, 'post_type', x.post_type, 'title', x.post_title, 'visibility', x.visibility,
      'upload_status', x.upload_status, 'view_count', x.view_count, 'like_count', x.like_count,
      'comment_count', x.comment_count, 'duration_seconds', x.duration_seconds,
      'video_quality', x.video_quality, 'thumbnail_path', x.thumbnail_path,
      'require_premium', x.require_premium, 'allow_download', x.allow_download,
      'created_at', x.created_at) order by x.created_at desc, x.id desc), '[]')
    into v_results
  from (
    select p.* from public.posts p
    where p.created_by = v_user and p.post_type in ('video', 'reel')
    order by p.created_at desc, p.id desc
    limit v_size offset (v_page - 1) * v_size
  ) x;
  return private.page_envelope((v_totals ->> 'count')::bigint, v_page, v_size, v_results)
    || jsonb_build_object('totals', v_totals - 'count');
end;
$$;
comment on function public.creator_dashboard(integer, integer) is
  'The caller''s (creator or admin) videos and reels, newest first, with views, likes, comments and upload_status, and totals; 403 otherwise.';
grant execute on function public.creator_dashboard(integer, integer) to authenticated;
