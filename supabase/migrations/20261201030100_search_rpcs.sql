-- Search RPCs (000 §11, 003 "Search Videos", the home screen's trending list) and their helpers.
-- All three public RPCs are security invoker: the posts and profiles policies of the caller apply to
-- every item they answer, and on top of them each returns only searchable posts (public, author active, not hidden by
-- moderation, upload ready), never a post of a user in a block with the caller (either way), one the
-- caller hid or reported, or — for a caller who is not a child — a child's post. A child is an account
-- with a verified parent link (public.parent_links); everyone else, signed-out readers included, is
-- treated as an adult.
-- Signed in, like profile search: the caller's age (child or not) is known, and no definer code is
-- executable by anon. Signed-out readers search through the search function, which calls these RPCs
-- as service_role without a user: auth.uid() is null, so they get a signed-out adult's results.
-- Matching runs in definer helpers that filter explicitly as the caller (the exclusions above, from
-- auth.uid()): under row level security Postgres may not use an index for a condition whose operator
-- is not leakproof (like, ~), so an invoker query would read every row of the table.
-- Objects: functions private.search_query_terms, private.search_term_patterns,
-- private.search_hidden_author_ids, private.search_matching_authors, private.search_post_candidates,
-- private.search_result_items, public.search_posts, public.trending_posts.

-- Invoker: text only. The query's words (normalised, alphanumeric runs, 3+ characters, at most 8),
-- or 400 {"<field>": [...]} for an empty, too long or wildcard-and-quote-only query. Words are runs of
-- letters and digits, so no character of the query ever acts as a pattern.
create function private.search_query_terms(p_query text, p_field text default 'query')
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_query text := btrim(coalesce(p_query, ''));
  v_terms text[];
begin
  if v_query = '' then
    perform private.raise_field_errors(jsonb_build_object(p_field, jsonb_build_array('This field may not be blank.')));
  end if;
  if char_length(v_query) > 200 then
    perform private.raise_field_errors(jsonb_build_object(p_field, jsonb_build_array('Ensure this field has no more than 200 characters.')));
  end if;
  select array(
    select t from (
      select t, min(ord) as first from regexp_split_to_table(private.search_norm(v_query), '[^[:alnum:]]+') with ordinality s(t, ord)
      where char_length(t) >= 3 group by t
    ) x order by first limit 8
  ) into v_terms;
  if cardinality(v_terms) = 0 then
    perform private.raise_field_errors(jsonb_build_object(p_field, jsonb_build_array(
      'Enter a search term with at least 3 letters or digits; wildcards and quotes are not search terms.')));
  end if;
  return v_terms;
end;
$$;
comment on function private.search_query_terms(text, text) is
  'The normalised words of a search query (3+ letters/digits, at most 8); 400 for blank, over 200 characters, or no word.';
revoke execute on function private.search_query_terms(text, text) from public;
grant execute on function private.search_query_terms(text, text) to anon, authenticated, service_role;

-- The functions below set pg_trgm's similarity threshold for their own calls; a parameter of an
-- extension can only be named in a function's SET clause once the extension's library is loaded.
select extensions.similarity('', '');

-- Definer: reads the word list (the server's). One regular expression per term: the term itself
-- (which also matches as a prefix or inside a word) or a known word within 1 edit (terms of 3–4
-- characters) or 2 edits (5+) of it — "dnace" finds "dance". Candidates come from the trigram index
-- (similarity ≥ 0.2), then Levenshtein decides. Words are alphanumeric, so the alternation is safe.
create function private.search_term_patterns(p_terms text[])
returns text[]
language sql
stable
security definer
set search_path = ''
set pg_trgm.similarity_threshold = 0.2
as $$
  select coalesce(array_agg(alternation order by ord), '{}')
  from (
    select t.ord, array_to_string(array[t.term] || array(
        select w.word from private.search_words w
        where w.word operator(extensions.%) t.term
          and w.word <> t.term
          and extensions.levenshtein_less_equal(w.word, t.term, 2) <= case when char_length(t.term) <= 4 then 1 else 2 end
        order by extensions.similarity(w.word, t.term) desc, w.word
        limit 5
      ), '|') as alternation
    from unnest(p_terms) with ordinality t(term, ord)
  ) x;
$$;
comment on function private.search_term_patterns(text[]) is 'One regex alternation per query term: the term and known words within 1-2 edits of it.';
revoke execute on function private.search_term_patterns(text[]) from public, anon;
grant execute on function private.search_term_patterns(text[]) to authenticated, service_role;

-- Definer: blocks and parent links are not readable across users. Authors whose posts search never
-- shows the caller: users in a block with them (either way) and, unless the caller is a child
-- themself, children.
create function private.search_hidden_author_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(distinct x.id), '{}')
  from (
    select b.blocked_id as id from public.blocks b where b.blocker_id = auth.uid()
    union all
    select b.blocker_id from public.blocks b where b.blocked_id = auth.uid()
    union all
    select l.child_id from public.parent_links l
    where auth.uid() is null or not exists (select 1 from public.parent_links c where c.child_id = auth.uid())
  ) x;
$$;
comment on function private.search_hidden_author_ids() is 'Authors search hides from the caller: blocked either way, and children unless the caller is a child.';
revoke execute on function private.search_hidden_author_ids() from public, anon;
grant execute on function private.search_hidden_author_ids() to authenticated, service_role;

-- Definer (profiles' policies would keep the trigram index out; see the header): active authors only,
-- and their posts then pass the caller's exclusions. The authors whose username matches the query — contains it
-- (wildcards escaped), or has a part within trigram word similarity 0.5 of it (typos) — at most 50,
-- closest first.
create function private.search_matching_authors(p_query text)
returns uuid[]
language sql
stable
security definer
set search_path = ''
set pg_trgm.word_similarity_threshold = 0.5
as $$
  select coalesce(array_agg(m.id), '{}') from (
    select p.id from public.profiles p
    where p.status = 'active'
      and (private.search_norm(p.username::text) like
             '%' || replace(replace(replace(private.search_norm(btrim(p_query)), '\', '\\'), '%', '\%'), '_', '\_') || '%'
        or private.search_norm(btrim(p_query)) operator(extensions.<%) private.search_norm(p.username::text))
    order by extensions.word_similarity(private.search_norm(btrim(p_query)), private.search_norm(p.username::text)) desc, p.username
    limit 50
  ) m;
$$;
comment on function private.search_matching_authors(text) is 'Active authors whose username contains the query or nearly does (at most 50).';
revoke execute on function private.search_matching_authors(text) from public, anon;
grant execute on function private.search_matching_authors(text) to authenticated, service_role;

-- Invoker: 000 §11's result items for these ids in order, with their priorities.
create function private.search_result_items(p_ids bigint[], p_priorities integer[])
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
  -- The premium gate: the signed-out search runs as service_role, which no policy filters.
  where not p.require_premium or p.created_by = auth.uid() or private.is_premium(auth.uid());
$$;
comment on function private.search_result_items(bigint[], integer[]) is '000 §11 search result items (created_by as the username, priority, trending_score, reels_data, user_profile).';
revoke execute on function private.search_result_items(bigint[], integer[]) from public;
grant execute on function private.search_result_items(bigint[], integer[]) to anon, authenticated, service_role;

-- 000 §11. A post matches when its title or description holds every query term (or a near word of
-- it), or its author's username matches the query. Priority (000's table, first that applies):
-- 1 the title matches, 2 it is a reel (reel or YouTube short), 3 the author's username matches,
-- 4 the description matches. Within a priority: trending score, then newest id. Each priority is its
-- own query ordered like posts_search_trending_idx and limited to the rows the page needs, so a page
-- never sorts every match of a common word.
-- Definer, filtering as the caller (see the header): searchable posts, minus the authors
-- search_hidden_author_ids names and the posts the caller hid or reported. At most p_limit rows from
-- p_offset, with their priority and score.
create function private.search_post_candidates(
  p_patterns text[], p_authors uuid[], p_offset integer, p_limit integer
)
returns table (id bigint, priority integer, score double precision)
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
    select id, priority, score from (
      (select p.id, 1 as priority, private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at) as score
       from public.posts p
       where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and p.upload_status = 'ready'
         and %1$s and not (p.created_by = any ($1)) and not (p.id = any ($2))
       order by 3 desc, p.id desc limit $4)
      union all
      (select p.id, 2, private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at)
       from public.posts p
       where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and p.upload_status = 'ready'
         and p.post_type in ('reel', 'youtube_reel') and not (%1$s) and (%2$s or p.created_by = any ($3))
         and not (p.created_by = any ($1)) and not (p.id = any ($2))
       order by 3 desc, p.id desc limit $4)
      union all
      (select p.id, 3, private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at)
       from public.posts p
       where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and p.upload_status = 'ready'
         and p.post_type not in ('reel', 'youtube_reel') and not (%1$s) and p.created_by = any ($3)
         and not (p.created_by = any ($1)) and not (p.id = any ($2))
       order by 3 desc, p.id desc limit $4)
      union all
      (select p.id, 4, private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at)
       from public.posts p
       where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and p.upload_status = 'ready'
         and p.post_type not in ('reel', 'youtube_reel') and not (%1$s) and not (p.created_by = any ($3)) and %2$s
         and not (p.created_by = any ($1)) and not (p.id = any ($2))
       order by 3 desc, p.id desc limit $4)
    ) tiers
    order by priority, score desc, id desc
    offset $5 limit $6$q$, v_title, v_description)
  using v_hidden, v_excluded, p_authors, p_offset + p_limit, p_offset, p_limit;
