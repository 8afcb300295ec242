-- Indexes behind the posts and reels lists. Lists read only listable posts (public, author active),
-- so each ordering has a partial index over exactly those rows in that order: a page is the first
-- rows of one index scan, whatever the table's size. Search on title and description is a trigram
-- index over the same expression the list filters on (never a leading-wildcard scan of the table).
-- Objects: extension pg_trgm; indexes on public.posts.

create extension if not exists pg_trgm with schema extensions;

create index posts_listable_created_at_idx on public.posts (created_at desc, id desc)
  where visibility = 'public' and author_active;
create index posts_listable_type_created_at_idx on public.posts (post_type, created_at desc, id desc)
  where visibility = 'public' and author_active;
create index posts_listable_type_desc_created_at_idx on public.posts (post_type desc, created_at desc, id desc)
  where visibility = 'public' and author_active;
create index posts_listable_reels_created_at_idx on public.posts (created_at desc, id desc)
  where post_type in ('reel', 'youtube_reel') and visibility = 'public' and author_active;
create index posts_search_trgm_idx on public.posts
  using gin ((post_title || ' ' || post_description) extensions.gin_trgm_ops);
