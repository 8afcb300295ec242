-- Post files leave storage with their post, through every door. Storage keeps the bytes outside
-- Postgres, and its `storage.protect_delete` trigger refuses a direct delete from storage.objects
-- (storage-api's migration 0050: a row deleted there would orphan the file). So the database only
-- records what must go: triggers queue a file when its post_media row is deleted (by the author,
-- an admin, a post delete's cascade, an account deletion, or the dashboard) and when a post's
-- banner is replaced or its post deleted. The storage-cleanup function drains the queue through
-- the Storage API as service_role (the SDK calls it after a delete; on a hosted project a cron job
-- calls it too). A file attached again before the drain is dropped from the queue, not removed.
-- Objects: table private.storage_removals; functions private.queue_post_media_removal,
-- private.queue_post_banner_removal, service.claim_storage_removals, service.finish_storage_removals;
-- their triggers.

create table private.storage_removals (
  id bigint generated always as identity primary key,
  bucket_id text not null,
  object_name text not null,
  queued_at timestamptz not null default now(),
  -- Set while a drain works on the row; a drain that died leaves it claimable again after 5 minutes.
  claimed_at timestamptz,
  constraint storage_removals_object_unique unique (bucket_id, object_name)
);
comment on table private.storage_removals is
  'Storage objects released by deleted posts, media items and replaced banners, waiting to be removed through the Storage API.';
alter table private.storage_removals enable row level security;
revoke all on private.storage_removals from anon, authenticated;
grant select, insert, update, delete on private.storage_removals to service_role;

-- Definer: the deleting role (a client, under RLS) may not write the private queue.
create function private.queue_post_media_removal()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.storage_removals (bucket_id, object_name)
  values (old.bucket_id, old.object_name)
  on conflict (bucket_id, object_name) do nothing;
  return null;
end;
$$;
comment on function private.queue_post_media_removal() is 'Queues a deleted media item''s object for removal from storage.';
revoke execute on function private.queue_post_media_removal() from public, anon, authenticated;
create trigger post_media_queue_removal after delete on public.post_media
  for each row execute function private.queue_post_media_removal();

-- Definer: as above, for banners.
create function private.queue_post_banner_removal()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if old.post_banner is not null and (tg_op = 'DELETE' or old.post_banner is distinct from new.post_banner) then
    insert into private.storage_removals (bucket_id, object_name)
    values ('post-banners', old.post_banner)
    on conflict (bucket_id, object_name) do nothing;
  end if;
  return null;
end;
$$;
comment on function private.queue_post_banner_removal() is 'Queues a post''s banner object for removal when the banner is replaced or the post deleted.';
revoke execute on function private.queue_post_banner_removal() from public, anon, authenticated;
create trigger posts_queue_banner_removal after delete or update of post_banner on public.posts
  for each row execute function private.queue_post_banner_removal();

-- Invoker: service_role only (schema usage); it owns the queue's rows.
create function service.claim_storage_removals(p_limit integer default 100)
returns table (id bigint, bucket_id text, object_name text)
language plpgsql
set search_path = ''
as $$
begin
  delete from private.storage_removals q where private.is_attached_post_object(q.bucket_id, q.object_name);
  return query
  update private.storage_removals q set claimed_at = now()
  where q.id in (
    select c.id from private.storage_removals c
    where c.claimed_at is null or c.claimed_at < now() - interval '5 minutes'
    order by c.id
    limit greatest(1, least(coalesce(p_limit, 100), 1000))
    for update skip locked
  )
  returning q.id, q.bucket_id, q.object_name;
end;
$$;
comment on function service.claim_storage_removals(integer) is
  'Claims up to p_limit queued objects for removal (skipping rows another drain holds, dropping objects attached again). Service only.';
revoke execute on function service.claim_storage_removals(integer) from public, anon, authenticated;
grant execute on function service.claim_storage_removals(integer) to service_role;

-- Invoker: service_role only.
create function service.finish_storage_removals(p_ids bigint[])
returns integer
language sql
set search_path = ''
as $$
  with done as (delete from private.storage_removals q where q.id = any (p_ids) returning 1)
  select count(*)::integer from done;
$$;
comment on function service.finish_storage_removals(bigint[]) is 'Forgets queued objects the Storage API has removed. Service only.';
revoke execute on function service.finish_storage_removals(bigint[]) from public, anon, authenticated;
grant execute on function service.finish_storage_removals(bigint[]) to service_role;
