-- Attaching an uploaded file to a post, for the post-media function only (schema `service`): the
-- function has read the file's first bytes and passes the type it found; here the database checks
-- everything else against the object's own row in storage.objects — the caller owns the post, is
-- active, the file is in the caller's folder, its stored type is the one the bytes showed, its
-- kind's type and size rules hold, and the post has fewer than ten media items.
-- A file in `post-banners` becomes the post's banner (the previous banner is queued for removal by
-- the storage removal queue's trigger); any other post bucket adds a post_media row.
-- Objects: function service.attach_post_object.

-- Invoker: only service_role may call it (schema usage), and it bypasses RLS as the service does.
create function service.attach_post_object(p_user uuid, p_post_id bigint, p_bucket text, p_name text, p_content_type text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_author uuid;
  v_mime text;
  v_size bigint;
  v_kind public.post_media_kind;
  v_position smallint;
  v_row public.post_media;
begin
  select p.created_by into v_author from public.posts p where p.id = p_post_id for update;
  if v_author is null then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  if v_author <> p_user then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if not exists (select 1 from public.profiles pr where pr.id = p_user and pr.status = 'active') then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if split_part(p_name, '/', 1) <> p_user::text then
    raise exception 'You can only attach files from your own folder.' using errcode = '42501';
  end if;

  select o.metadata ->> 'mimetype', (o.metadata ->> 'size')::bigint into v_mime, v_size
  from storage.objects o where o.bucket_id = p_bucket and o.name = p_name;
  if not found then
    raise exception 'File not found.' using errcode = 'PT404';
  end if;
  if v_mime is distinct from p_content_type then
    raise exception 'The file''s contents are not of its declared type %.', v_mime using errcode = '22023';
  end if;

  if p_bucket = 'post-banners' then
    update public.posts set post_banner = p_name where id = p_post_id;
    return jsonb_build_object('post_id', p_post_id, 'post_banner', p_name);
  end if;

  v_kind := case p_bucket
    when 'post-images' then 'image' when 'post-videos' then 'video'
    when 'post-audio' then 'audio' when 'post-documents' then 'document' end;
  if v_kind is null then
    raise exception 'Not a post media bucket.' using errcode = '22023';
  end if;
  if not private.post_media_rule_holds(v_kind, p_bucket, v_mime, v_size) then
    raise exception 'This file''s type or size is not allowed for a % item.', v_kind using errcode = '22023';
  end if;
  if exists (select 1 from public.post_media m where m.bucket_id = p_bucket and m.object_name = p_name) then
    raise exception 'This file is already attached to a post.' using errcode = '23505';
  end if;

  select min(g)::smallint into v_position
  from generate_series(1, 10) g
  where not exists (select 1 from public.post_media m where m.post_id = p_post_id and m.position = g);
  if v_position is null then
    raise exception 'A post can have at most 10 media items.' using errcode = 'P0001';
  end if;

  insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
  values (p_post_id, v_position, v_kind, p_bucket, p_name, v_mime, v_size)
  returning * into v_row;
  return to_jsonb(v_row);
end;
$$;
comment on function service.attach_post_object(uuid, bigint, text, text, text) is
  'Attaches an uploaded, byte-checked file to the caller''s post: the banner (post-banners) or a media item (post-images/-videos/-audio/-documents). Service only.';
revoke execute on function service.attach_post_object(uuid, bigint, text, text, text) from public, anon, authenticated;
grant execute on function service.attach_post_object(uuid, bigint, text, text, text) to service_role;
