-- The columns issue 9's areas share on posts, so each area's migrations can rely on them: the upload
-- state and the facts processing derives for uploaded reels and videos, the creator's video choices,
-- and moderation's hide mark. The areas add their own rules, triggers and RPCs over these.
-- Objects: type upload_status; columns posts.upload_status, duration_seconds, video_quality, category,
-- allow_download, require_premium, moderation_hidden_at; function private.is_premium.

create type public.upload_status as enum ('uploading', 'processing', 'ready', 'failed');

alter table public.posts
  -- Server-kept. Reels and videos go uploading → processing → ready (or failed); everything else,
  -- and reels and videos made before uploads were tracked, is ready.
  add column upload_status public.upload_status not null default 'ready',
  -- Server-kept, derived from the file by processing.
  add column duration_seconds numeric(10, 3)
    constraint posts_duration_not_negative check (duration_seconds is null or duration_seconds >= 0),
  add column video_quality text
    constraint posts_video_quality_known check (video_quality is null or video_quality in ('240p', '360p', '480p', '720p', '1080p', '1440p', '2160p')),
  -- The creator's (003): a category for search facets, whether viewers may download, premium only.
  add column category text
    constraint posts_category_length check (category is null or char_length(btrim(category)) between 1 and 50),
  add column allow_download boolean not null default false,
  add column require_premium boolean not null default false,
  -- Server-kept: when moderation hid the post from everyone but its author and admins (null: shown).
  add column moderation_hidden_at timestamptz;

comment on column public.posts.upload_status is 'Reels and videos: uploading, processing, ready or failed (server-kept; other posts are ready).';
comment on column public.posts.duration_seconds is 'Uploaded reels and videos: the duration processing measured (server-kept).';
comment on column public.posts.video_quality is 'Uploaded reels and videos: the quality processing derived from the frame height (server-kept).';
comment on column public.posts.category is 'The creator''s category for a video (search facet).';
comment on column public.posts.allow_download is 'Whether viewers get a download URL (003).';
comment on column public.posts.require_premium is 'Readable only by premium users once plans exist (003); see private.is_premium.';
comment on column public.posts.moderation_hidden_at is 'When moderation hid the post from everyone but its author and admins; null when shown (server-kept).';

grant insert (category, allow_download, require_premium), update (category, allow_download, require_premium)
  on public.posts to authenticated;

-- Plans and billing come later (their issue fills this in): until then nobody is premium.
create function private.is_premium(p_user_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  select false;
$$;
comment on function private.is_premium(uuid) is 'Whether the user has a premium plan. Always false until billing exists; the billing issue replaces the body.';
