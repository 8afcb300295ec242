-- The tables behind `#tags` and `@mentions` on posts. Parsing, policies and mention notifications come
-- in the mentions and tags migration; until then RLS is on and nothing passes.
-- Objects: tables tags, post_tags, post_mentions.

create table public.tags (
  id bigint generated always as identity primary key,
  name extensions.citext not null unique
    constraint tags_name_format check (name::text ~ '^[A-Za-z0-9_]{1,50}$'),
  created_at timestamptz not null default now()
);
comment on table public.tags is 'Every tag used on a post, once, case-insensitively (`#Dance` and `#dance` are one tag).';
alter table public.tags enable row level security;
revoke insert, update, truncate on public.tags from anon, authenticated;

create table public.post_tags (
  post_id bigint not null references public.posts (id) on delete cascade,
  tag_id bigint not null references public.tags (id) on delete cascade,
  -- 'text' when parsed from the post's text (re-parsed on edit), 'explicit' when sent as a list.
  source text not null default 'explicit' constraint post_tags_source check (source in ('text', 'explicit')),
  primary key (post_id, tag_id)
);
comment on table public.post_tags is 'Which tags a post carries.';
create index post_tags_tag_id_post_id_idx on public.post_tags (tag_id, post_id);
alter table public.post_tags enable row level security;
revoke insert, update, truncate on public.post_tags from anon, authenticated;

create table public.post_mentions (
  post_id bigint not null references public.posts (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  -- 'text' when parsed from `@username` in the post's text (re-parsed on edit), 'explicit' when sent as a list of ids.
  source text not null default 'explicit' constraint post_mentions_source check (source in ('text', 'explicit')),
  created_at timestamptz not null default now(),
  primary key (post_id, user_id)
);
comment on table public.post_mentions is 'Users a post mentions; each new mention notifies the user.';
create index post_mentions_user_id_idx on public.post_mentions (user_id);
alter table public.post_mentions enable row level security;
revoke insert, update, truncate on public.post_mentions from anon, authenticated;
