-- Videos reach storage two ways: files attached to a post directly (post-videos, issue 8) and
-- creators' resumable uploads (creator-videos). The videos API serves both: the video buckets are
-- both, and stream/download name the bucket that holds the post's file.
-- Objects: functions private.video_buckets, public.video_stream (replaced).

create or replace function private.video_buckets()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['post-videos', 'creator-videos'];
$$;

create or replace function public.video_stream(p_video_id bigint)
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
