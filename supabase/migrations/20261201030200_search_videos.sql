-- 003 "Search Videos": searchable videos (type video, upload ready) by words of the title or
-- description (typo-tolerant, as search_posts), filtered by category, duration and quality, ordered,
-- paged, with facet counts. Security invoker with search's exclusions; matching runs in a definer
-- helper that filters as the caller, for the reason 20261201030100 gives.
-- Each facet counts the matches under every filter but its own, so a client can offer the other
-- categories (or qualities) of the current search.
-- Objects: functions private.video_search_items, private.video_search_matches, public.search_videos.

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
  join public.posts p on p.id = (i.item ->> 'id')::bigint
  -- The premium gate, as in private.search_result_items.
  where not p.require_premium or p.created_by = auth.uid() or private.is_premium(auth.uid());
$$;
comment on function private.video_search_items(bigint[]) is 'Post items with category, duration_seconds, video_quality, upload_status, allow_download, require_premium, trending_score.';
revoke execute on function private.video_search_items(bigint[]) from public;
grant execute on function private.video_search_items(bigint[]) to anon, authenticated, service_role;

-- Definer, filtering as the caller (search's exclusions from auth.uid()): ready public videos whose
-- title or description holds every pattern, within the duration range; category and quality are left
-- to the caller of this helper (the facets need the matches without them).
create function private.video_search_matches(p_patterns text[], p_duration_min numeric, p_duration_max numeric)
returns table (id bigint, created_at timestamptz, view_count bigint, duration_seconds numeric, category text,
  video_quality text, title_match boolean, score double precision)
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_hidden uuid[] := private.search_hidden_author_ids();
  v_excluded bigint[] := '{}';
  v_title text := 'true';
  v_description text := 'true';
begin
  if auth.uid() is not null then
    v_excluded := private.viewer_excluded_post_ids();
  end if;
  for i in 1 .. cardinality(p_patterns) loop
    v_title := v_title || format(' and private.search_norm(p.post_title) ~ %L', p_patterns[i]);
    v_description := v_description || format(' and private.search_norm(p.post_description) ~ %L', p_patterns[i]);
  end loop;
  return query execute format($q$
    select p.id, p.created_at, p.view_count, p.duration_seconds, p.category, p.video_quality, (%1$s),
      private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at)
    from public.posts p
    where p.post_type = 'video' and p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null
      and p.upload_status = 'ready'
      and ((%1$s) or (%2$s))
      and not (p.created_by = any ($1)) and not (p.id = any ($2))
      and ($3::numeric is null or p.duration_seconds >= $3) and ($4::numeric is null or p.duration_seconds <= $4)$q$,
    v_title, v_description)
  using v_hidden, v_excluded, p_duration_min, p_duration_max;
end;
$$;
comment on function private.video_search_matches(text[], numeric, numeric) is 'Ready public videos matching the patterns and duration range that the caller may be shown.';
revoke execute on function private.video_search_matches(text[], numeric, numeric) from public, anon;
grant execute on function private.video_search_matches(text[], numeric, numeric) to authenticated, service_role;

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
  v_errors jsonb := '{}';
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

  -- One statement: the matches once, then the page, the count and each facet under every filter but its own.
  execute format($q$
    with m as materialized (select * from private.video_search_matches($1, $2, $3)),
    f as (select * from m p where ($4::text is null or lower(p.category) = lower($4)) and ($5::text is null or p.video_quality = $5))
    select (select count(*) from f),
      array(select p.id from f p order by %s limit $6 offset $7),
      (select coalesce(jsonb_agg(jsonb_build_object('name', x.name, 'count', x.n) order by x.n desc, x.name), '[]')
       from (select p.category as name, count(*) as n from m p
             where p.category is not null and ($5::text is null or p.video_quality = $5) group by p.category) x),
      (select coalesce(jsonb_agg(jsonb_build_object('name', x.name, 'count', x.n) order by x.n desc, x.name), '[]')
       from (select p.video_quality as name, count(*) as n from m p
             where p.video_quality is not null and ($4::text is null or lower(p.category) = lower($4)) group by p.video_quality) x)$q$,
    v_order)
  into v_count, v_ids, v_categories, v_qualities
  using v_patterns, p_duration_min, p_duration_max, v_category, v_quality, v_size, (p_page - 1) * v_size;

  return private.page_envelope(v_count, p_page, v_size, private.video_search_items(v_ids))
    || jsonb_build_object('facets', jsonb_build_object('categories', v_categories, 'qualities', v_qualities));
end;
$$;
comment on function public.search_videos(text, text, numeric, numeric, text, text, integer, integer) is
  '003 GET /api/videos/search/: ready public videos the caller may see by q (typo-tolerant), category, duration and quality; ordering; paged; facets.';
revoke execute on function public.search_videos(text, text, numeric, numeric, text, text, integer, integer) from public, anon;
grant execute on function public.search_videos(text, text, numeric, numeric, text, text, integer, integer) to authenticated, service_role;
