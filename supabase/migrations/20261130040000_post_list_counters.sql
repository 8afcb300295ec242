-- Post list counters: the exact `count` of the posts and reels lists without counting a million rows.
-- A post is *listable* when it is public and its author's account is active. Triggers keep, per post
-- type, how many listable posts exist, spread over 16 slots so concurrent writers rarely wait on one
-- row; a list's count is the sum of its types' slots minus the viewer's own exclusions (see the list
-- helpers migration). Statement-level triggers with transition tables apply one delta per type per
-- statement, in post-type order, so a bulk status change costs one update per type and two writers
-- take the counter rows in the same order.
-- Objects: table private.post_list_counters; functions private.apply_listable_deltas,
-- private.count_{inserted,updated,deleted}_listable_posts, private.reset_listable_post_counts,
-- private.recount_listable_posts; triggers on public.posts.

create table private.post_list_counters (
  post_type public.post_type not null,
  slot smallint not null constraint post_list_counters_slot_range check (slot between 0 and 15),
  listable bigint not null default 0,
  primary key (post_type, slot)
);
comment on table private.post_list_counters is
  'Listable (public, author active) posts per type, as 16 slots summed on read; kept by triggers on public.posts.';
alter table private.post_list_counters enable row level security;
-- How many public posts of each type exist is public knowledge: every reader's list count starts here.
revoke all on private.post_list_counters from public, anon, authenticated;
grant select on private.post_list_counters to anon, authenticated, service_role;
create policy "anyone can read the list counters" on private.post_list_counters
  for select to anon, authenticated using (true);

insert into private.post_list_counters (post_type, slot)
select t, s from unnest(enum_range(null::public.post_type)) t cross join generate_series(0, 15) s;

-- Adds the listable posts a statement created and removes the ones it took away, one update per type,
-- in post-type order. The slot is the backend's, so concurrent writers mostly update different rows.
create function private.apply_listable_deltas(p_added public.post_type[], p_removed public.post_type[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_slot smallint := (pg_catalog.pg_backend_pid() % 16)::smallint;
  v_delta record;
begin
  for v_delta in
    select d.post_type, sum(d.n) as n
    from (
      select a as post_type, 1 as n from unnest(p_added) a
      union all
      select r, -1 from unnest(p_removed) r
    ) d
    group by d.post_type
    having sum(d.n) <> 0
    order by d.post_type
  loop
    update private.post_list_counters c set listable = c.listable + v_delta.n
    where c.post_type = v_delta.post_type and c.slot = v_slot;
  end loop;
end;
$$;
comment on function private.apply_listable_deltas(public.post_type[], public.post_type[]) is
  'Applies one statement''s change in listable posts (types added, types removed) to private.post_list_counters.';
revoke execute on function private.apply_listable_deltas(public.post_type[], public.post_type[]) from public, anon, authenticated;

-- The three statement triggers: each event has only the transition tables it names.
-- Definer (all three): writers of posts (any role, through any door) may not write the private
-- counters themselves.
create function private.count_inserted_listable_posts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.apply_listable_deltas(
    array(select n.post_type from new_rows n where n.visibility = 'public' and n.author_active), '{}');
  return null;
end;
$$;
comment on function private.count_inserted_listable_posts() is 'Statement trigger: counts the listable posts an insert created.';

create function private.count_updated_listable_posts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.apply_listable_deltas(
    array(select n.post_type from new_rows n where n.visibility = 'public' and n.author_active),
    array(select o.post_type from old_rows o where o.visibility = 'public' and o.author_active));
  return null;
end;
$$;
comment on function private.count_updated_listable_posts() is
  'Statement trigger: moves the counters when an update changes visibility, author_active or post_type.';

create function private.count_deleted_listable_posts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.apply_listable_deltas(
    '{}', array(select o.post_type from old_rows o where o.visibility = 'public' and o.author_active));
  return null;
end;
$$;
comment on function private.count_deleted_listable_posts() is 'Statement trigger: uncounts the listable posts a delete removed.';

-- A truncate (the dashboard's) empties every counter.
create function private.reset_listable_post_counts()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  update private.post_list_counters set listable = 0 where listable <> 0;
  return null;
end;
$$;
comment on function private.reset_listable_post_counts() is 'Statement trigger: a truncate of posts zeroes the counters.';

revoke execute on function private.count_inserted_listable_posts() from public, anon, authenticated;
revoke execute on function private.count_updated_listable_posts() from public, anon, authenticated;
revoke execute on function private.count_deleted_listable_posts() from public, anon, authenticated;
revoke execute on function private.reset_listable_post_counts() from public, anon, authenticated;

create trigger posts_count_listable_insert after insert on public.posts
  referencing new table as new_rows
  for each statement execute function private.count_inserted_listable_posts();
create trigger posts_count_listable_update after update on public.posts
  referencing old table as old_rows new table as new_rows
  for each statement execute function private.count_updated_listable_posts();
create trigger posts_count_listable_delete after delete on public.posts
  referencing old table as old_rows
  for each statement execute function private.count_deleted_listable_posts();
create trigger posts_reset_listable_counts after truncate on public.posts
  for each statement execute function private.reset_listable_post_counts();

-- Rebuilds the counters from the rows (after a bulk load with triggers off, e.g. the benchmark's
-- generator, or a restore). Takes an exclusive lock so no writer counts meanwhile.
create function private.recount_listable_posts()
returns void
language plpgsql
set search_path = ''
as $$
begin
  lock table private.post_list_counters in exclusive mode;
  update private.post_list_counters c set listable = coalesce(n.listable, 0)
  from (select c2.post_type, c2.slot, x.listable
        from private.post_list_counters c2
        left join (select p.post_type, count(*) as listable from public.posts p
                   where p.visibility = 'public' and p.author_active group by p.post_type) x
          on x.post_type = c2.post_type and c2.slot = 0) n
  where n.post_type = c.post_type and n.slot = c.slot;
end;
$$;
comment on function private.recount_listable_posts() is 'Rebuilds private.post_list_counters from public.posts (for bulk loads with triggers off).';
revoke execute on function private.recount_listable_posts() from public, anon, authenticated;
