-- Premium-only content and the read door of uploaded video files. A post marked `require_premium`
-- (003; the videos API sets it on videos and reels) is readable only by premium users
-- (private.is_premium, which billing fills in), its author and admins: a restrictive select policy, so
-- it narrows every permissive read policy (those of issue 8 and any added later, e.g. moderation's)
-- and every door that reads posts as the caller: REST, the list and video RPCs, the joins of the
-- post_media, likes, comments and storage policies. Uploaded reel and video files (`media_path`) become
-- readable, in the video buckets, by whoever may read their post — the same posts policies decide, so
-- a private, blocked, suspended-author or premium video's file is refused by Storage too, signed URL
-- included (signing an object needs the caller to be able to read it).
-- Objects: policies "premium posts are not for signed-out readers" and "premium posts only for premium
-- readers, their author and admins" on public.posts;
-- index posts_video_media_path_idx; policy "users can read the files of videos they can read" on
-- storage.objects; function private.video_buckets.

-- The authenticated policy below asks it about the caller.
grant execute on function private.is_premium(uuid) to authenticated, service_role;

-- Signed out, nobody is premium.
create policy "premium posts are not for signed-out readers" on public.posts
  as restrictive
  for select to anon
  using (not require_premium);
create policy "premium posts only for premium readers, their author and admins" on public.posts
  as restrictive
  for select to authenticated
  using (
    not require_premium
    or created_by = (select auth.uid())
    or (select private.is_admin())
    or (select private.is_premium((select auth.uid())))
  );

-- The buckets a reel's or video's media_path may live in. One place, so the uploads area can add its
-- bucket by replacing this function.
create function private.video_buckets()
returns text[]
language sql
immutable
set search_path = ''
as $$
  select array['post-videos', 'creator-videos'];
$$;
comment on function private.video_buckets() is 'The storage buckets that hold reel and video files (posts.media_path): post-videos for files attached directly, creator-videos for resumable uploads.';
grant execute on function private.video_buckets() to anon, authenticated, service_role;

-- The storage read policy looks videos up by their file.
create index posts_video_media_path_idx on public.posts (media_path) where post_type in ('reel', 'video');

-- Invoker subquery: the caller's posts policies decide (premium gate above included). Only a file in
-- the post author's own folder counts: a post naming someone else's file (media_path is a client
-- column) must not open that file to the post's readers.
create policy "users can read the files of videos they can read" on storage.objects
  for select to anon, authenticated
  using (
    bucket_id = any (private.video_buckets())
    and exists (
      select 1 from public.posts p
      where p.media_path = objects.name and p.post_type in ('reel', 'video')
        and p.created_by::text = (storage.foldername(objects.name))[1]
    )
  );
