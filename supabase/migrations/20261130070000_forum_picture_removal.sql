-- Forum pictures leave storage with the last forum post that shows them, through every door (the
-- author, an admin, an account deletion's cascade, the dashboard), by the same queue post files use:
-- the trigger queues the object and forgets its checked-upload record, and the storage-cleanup
-- function removes it through the Storage API. A picture another post of the author still names stays.
-- Objects: function private.queue_forum_picture_removal; trigger forum_posts_queue_picture_removal.

-- Definer: the deleting role may not write the private queue or the pictures registry.
create function private.queue_forum_picture_removal()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  with released as (
    select n.name
    from unnest(old.picture_names) as n(name)
    where not exists (
      select 1 from public.forum_posts f
      where f.created_by = old.created_by and f.id <> old.id and n.name = any (f.picture_names)
    )
  ), forgotten as (
    delete from private.forum_pictures p
    using released r
    where p.owner_id = old.created_by and p.name = r.name
  )
  insert into private.storage_removals (bucket_id, object_name)
  select 'forum-pictures', old.created_by::text || '/' || r.name from released r
  on conflict (bucket_id, object_name) do nothing;
  return null;
end;
$$;
comment on function private.queue_forum_picture_removal() is
  'Queues a deleted forum post''s pictures for removal from storage, unless another post of the author still shows them.';
revoke execute on function private.queue_forum_picture_removal() from public, anon, authenticated;
create trigger forum_posts_queue_picture_removal after delete on public.forum_posts
  for each row when (cardinality(old.picture_names) > 0)
  execute function private.queue_forum_picture_removal();
