-- Buckets for post banners and post media, and who may do what with their objects.
-- Every bucket is private, with its kind's MIME types and size limit on the bucket itself (storage
-- refuses a 6 MB picture or a text file declared as a PDF before keeping a byte). Each user uploads
-- only under their own `<uid>/` folder while active. Nobody overwrites or moves an object (no update
-- policy): an attached file's bytes were checked once and must stay those bytes. An object is
-- readable by its uploader, and by whoever may read the post it is attached to (the posts and
-- post_media policies decide through the joins below); the app reads through signed URLs or the
-- authenticated download. An uploader may remove an object only while it is not attached; attached
-- objects leave with their post or media row (see the storage removal queue migration).
-- Objects: buckets post-banners, post-images, post-videos, post-audio, post-documents; function
-- private.is_attached_post_object; index posts_post_banner_idx; policies on storage.objects.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values
  ('post-banners', 'post-banners', false, 5242880, array['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
  ('post-images', 'post-images', false, 5242880, array['image/jpeg', 'image/png', 'image/gif']),
  ('post-videos', 'post-videos', false, 52428800, array['video/mp4', 'video/quicktime']),
  ('post-audio', 'post-audio', false, 20971520, array['audio/mpeg', 'audio/wav']),
  ('post-documents', 'post-documents', false, 10485760,
    array['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'])
on conflict (id) do nothing;

-- The banner policy looks posts up by banner path.
create index posts_post_banner_idx on public.posts (post_banner) where post_banner is not null;

-- Definer: whether an object is attached must not depend on what the caller may read (a hidden or
-- blocked post still holds its files).
create function private.is_attached_post_object(p_bucket text, p_name text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select case
    when p_bucket = 'post-banners' then exists (select 1 from public.posts p where p.post_banner = p_name)
    else exists (select 1 from public.post_media m where m.bucket_id = p_bucket and m.object_name = p_name)
  end;
$$;
comment on function private.is_attached_post_object(text, text) is
  'Whether a storage object is a post''s banner or one of its media items (whoever may read the post).';
revoke execute on function private.is_attached_post_object(text, text) from public, anon;
grant execute on function private.is_attached_post_object(text, text) to authenticated, service_role;

create policy "active users can upload post files to their own folder" on storage.objects
  for insert to authenticated
  with check (
    bucket_id in ('post-banners', 'post-images', 'post-videos', 'post-audio', 'post-documents')
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.is_active())
  );

create policy "anyone can read the files of posts they can read" on storage.objects
  for select to anon
  using (
    (bucket_id = 'post-banners' and exists (select 1 from public.posts p where p.post_banner = objects.name))
    or (bucket_id in ('post-images', 'post-videos', 'post-audio', 'post-documents')
      and exists (select 1 from public.post_media m where m.bucket_id = objects.bucket_id and m.object_name = objects.name))
  );
create policy "users can read their own post files and those of posts they can read" on storage.objects
  for select to authenticated
  using (
    bucket_id in ('post-banners', 'post-images', 'post-videos', 'post-audio', 'post-documents')
    and (
      (storage.foldername(name))[1] = (select auth.uid())::text
      or (bucket_id = 'post-banners' and exists (select 1 from public.posts p where p.post_banner = objects.name))
      or (bucket_id <> 'post-banners'
        and exists (select 1 from public.post_media m where m.bucket_id = objects.bucket_id and m.object_name = objects.name))
    )
  );

create policy "active users can remove their unattached post files" on storage.objects
  for delete to authenticated
  using (
    bucket_id in ('post-banners', 'post-images', 'post-videos', 'post-audio', 'post-documents')
    and (storage.foldername(name))[1] = (select auth.uid())::text
    and (select private.is_active())
    and not private.is_attached_post_object(bucket_id, name)
  );
