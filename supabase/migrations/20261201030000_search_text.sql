-- Search's text layer: how text is normalised for matching (lower case, accents removed), the
-- trending score every search and the trending list rank by, the word list that makes search
-- typo-tolerant, and the trigram (GIN) indexes that keep it fast at 1M posts.
-- Objects: extensions unaccent, fuzzystrmatch; functions private.search_norm, private.trending_score,
-- private.search_words_of, private.collect_post_search_words; table private.search_words and its
-- triggers on public.posts; indexes posts_search_title_trgm_idx, posts_search_description_trgm_idx,
-- posts_search_trending_idx, posts_search_videos_trending_idx, posts_search_author_idx,
-- profiles_search_username_trgm_idx,
-- profiles_search_first_name_trgm_idx, profiles_search_last_name_trgm_idx.

create extension if not exists unaccent with schema extensions;
create extension if not exists fuzzystrmatch with schema extensions;

-- unaccent() is only stable (its dictionary could change); naming the dictionary makes the result
-- fixed for a given text, which an index expression needs.
create function private.search_norm(p_text text)
returns text
language sql
immutable
parallel safe
strict
set search_path = ''
as $$
  select lower(extensions.unaccent('extensions.unaccent'::regdictionary, p_text));
$$;
comment on function private.search_norm(text) is 'Text as search compares it: accents removed, lower case.';
grant execute on function private.search_norm(text) to anon, authenticated, service_role;

-- The trending score (Reddit's "hot" formula, reweighted):
--   log10(1 + likes + 2·comments + views/10) + (created_at − 2026-01-01 in seconds) / 45000
-- Engagement counts on a log scale (the 10th like matters more than the 1000th), comments weigh
-- twice a like (more effort), a view a tenth. Time decays it: every 12.5 hours of age costs a factor
-- of ten in engagement against newer posts. Unlike "engagement / age^g", the order of two posts never
-- changes as the clock moves (only when they are liked, commented or viewed), so it can be an index
-- and the trending list and each search tier are walks of that index.
create function private.trending_score(p_likes integer, p_comments integer, p_views bigint, p_created_at timestamptz)
returns double precision
language sql
immutable
parallel safe
set search_path = ''
as $$
  select round((log(10::numeric, 1 + coalesce(p_likes, 0) + 2 * coalesce(p_comments, 0) + coalesce(p_views, 0) / 10.0)
    + (extract(epoch from p_created_at) - 1767225600) / 45000)::numeric, 4)::double precision;
$$;
comment on function private.trending_score(integer, integer, bigint, timestamptz) is
  'log10(1 + likes + 2*comments + views/10) + (created_at - 2026-01-01 in s)/45000: engagement with time decay, order-stable over time.';
grant execute on function private.trending_score(integer, integer, bigint, timestamptz) to anon, authenticated, service_role;

-- Every word (3–30 characters, at least one letter, normalised) that occurs in a post title or
-- description, once. Typo tolerance looks a query's words up here (a small table with a trigram
-- index) and searches posts for the words found, instead of fuzzy-matching every post. Words of
-- deleted posts stay: a stale word only widens a search to words no post has.
create table private.search_words (
  word text primary key
);
comment on table private.search_words is 'Distinct normalised words of post titles and descriptions: the vocabulary typo-tolerant search corrects queries against.';
create index search_words_trgm_idx on private.search_words using gin (word extensions.gin_trgm_ops);
-- No policies: only definer functions (owned by postgres) read or write it.
alter table private.search_words enable row level security;
revoke all on private.search_words from anon, authenticated;

create function private.search_words_of(p_text text)
returns setof text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select distinct w from regexp_split_to_table(private.search_norm(coalesce(p_text, '')), '[^[:alnum:]]+') w
  where char_length(w) between 3 and 30 and w ~ '[[:alpha:]]';
$$;
comment on function private.search_words_of(text) is 'The searchable words of a text (normalised, 3-30 characters, at least one letter).';
grant execute on function private.search_words_of(text) to anon, authenticated, service_role;

-- Definer: the word list is the server's; statement-level so a bulk insert adds its words in one go.
create function private.collect_post_search_words()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into private.search_words (word)
    select distinct w from new_posts n cross join lateral private.search_words_of(n.post_title || ' ' || n.post_description) w
    on conflict (word) do nothing;
  else
    insert into private.search_words (word)
    select distinct w from new_posts n join old_posts o on o.id = n.id
    cross join lateral private.search_words_of(n.post_title || ' ' || n.post_description) w
    where n.post_title is distinct from o.post_title or n.post_description is distinct from o.post_description
    on conflict (word) do nothing;
  end if;
  return null;
end;
$$;
comment on function private.collect_post_search_words() is 'Adds the words of inserted or re-titled/re-described posts to private.search_words.';
revoke execute on function private.collect_post_search_words() from public, anon, authenticated;

create trigger posts_collect_search_words_on_insert after insert on public.posts
  referencing new table as new_posts
  for each statement execute function private.collect_post_search_words();
create trigger posts_collect_search_words_on_update after update on public.posts
  referencing old table as old_posts new table as new_posts
  for each statement execute function private.collect_post_search_words();

insert into private.search_words (word)
select distinct w from public.posts p cross join lateral private.search_words_of(p.post_title || ' ' || p.post_description) w
on conflict (word) do nothing;

-- Searchable posts: public, author active, not hidden by moderation, upload ready. Every search
-- index is partial over exactly these rows and the RPCs repeat the predicate word for word.
create index posts_search_title_trgm_idx on public.posts
  using gin (private.search_norm(post_title) extensions.gin_trgm_ops)
  where visibility = 'public' and author_active and moderation_hidden_at is null and upload_status = 'ready';
create index posts_search_description_trgm_idx on public.posts
  using gin (private.search_norm(post_description) extensions.gin_trgm_ops)
  where visibility = 'public' and author_active and moderation_hidden_at is null and upload_status = 'ready';
create index posts_search_trending_idx on public.posts
  (private.trending_score(like_count, comment_count, view_count, created_at) desc, id desc)
  where visibility = 'public' and author_active and moderation_hidden_at is null and upload_status = 'ready';
create index posts_search_videos_trending_idx on public.posts
  (private.trending_score(like_count, comment_count, view_count, created_at) desc, id desc)
  where post_type = 'video' and visibility = 'public' and author_active and moderation_hidden_at is null and upload_status = 'ready';
create index posts_search_author_idx on public.posts (created_by)
  where visibility = 'public' and author_active and moderation_hidden_at is null and upload_status = 'ready';

-- Profiles: usernames are ASCII ([A-Za-z0-9_.]), so search_norm is lower() there and an ilike on it
-- is the same as on the username itself.
create index profiles_search_username_trgm_idx on public.profiles
  using gin (private.search_norm(username::text) extensions.gin_trgm_ops);
create index profiles_search_first_name_trgm_idx on public.profiles using gin (first_name extensions.gin_trgm_ops);
create index profiles_search_last_name_trgm_idx on public.profiles using gin (last_name extensions.gin_trgm_ops);
