-- Forum pictures: the `forum-pictures` bucket (private, 5 MB, JPEG/PNG/GIF/WebP), its storage
-- policies, and the registry of uploads whose bytes were checked against their type. A picture is
-- stored as `<uid>/<sha256 hex>-<YYYYMMDDTHHMMSSmmmZ>.<ext>` in its owner's folder, by the
-- forum-pictures edge function (base64) or by a plain storage upload that the function then verifies.
-- Only registered names may be put on a post, and other users read a picture only when it is on a
-- forum post they may read (so blocks and suspensions hide it), so bytes that are not the declared
-- type never reach anyone but their uploader.
-- Objects: table private.forum_pictures; function service.register_forum_picture; function
-- private.check_forum_picture_names and its trigger; bucket forum-pictures and its policies.

create table private.forum_pictures (
  owner_id uuid not null references auth.users (id) on delete cascade,
  name text not null
    constraint forum_pictures_name_format check (name ~ '^[0-9a-f]{64}-[0-9]{8}T[0-9]{9}Z\.(jpg|png|gif|webp)$'),
  mime_type text not null
    constraint forum_pictures_mime_type check (mime_type in ('image/jpeg', 'image/png', 'image/gif', 'image/webp')),
  size_bytes integer not null constraint forum_pictures_size check (size_bytes between 1 and 5242880),
  created_at timestamptz not null default now(),
  primary key (owner_id, name)
);
comment on table private.forum_pictures is
  'Forum picture uploads whose bytes the forum-pictures function checked against their type; only these names may be put on a forum post.';
alter table private.forum_pictures enable row level security;

-- Definer: the registry is in `private`, which service_role does not write directly.
create function service.register_forum_picture(p_owner_id uuid, p_name text, p_mime_type text, p_size_bytes integer)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into private.forum_pictures (owner_id, name, mime_type, size_bytes)
  values (p_owner_id, p_name, p_mime_type, p_size_bytes)
  on conflict (owner_id, name) do update set mime_type = excluded.mime_type, size_bytes = excluded.size_bytes;
$$;
comment on function service.register_forum_picture(uuid, text, text, integer) is
  'Records a forum picture whose bytes were checked (the forum-pictures function, as service_role).';
revoke execute on function service.register_forum_picture(uuid, text, text, integer) from public, anon, authenticated;
grant execute on function service.register_forum_picture(uuid, text, text, integer) to service_role;

-- Definer: the registry is not readable by the writing role. Every door (REST, the dashboard) passes.
create function private.check_forum_picture_names()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_missing text;
begin
  if cardinality(new.picture_names) > 10 then
    raise exception 'A forum post can have at most 10 pictures.' using errcode = '22023';
  end if;
  if cardinality(new.picture_names) <> (select count(distinct n) from unnest(new.picture_names) n) then
    raise exception 'A picture can be on a post only once.' using errcode = '22023';
  end if;
  select n into v_missing
  from unnest(new.picture_names) n
  where not exists (select 1 from private.forum_pictures f where f.owner_id = new.created_by and f.name = n)
  limit 1;
  if v_missing is not null then
    raise exception 'Picture not found' using errcode = '22023',
      detail = format('%s is not a picture you uploaded.', v_missing);
  end if;
  return new;
end;
$$;
comment on function private.check_forum_picture_names() is
  'Refuses forum posts naming pictures the author did not upload (or whose bytes were not checked).';
revoke execute on function private.check_forum_picture_names() from public, anon, authenticated;
create trigger forum_posts_check_picture_names before insert or update of picture_names, created_by on public.forum_posts
  for each row execute function private.check_forum_picture_names();

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('forum-pictures', 'forum-pictures', false, 5242880, array['image/jpeg', 'image/png', 'image/gif', 'image/webp'])
on conflict (id) do nothing;

create policy "active users can upload forum pictures to their own folder" on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'forum-pictures' and (storage.foldername(name))[1] = (select auth.uid())::text and (select private.is_active())
  );
-- The forum_posts sub-select runs under forum_posts' policy: blocks and suspensions decide.
create policy "active users can read their forum pictures and those on forum posts they can read" on storage.objects
  for select to authenticated
  using (
    bucket_id = 'forum-pictures' and (select private.is_active()) and (
      (storage.foldername(name))[1] = (select auth.uid())::text
      or exists (
        select 1 from public.forum_posts p
        where p.created_by = case
            when (storage.foldername(name))[1] ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
            then ((storage.foldername(name))[1])::uuid
          end
          and storage.filename(name) = any (p.picture_names)
      )
    )
  );
create policy "active users can remove their own forum pictures" on storage.objects
  for delete to authenticated
  using (
    bucket_id = 'forum-pictures' and (storage.foldername(name))[1] = (select auth.uid())::text and (select private.is_active())
  );
