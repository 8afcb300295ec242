-- The video upload's life: start (the client reserves the post and the object), the status the
-- client polls, and the service steps the video-process function and the video processor take:
-- uploading → processing (the file is there and its first bytes are a video) → ready (duration,
-- quality and thumbnail measured from the file) or failed (with the reason). The uploader is
-- notified when the video is ready. upload_status and the measured columns are not client-writable
-- (column privileges on posts), so only these functions move a post through the states.
-- Objects: functions public.start_video_upload, public.video_upload_status, service.find_video_upload,
-- service.begin_video_processing, service.claim_video_processing, service.finish_video_processing,
-- service.fail_video_processing, private.video_quality_for_height, private.notify_video_ready and its
-- trigger; publication supabase_realtime adds posts.

-- Definer: the post is made `uploading` (a server-kept column) with its private upload row; every
-- rule the posts policies and triggers hold is checked here or by those triggers.
create function public.start_video_upload(
  p_title text,
  p_post_type public.post_type,
  p_mime_type text,
  p_size_bytes bigint,
  p_description text default '',
  p_visibility public.post_visibility default 'public',
  p_category text default null,
  p_allow_download boolean default false,
  p_require_premium boolean default false
)
returns jsonb
language plpgsql
volatile
security definer
set search_path = ''
as $$
declare
  v_me uuid := private.require_active_caller();
  v_mime text := lower(btrim(coalesce(p_mime_type, '')));
  v_ext text;
  v_object text;
  v_post_id bigint;
begin
  if not exists (select 1 from public.user_roles r where r.user_id = v_me and r.role in ('creator', 'admin')) then
    raise exception 'Only creators and admins can upload reels and videos.' using errcode = '42501';
  end if;
  if p_post_type is null or p_post_type not in ('reel', 'video') then
    raise exception 'post_type must be reel or video.' using errcode = '23514', detail = '{"post_type": ["post_type must be reel or video."]}';
  end if;
  if v_mime !~ '^video/[a-z0-9.+-]+$' then
    raise exception 'The file is not a video.' using errcode = '23514', detail = '{"video": ["The file is not a video."]}';
  end if;
  if p_size_bytes is null or p_size_bytes < 1 then
    raise exception 'No video file provided' using errcode = '23514', detail = '{"video": ["No video file provided"]}';
  end if;
  if p_size_bytes > 1073741824 then
    raise exception 'The video is larger than 1 GiB.' using errcode = '23514', detail = '{"video": ["The video is larger than 1 GiB."]}';
  end if;
  v_ext := case v_mime when 'video/mp4' then 'mp4' when 'video/quicktime' then 'mov' when 'video/webm' then 'webm'
    when 'video/x-matroska' then 'mkv' else 'video' end;
  v_object := v_me::text || '/' || gen_random_uuid()::text || '.' || v_ext;

  insert into public.posts (created_by, post_type, post_title, post_description, visibility, category,
    allow_download, require_premium, media_path, upload_status)
  values (v_me, p_post_type, p_title, coalesce(p_description, ''), coalesce(p_visibility, 'public'), p_category,
    coalesce(p_allow_download, false), coalesce(p_require_premium, false), v_object, 'uploading')
  returning id into v_post_id;
  insert into private.video_uploads (post_id, created_by, object_name, mime_type, size_bytes)
  values (v_post_id, v_me, v_object, v_mime, p_size_bytes);

  return jsonb_build_object('id', v_post_id, 'bucket', 'creator-videos', 'object_name', v_object,
    'upload_status', 'uploading', 'chunk_size', 6291456);
end;
$$;
comment on function public.start_video_upload(text, public.post_type, text, bigint, text, public.post_visibility, text, boolean, boolean) is
  'Creators and admins: makes an uploading reel or video post and reserves the creator-videos object its file goes to.';
revoke execute on function public.start_video_upload(text, public.post_type, text, bigint, text, public.post_visibility, text, boolean, boolean) from public, anon;
grant execute on function public.start_video_upload(text, public.post_type, text, bigint, text, public.post_visibility, text, boolean, boolean) to authenticated;

-- Invoker: whoever may read the post (its author, an admin, a reader of a shown post) reads its state.
create function public.video_upload_status(p_post_id bigint)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_row jsonb;
begin
  select jsonb_build_object('id', p.id, 'upload_status', p.upload_status, 'duration_seconds', p.duration_seconds,
      'video_quality', p.video_quality, 'thumbnail_path', p.thumbnail_path, 'media_path', p.media_path)
    into v_row
  from public.posts p
  where p.id = p_post_id and p.post_type in ('reel', 'video');
  if v_row is null then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  return v_row;
end;
$$;
comment on function public.video_upload_status(bigint) is 'A readable reel or video''s upload status, duration, quality and thumbnail.';
revoke execute on function public.video_upload_status(bigint) from public;
grant execute on function public.video_upload_status(bigint) to anon, authenticated;

create function private.video_quality_for_height(p_height integer)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_height is null or p_height <= 0 then null
    when p_height >= 2160 then '2160p'
    when p_height >= 1440 then '1440p'
    when p_height >= 1080 then '1080p'
    when p_height >= 720 then '720p'
    when p_height >= 480 then '480p'
    when p_height >= 360 then '360p'
    else '240p'
  end;
$$;
comment on function private.video_quality_for_height(integer) is 'The quality label of a frame height (the largest standard height it reaches).';
revoke execute on function private.video_quality_for_height(integer) from public, anon, authenticated;
grant execute on function private.video_quality_for_height(integer) to service_role;

