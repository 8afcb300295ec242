-- Search meets the premium gate: the signed-out search runs as service_role, which no policy
-- filters, so the result items themselves leave out premium posts for readers who are not premium
-- (their authors still find their own). Until billing exists nobody is premium.
-- Objects: functions private.search_result_items, private.video_search_items (replaced).

create or replace function private.search_result_items(p_ids bigint[], p_priorities integer[])
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'id', p.id,
      'post_title', p.post_title,
      'post_type', p.post_type,
      'post_description', p.post_description,
      'created_by', a.username::text,
      'created_at', p.created_at,
      'priority', u.priority,
      'trending_score', private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at),
      'like_count', p.like_count,
      'comment_count', p.comment_count,
      'view_count', p.view_count,
      'reels_data', case when p.post_type in ('reel', 'youtube_reel') then jsonb_build_object(
        'post', p.id,
        'video_url', case when p.youtube_id is not null then 'https://www.youtube.com/shorts/' || p.youtube_id else p.media_path end,
        'youtube_id', p.youtube_id,
        'thumbnail_url', p.thumbnail_path,
        'duration_seconds', p.duration_seconds) end,
      'user_profile', private.author_json(a)
    ) order by u.ord), '[]')
  from unnest(p_ids, p_priorities) with ordinality u(id, priority, ord)
  join public.posts p on p.id = u.id
  left join public.profiles a on a.id = p.created_by
  where not p.require_premium or p.created_by = auth.uid() or private.is_premium(auth.uid());
$$;

create or replace function private.video_search_items(p_ids bigint[])
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(i.item || jsonb_build_object(
      'category', p.category,
      'duration_seconds', p.duration_seconds,
      'video_quality', p.video_quality,
      'upload_status', p.upload_status,
      'allow_download', p.allow_download,
      'require_premium', p.require_premium,
      'trending_score', private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at)
    ) order by i.ord), '[]')
  from jsonb_array_elements(private.post_items(p_ids)) with ordinality i(item, ord)
  join public.posts p on p.id = (i.item ->> 'id')::bigint
  where not p.require_premium or p.created_by = auth.uid() or private.is_premium(auth.uid());
$$;
