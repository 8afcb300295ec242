-- The tables of what readers do to a post: like, hide, report, comment, view. Their policies,
-- messages, counters and notifications come in the post interactions migration; until then RLS is on
-- and nothing passes.
-- Objects: type report_reason; tables post_likes, post_hides, post_reports, comments, post_views.

create type public.report_reason as enum ('spam', 'abuse', 'false', 'hate', 'nsfw', 'other');

create table public.post_likes (
  post_id bigint not null references public.posts (id) on delete cascade,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (post_id, user_id)
);
comment on table public.post_likes is 'One like per user per post; posts.like_count follows it.';
create index post_likes_user_id_idx on public.post_likes (user_id, post_id);
alter table public.post_likes enable row level security;
revoke insert, update, truncate on public.post_likes from anon, authenticated;

create table public.post_hides (
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  post_id bigint not null references public.posts (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (user_id, post_id)
);
comment on table public.post_hides is 'Posts a user hid from their own lists. Private to that user.';
create index post_hides_post_id_idx on public.post_hides (post_id);
alter table public.post_hides enable row level security;
revoke insert, update, truncate on public.post_hides from anon, authenticated;

create table public.post_reports (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  post_id bigint not null references public.posts (id) on delete cascade,
  reason public.report_reason not null,
  description text not null default ''
    constraint post_reports_description_length check (char_length(description) <= 1000),
  created_at timestamptz not null default now(),
  constraint post_reports_one_per_user unique (user_id, post_id)
);
comment on table public.post_reports is 'A user''s report of a post (one per user per post); reported posts leave the reporter''s lists.';
create index post_reports_post_id_idx on public.post_reports (post_id);
alter table public.post_reports enable row level security;
revoke insert, update, truncate on public.post_reports from anon, authenticated;

create table public.comments (
  id bigint generated always as identity primary key,
  post_id bigint not null references public.posts (id) on delete cascade,
  created_by uuid not null default auth.uid() references auth.users (id) on delete cascade,
  comment text not null
    constraint comments_comment_length check (char_length(btrim(comment)) between 1 and 2000 and char_length(comment) <= 2000),
  created_at timestamptz not null default now()
);
comment on table public.comments is 'Comments on posts; posts.comment_count follows them.';
create index comments_post_id_created_at_idx on public.comments (post_id, created_at desc, id desc);
create index comments_created_by_idx on public.comments (created_by);
alter table public.comments enable row level security;
revoke insert, update, truncate on public.comments from anon, authenticated;

create table public.post_views (
  post_id bigint not null references public.posts (id) on delete cascade,
  viewer_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  viewed_on date not null default ((now() at time zone 'utc')::date),
  primary key (post_id, viewer_id, viewed_on)
);
comment on table public.post_views is 'One row per viewer per post per UTC day; posts.view_count follows it.';
create index post_views_viewer_id_idx on public.post_views (viewer_id);
alter table public.post_views enable row level security;
revoke insert, update, truncate on public.post_views from anon, authenticated;