-- The video-process function: the caller's upload (404 for anyone else's) and its state.
create function service.find_video_upload(p_user uuid, p_post_id bigint)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('id', u.post_id, 'object_name', u.object_name, 'mime_type', u.mime_type,
    'upload_status', p.upload_status)
  from private.video_uploads u
  join public.posts p on p.id = u.post_id
  where u.post_id = p_post_id and u.created_by = p_user;
$$;
comment on function service.find_video_upload(uuid, bigint) is 'video-process: the caller''s reel or video upload, or null.';

-- The video-process function, for the caller it authenticated: the file is in storage (the function
-- read its first bytes); the post moves to processing and the processor may claim it.
create function service.begin_video_processing(p_user uuid, p_post_id bigint)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_upload private.video_uploads;
  v_status public.upload_status;
begin
  select u.* into v_upload from private.video_uploads u where u.post_id = p_post_id for update;
  if v_upload.post_id is null or v_upload.created_by <> p_user then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  if not exists (select 1 from public.user_roles r where r.user_id = p_user and r.role in ('creator', 'admin')) then
    raise exception 'Only creators and admins can upload reels and videos.' using errcode = '42501';
  end if;
  select p.upload_status into v_status from public.posts p where p.id = p_post_id for update;
  if v_status <> 'uploading' then
    raise exception 'This upload is already %.', v_status using errcode = 'PT409';
  end if;
  update public.posts set upload_status = 'processing' where id = p_post_id;
  update private.video_uploads set claimed_at = null, failure_reason = null where post_id = p_post_id;
  -- Wakes a listening processor (Marquee Local's); others poll claim_video_processing.
  perform pg_notify('video_processing', p_post_id::text);
  return jsonb_build_object('id', p_post_id, 'upload_status', 'processing');
end;
$$;
comment on function service.begin_video_processing(uuid, bigint) is 'video-process: marks the caller''s uploaded reel or video as processing.';

-- The processor takes up to p_limit processing videos nobody works on (or whose claim is stale).
create function service.claim_video_processing(p_limit integer default 1)
returns table (post_id bigint, created_by uuid, object_name text, mime_type text)
language sql
volatile
set search_path = ''
as $$
  with claimable as (
    select u.post_id
    from private.video_uploads u
    join public.posts p on p.id = u.post_id
    where p.upload_status = 'processing'
      and (u.claimed_at is null or u.claimed_at < now() - interval '5 minutes')
    order by u.created_at
    limit greatest(1, least(coalesce(p_limit, 1), 10))
    for update of u skip locked
  )
  update private.video_uploads u
  set claimed_at = now(), attempts = u.attempts + 1
  from claimable c
  where u.post_id = c.post_id
  returning u.post_id, u.created_by, u.object_name, u.mime_type;
$$;
comment on function service.claim_video_processing(integer) is 'The video processor: claims processing uploads to measure.';

create function service.finish_video_processing(p_post_id bigint, p_duration_seconds numeric, p_height integer, p_thumbnail_path text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  select p.* into v_post from public.posts p where p.id = p_post_id for update;
  if v_post.id is null then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  if v_post.upload_status <> 'processing' then
    raise exception 'This upload is not processing.' using errcode = 'PT409';
  end if;
  update public.posts
  set upload_status = 'ready', duration_seconds = round(p_duration_seconds, 3),
      video_quality = private.video_quality_for_height(p_height), thumbnail_path = p_thumbnail_path
  where id = p_post_id;
  update private.video_uploads set claimed_at = null where post_id = p_post_id;
  return jsonb_build_object('id', p_post_id, 'upload_status', 'ready');
end;
$$;
comment on function service.finish_video_processing(bigint, numeric, integer, text) is
  'The video processor: records what it measured, marks the video ready and notifies the uploader.';

-- Definer: the notification door (private.notify_event) is not the updating role's. A trigger, so a
-- post made ready by any door (the dashboard included) notifies its uploader once.
create function private.notify_video_ready()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify_event(null, new.created_by, 'general',
    format('Your %s "%s" is ready.', new.post_type, new.post_title), 'post', new.id);
  return null;
end;
$$;
comment on function private.notify_video_ready() is 'Notifies the uploader when their reel or video becomes ready.';
revoke execute on function private.notify_video_ready() from public, anon, authenticated;
create trigger posts_notify_video_ready after update of upload_status on public.posts
  for each row when (new.upload_status = 'ready' and old.upload_status is distinct from 'ready' and new.post_type in ('reel', 'video'))
  execute function private.notify_video_ready();

create function service.fail_video_processing(p_post_id bigint, p_reason text)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
begin
  update public.posts set upload_status = 'failed' where id = p_post_id and upload_status = 'processing';
  if not found then
    raise exception 'This upload is not processing.' using errcode = 'PT409';
  end if;
  update private.video_uploads set claimed_at = null, failure_reason = left(p_reason, 500) where post_id = p_post_id;
  return jsonb_build_object('id', p_post_id, 'upload_status', 'failed');
end;
$$;
comment on function service.fail_video_processing(bigint, text) is 'The video processor: marks a video it could not measure as failed, with the reason.';

revoke execute on function service.find_video_upload(uuid, bigint), service.begin_video_processing(uuid, bigint), service.claim_video_processing(integer),
  service.finish_video_processing(bigint, numeric, integer, text), service.fail_video_processing(bigint, text)
  from public, anon, authenticated;
grant execute on function service.find_video_upload(uuid, bigint), service.begin_video_processing(uuid, bigint), service.claim_video_processing(integer),
  service.finish_video_processing(bigint, numeric, integer, text), service.fail_video_processing(bigint, text)
  to service_role;

-- Clients follow an upload with Realtime postgres_changes on its row (Realtime applies the posts
-- read policies to each subscriber).
alter publication supabase_realtime add table public.posts;