end;
$$;
comment on function private.search_post_candidates(text[], uuid[], integer, integer) is
  'Ranked search matches (id, priority, score) the caller may be shown: searchable, not hidden from them; one page.';
revoke execute on function private.search_post_candidates(text[], uuid[], integer, integer) from public, anon;
grant execute on function private.search_post_candidates(text[], uuid[], integer, integer) to authenticated, service_role;

-- 000 §11 GET /api/search/?query= (see search_post_candidates for matching and ranking). Invoker:
-- the items are read under the caller's policies. Answer: {query, page, page_size, next, previous,
-- results}; no count, so a page costs only the rows it shows.
create function public.search_posts(p_query text, p_page integer default 1, p_page_size integer default 20)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_size integer := private.page_size_within(p_page, p_page_size, 50);
  v_terms text[] := private.search_query_terms(p_query);
  v_ids bigint[];
  v_priorities integer[];
begin
  select coalesce(array_agg(c.id order by c.priority, c.score desc, c.id desc), '{}'),
         coalesce(array_agg(c.priority order by c.priority, c.score desc, c.id desc), '{}')
    into v_ids, v_priorities
  from private.search_post_candidates(private.search_term_patterns(v_terms), private.search_matching_authors(p_query),
    (p_page - 1) * v_size, v_size + 1) c;
  return jsonb_build_object(
    'query', btrim(p_query),
    'page', p_page,
    'page_size', v_size,
    'next', case when cardinality(v_ids) > v_size then p_page + 1 end,
    'previous', case when p_page > 1 then p_page - 1 end,
    'results', private.search_result_items(v_ids[1:v_size], v_priorities[1:v_size])
  );
