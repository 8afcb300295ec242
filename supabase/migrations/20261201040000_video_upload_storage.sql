-- Where creators' reels and long videos are uploaded, and who may write there. A video upload is
-- reserved first (public.start_video_upload makes the post, `uploading`, and a private.video_uploads
-- row naming the one object it may fill); storage then accepts that object only from its uploader,
-- while they are active and a creator or an admin (the live user_roles row, not the token), while the
-- post is still uploading. So a visitor, another user resuming someone's upload, or anyone writing a
-- name nobody reserved is refused by storage itself, whatever door (REST, TUS, S3) they use.
-- Thumbnails are written by the video processor (service_role) only.
-- Objects: buckets creator-videos, video-thumbnails; table private.video_uploads; function
-- private.may_fill_video_upload, private.queue_video_upload_removal and its trigger; indexes
-- posts_media_path_idx, posts_thumbnail_path_idx; policies on storage.objects.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  -- 1 GiB: long videos; storage refuses a larger Upload-Length before keeping a byte.
  ('creator-videos', 'creator-videos', false, 1073741824, array['video/*']),
  ('video-thumbnails', 'video-thumbnails', false, 5242880, array['image/jpeg'])
on conflict (id) do nothing;

create table private.video_uploads (
  post_id bigint primary key references public.posts (id) on delete cascade,
  created_by uuid not null references auth.users (id) on delete cascade,
  -- The one object of bucket creator-videos this upload may fill: `<uid>/<uuid>.<ext>`.
  object_name text not null
    constraint video_uploads_object_name_unique unique
    constraint video_uploads_object_in_folder check (split_part(object_name, '/', 1) = created_by::text),
  mime_type text not null constraint video_uploads_mime_is_video check (mime_type like 'video/%'),
  size_bytes bigint not null constraint video_uploads_size_range check (size_bytes between 1 and 1073741824),
  created_at timestamptz not null default now(),
  -- Set while the processor works on it; a processor that died leaves it claimable after 5 minutes.
  claimed_at timestamptz,
  attempts integer not null default 0,
  failure_reason text
);
comment on table private.video_uploads is
  'One row per uploaded reel or video: the object it fills in creator-videos, what the client declared, and the processing claim.';
create index video_uploads_created_by_idx on private.video_uploads (created_by);
alter table private.video_uploads enable row level security;
revoke all on private.video_uploads from anon, authenticated;
grant select, insert, update, delete on private.video_uploads to service_role;

-- Definer: the caller may not read private.video_uploads or others' roles; the answer must come
-- from the rows as they are.
create function private.may_fill_video_upload(p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from private.video_uploads u
    join public.posts p on p.id = u.post_id
    where u.object_name = p_name
      and u.created_by = auth.uid()
      and p.upload_status = 'uploading'
      and exists (select 1 from public.user_roles r where r.user_id = u.created_by and r.role in ('creator', 'admin'))
  );
$$;
comment on function private.may_fill_video_upload(text) is
  'Whether the caller reserved this creator-videos object for a reel or video still uploading, and is a creator or an admin now.';
revoke execute on function private.may_fill_video_upload(text) from public, anon;
grant execute on function private.may_fill_video_upload(text) to authenticated, service_role;

create policy "creators can fill the video upload they reserved" on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'creator-videos'
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.is_active())
    and private.may_fill_video_upload(name)
  );

-- Reading follows the post's read rule (the subquery on posts runs under the caller's RLS): a video
-- is readable exactly when a post of its folder's owner names it as media_path, a thumbnail when one
-- names it as thumbnail_path. Those paths are the author's to edit, so the folder check keeps an
-- author from pointing a post at anyone else's file.
create index posts_media_path_idx on public.posts (media_path) where media_path is not null;
create index posts_thumbnail_path_idx on public.posts (thumbnail_path) where thumbnail_path is not null;
create policy "anyone can read uploaded videos of posts they can read" on storage.objects
  for select to anon
  using (
    (bucket_id = 'creator-videos' and exists (select 1 from public.posts p
      where p.media_path = objects.name and p.created_by::text = (storage.foldername(objects.name))[1]))
    or (bucket_id = 'video-thumbnails' and exists (select 1 from public.posts p
      where p.thumbnail_path = objects.name and p.created_by::text = (storage.foldername(objects.name))[1]))
  );
create policy "users can read uploaded videos of posts they can read" on storage.objects
  for select to authenticated
  using (
    (bucket_id = 'creator-videos' and exists (select 1 from public.posts p
      where p.media_path = objects.name and p.created_by::text = (storage.foldername(objects.name))[1]))
    or (bucket_id = 'video-thumbnails' and exists (select 1 from public.posts p
      where p.thumbnail_path = objects.name and p.created_by::text = (storage.foldername(objects.name))[1]))
  );

-- Definer: the deleting role may not write the private queue. The video and its thumbnail leave
-- storage with their post (storage-cleanup drains the queue).
create function private.queue_video_upload_removal()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.storage_removals (bucket_id, object_name)
  values ('creator-videos', old.object_name)
  on conflict (bucket_id, object_name) do nothing;
  insert into private.storage_removals (bucket_id, object_name)
  select 'video-thumbnails', o.name from storage.objects o
  where o.bucket_id = 'video-thumbnails' and o.name like old.created_by::text || '/' || old.post_id::text || '.%'
  on conflict (bucket_id, object_name) do nothing;
  return null;
end;
$$;
comment on function private.queue_video_upload_removal() is 'Queues a deleted upload''s video and thumbnail for removal from storage.';
revoke execute on function private.queue_video_upload_removal() from public, anon, authenticated;
create trigger video_uploads_queue_removal after delete on private.video_uploads
  for each row execute function private.queue_video_upload_removal();
