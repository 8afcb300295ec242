-- Post media (004): a post carries up to ten files, each of one checked kind, stored in the kind's
-- bucket under the author's `<uid>/` folder. A row is made only by the service (the post-media
-- function, after it has read the file's first bytes and found them to be the declared type), so a
-- client can never attach a file whose bytes were not checked. Readers see a post's media exactly
-- when they may read the post (the posts policies decide, through the select policy's join).
-- Kinds, buckets, types and size limits (the buckets repeat them, so storage refuses a wrong file
-- before any byte is kept):
--   image     post-images     image/jpeg, image/png, image/gif                         5 MiB
--   video     post-videos     video/mp4, video/quicktime                                50 MiB
--   audio     post-audio      audio/mpeg, audio/wav                                     20 MiB
--   document  post-documents  application/pdf, DOCX (…wordprocessingml.document)        10 MiB
-- Objects: type post_media_kind; table post_media; function private.post_media_rule_holds,
-- private.set_post_media_owner; trigger post_media_set_owner; policies on post_media.

create type public.post_media_kind as enum ('image', 'video', 'audio', 'document');

-- One place that says which bucket, types and size each kind allows; the table's check calls it.
create function private.post_media_rule_holds(p_kind public.post_media_kind, p_bucket text, p_mime text, p_size bigint)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select case p_kind
    when 'image' then p_bucket = 'post-images'
      and p_mime in ('image/jpeg', 'image/png', 'image/gif') and p_size <= 5 * 1024 * 1024
    when 'video' then p_bucket = 'post-videos'
      and p_mime in ('video/mp4', 'video/quicktime') and p_size <= 50 * 1024 * 1024
    when 'audio' then p_bucket = 'post-audio'
      and p_mime in ('audio/mpeg', 'audio/wav') and p_size <= 20 * 1024 * 1024
    when 'document' then p_bucket = 'post-documents'
      and p_mime in ('application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      and p_size <= 10 * 1024 * 1024
    else false
  end;
$$;
comment on function private.post_media_rule_holds(public.post_media_kind, text, text, bigint) is
  'Whether a media item''s bucket, MIME type and size are allowed for its kind (004: images, videos, audio, documents).';
revoke execute on function private.post_media_rule_holds(public.post_media_kind, text, text, bigint) from public, anon;
grant execute on function private.post_media_rule_holds(public.post_media_kind, text, text, bigint) to authenticated, service_role;

create table public.post_media (
  id bigint generated always as identity primary key,
  post_id bigint not null references public.posts (id) on delete cascade,
  -- The post's author (set by trigger): the object must live in this user's folder.
  created_by uuid not null references auth.users (id) on delete cascade,
  position smallint not null
    constraint post_media_position_range check (position between 1 and 10),
  kind public.post_media_kind not null,
  bucket_id text not null,
  object_name text not null
    constraint post_media_object_name_format check (char_length(object_name) <= 300 and object_name !~ '\.\.'),
  mime_type text not null,
  size_bytes bigint not null constraint post_media_size_positive check (size_bytes > 0),
  created_at timestamptz not null default now(),
  constraint post_media_position_unique unique (post_id, position),
  constraint post_media_object_unique unique (bucket_id, object_name),
  constraint post_media_kind_rule check (private.post_media_rule_holds(kind, bucket_id, mime_type, size_bytes)),
  constraint post_media_in_author_folder check (split_part(object_name, '/', 1) = created_by::text)
);
comment on table public.post_media is
  'Files attached to a post (004 media posts): at most ten per post, each of a checked kind in its bucket under the author''s folder. Made by the post-media function after a byte check; readable when the post is.';
create index post_media_created_by_idx on public.post_media (created_by);
alter table public.post_media enable row level security;

-- Rows come from the service only (it checks the bytes); authors and admins may delete them.
revoke insert, update, truncate on public.post_media from anon, authenticated;

-- The owner follows the post through every door (the dashboard included), so the folder check
-- above always compares with the post's real author.
create function private.set_post_media_owner()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.created_by := (select p.created_by from public.posts p where p.id = new.post_id);
  return new;
end;
$$;
comment on function private.set_post_media_owner() is 'Sets post_media.created_by to the post''s author.';
revoke execute on function private.set_post_media_owner() from public, anon, authenticated;
create trigger post_media_set_owner before insert or update of post_id, created_by on public.post_media
  for each row execute function private.set_post_media_owner();

-- The posts policies decide: the subquery runs as the reader, so it finds the post only when the
-- reader may see it (author, admin, or active author + not private + no block either way).
create policy "anyone can see the media of posts they can read" on public.post_media
  for select to anon
  using (exists (select 1 from public.posts p where p.id = post_id));
create policy "users can see the media of posts they can read" on public.post_media
  for select to authenticated
  using (exists (select 1 from public.posts p where p.id = post_id));
create policy "active authors can remove their media and admins any media" on public.post_media
  for delete to authenticated
  using ((created_by = (select auth.uid()) and (select private.is_active())) or (select private.is_admin()));
