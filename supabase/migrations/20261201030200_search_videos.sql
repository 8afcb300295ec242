-- 003 "Search Videos": searchable videos (type video, upload ready) by words of the title or
-- description (typo-tolerant, as search_posts), filtered by category, duration and quality, ordered,
-- paged, with facet counts. Security invoker with search's exclusions (see 20261201030100).
-- Each facet counts the matches under every filter but its own, so a client can offer the other
-- categories (or qualities) of the current search.
-- Objects: functions private.video_search_items, public.search_videos.

-- Invoker: post items (private.post_items) with the video fields of 003.
create function private.video_search_items(p_ids bigint[])
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
  join public.posts p on p.id = (i.item ->> 'id')::bigint;
$$;
comment on function private.video_search_items(bigint[]) is 'Post items with category, duration_seconds, video_quality, upload_status, allow_download, require_premium, trending_score.';
revoke execute on function private.video_search_items(bigint[]) from public;
grant execute on function private.video_search_items(bigint[]) to anon, authenticated, service_role;

create function public.search_videos(
  p_q text,
  p_category text default null,
  p_duration_min numeric default null,
  p_duration_max numeric default null,
  p_quality text default null,
  p_ordering text default 'relevance',
  p_page integer default 1,
  p_page_size integer default 20
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_size integer := private.page_size_within(p_page, p_page_size, 50);
  v_terms text[] := private.search_query_terms(p_q, 'q');
  v_patterns text[] := private.search_term_patterns(v_terms);
  v_category text := nullif(btrim(coalesce(p_category, '')), '');
  v_quality text := nullif(btrim(coalesce(p_quality, '')), '');
  v_hidden uuid[] := private.search_hidden_author_ids();
  v_excluded bigint[] := '{}';
  v_errors jsonb := '{}';
  v_title text := 'true';
  v_description text := 'true';
  v_base text;
  v_order text;
  v_count bigint;
  v_ids bigint[];
  v_categories jsonb;
  v_qualities jsonb;
begin
  if p_duration_min is not null and p_duration_min < 0 then
    v_errors := v_errors || '{"duration_min": ["Ensure this value is greater than or equal to 0."]}';
  end if;
  if p_duration_max is not null and p_duration_max < 0 then
    v_errors := v_errors || '{"duration_max": ["Ensure this value is greater than or equal to 0."]}';
  elsif p_duration_max is not null and p_duration_min is not null and p_duration_max < p_duration_min then
    v_errors := v_errors || '{"duration_max": ["Ensure this value is greater than or equal to duration_min."]}';
  end if;
  if v_quality is not null and v_quality not in ('240p', '360p', '480p', '720p', '1080p', '1440p', '2160p') then
    v_errors := v_errors || jsonb_build_object('quality', jsonb_build_array(format('"%s" is not a valid choice.', left(v_quality, 20))));
  end if;
  if char_length(v_category) > 50 then
    v_errors := v_errors || '{"category": ["Ensure this field has no more than 50 characters."]}';
  end if;
  v_order := case coalesce(p_ordering, 'relevance')
    when 'relevance' then 'title_match desc, score desc, p.id desc'
    when '-trending_score' then 'score desc, p.id desc'
    when '-created_at' then 'p.created_at desc, p.id desc'
    when 'created_at' then 'p.created_at, p.id'
    when '-view_count' then 'p.view_count desc, p.id desc'
    when 'duration_seconds' then 'p.duration_seconds nulls last, p.id'
    when '-duration_seconds' then 'p.duration_seconds desc nulls last, p.id desc'
  end;
  if v_order is null then
    v_errors := v_errors || '{"ordering": ["Choose one of relevance, -trending_score, -created_at, created_at, -view_count, duration_seconds, -duration_seconds."]}';
  end if;
  perform private.raise_field_errors(v_errors);

  if auth.uid() is not null then
    v_excluded := private.viewer_excluded_post_ids();
  end if;
  for i in 1 .. cardinality(v_patterns) loop
    v_title := v_title || format(' and private.search_norm(p.post_title) ~ %L', v_patterns[i]);
    v_description := v_description || format(' and private.search_norm(p.post_description) ~ %L', v_patterns[i]);
  end loop;
  -- Matches under every filter but category and quality ($5, $6 apply them where wanted).
  v_base := format($q$
    select p.id, p.created_at, p.view_count, p.duration_seconds, p.category, p.video_quality, (%1$s) as title_match,
      private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at) as score
    from public.posts p
    where p.post_type = 'video' and p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null
      and p.upload_status = 'ready'
      and ((%1$s) or (%2$s))
      and not (p.created_by = any ($1)) and not (p.id = any ($2))
      and ($3::numeric is null or p.duration_seconds >= $3) and ($4::numeric is null or p.duration_seconds <= $4)$q$,
    v_title, v_description);

  execute format('select count(*) from (%s) p where ($5::text is null or lower(p.category) = lower($5)) and ($6::text is null or p.video_quality = $6)', v_base)
    into v_count using v_hidden, v_excluded, p_duration_min, p_duration_max, v_category, v_quality;
  execute format('select array(select p.id from (%s) p where ($5::text is null or lower(p.category) = lower($5)) and ($6::text is null or p.video_quality = $6) order by %s limit $7 offset $8)',
      v_base, v_order)
    into v_ids using v_hidden, v_excluded, p_duration_min, p_duration_max, v_category, v_quality, v_size, (p_page - 1) * v_size;
  execute format($q$select coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n) order by n desc, name), '[]')
      from (select p.category as name, count(*) as n from (%s) p where p.category is not null and ($6::text is null or p.video_quality = $6)
            group by p.category) f$q$, v_base)
    into v_categories using v_hidden, v_excluded, p_duration_min, p_duration_max, v_category, v_quality;
  execute format($q$select coalesce(jsonb_agg(jsonb_build_object('name', name, 'count', n) order by n desc, name), '[]')
      from (select p.video_quality as name, count(*) as n from (%s) p where p.video_quality is not null and ($5::text is null or lower(p.category) = lower($5))
            group by p.video_quality) f$q$, v_base)
    into v_qualities using v_hidden, v_excluded, p_duration_min, p_duration_max, v_category, v_quality;

  return private.page_envelope(v_count, p_page, v_size, private.video_search_items(v_ids))
    || jsonb_build_object('facets', jsonb_build_object('categories', v_categories, 'qualities', v_qualities));
end;
$$;
comment on function public.search_videos(text, text, numeric, numeric, text, text, integer, integer) is
  '003 GET /api/videos/search/: ready public videos the caller may see by q (typo-tolerant), category, duration and quality; ordering; paged; facets.';
grant execute on function public.search_videos(text, text, numeric, numeric, text, text, integer, integer) to anon, authenticated, service_role;