end;
$$;
comment on function public.search_posts(text, integer, integer) is
  '000 GET /api/search/?query=: searchable posts by title, description or creator username, ranked by 000''s priority table then trending score; typo-tolerant, paged.';
revoke execute on function public.search_posts(text, integer, integer) from public, anon;
grant execute on function public.search_posts(text, integer, integer) to authenticated, service_role;

-- The home screen's trending list: searchable posts (optionally of one type) by trending score,
-- a walk of posts_search_trending_idx. Same items and exclusions as search; priority is null.
create function public.trending_posts(p_page integer default 1, p_page_size integer default 20, p_post_type public.post_type default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_size integer := private.page_size_within(p_page, p_page_size, 50);
  v_hidden uuid[] := private.search_hidden_author_ids();
  v_excluded bigint[] := '{}';
  v_ids bigint[];
begin
  if auth.uid() is not null then
    v_excluded := private.viewer_excluded_post_ids();
  end if;
  v_ids := array(
    select p.id from public.posts p
    where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and p.upload_status = 'ready'
      and (p_post_type is null or p.post_type = p_post_type)
      and not (p.created_by = any (v_hidden)) and not (p.id = any (v_excluded))
    order by private.trending_score(p.like_count, p.comment_count, p.view_count, p.created_at) desc, p.id desc
    offset (p_page - 1) * v_size limit v_size + 1);
  return jsonb_build_object(
    'page', p_page,
    'page_size', v_size,
    'next', case when cardinality(v_ids) > v_size then p_page + 1 end,
    'previous', case when p_page > 1 then p_page - 1 end,
    'results', private.search_result_items(v_ids[1:v_size], array_fill(null::integer, array[least(cardinality(v_ids), v_size)]))
  );
end;
$$;
comment on function public.trending_posts(integer, integer, public.post_type) is
  'Home screen trending list: searchable posts the caller may see by trending score (see private.trending_score), paged.';
revoke execute on function public.trending_posts(integer, integer, public.post_type) from public, anon;
grant execute on function public.trending_posts(integer, integer, public.post_type) to authenticated, service_role;
