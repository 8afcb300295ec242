-- Follows and blocks: the relations a profile reports to its viewer (`followed_by_user`,
-- `blocked_by_user`) and that hide blocked users from each other. The social issue adds the toggles,
-- counters and notifications on top.
-- Objects: tables follows, blocks; function private.blocked_user_ids.

create table public.follows (
  follower_id uuid not null references auth.users (id) on delete cascade,
  followed_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (follower_id, followed_id),
  constraint follows_not_self check (follower_id <> followed_id)
);
comment on table public.follows is 'Who follows whom.';
create index follows_followed_id_idx on public.follows (followed_id);
alter table public.follows enable row level security;
revoke update, truncate on public.follows from anon, authenticated;

create table public.blocks (
  blocker_id uuid not null references auth.users (id) on delete cascade,
  blocked_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (blocker_id, blocked_id),
  constraint blocks_not_self check (blocker_id <> blocked_id)
);
comment on table public.blocks is 'Blocks are symmetric in effect: neither side sees the other. Only the blocker sees the row.';
create index blocks_blocked_id_idx on public.blocks (blocked_id);
alter table public.blocks enable row level security;
revoke update, truncate on public.blocks from anon, authenticated;

-- Definer: the blocked side cannot read the blocker's row, yet must be hidden from the blocker too.
create function private.blocked_user_ids()
returns uuid[]
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(array_agg(other), '{}')
  from (
    select b.blocked_id as other from public.blocks b where b.blocker_id = auth.uid()
    union
    select b.blocker_id from public.blocks b where b.blocked_id = auth.uid()
  ) pairs;
$$;
comment on function private.blocked_user_ids() is 'Everyone the caller blocked or is blocked by; empty for anon.';
revoke execute on function private.blocked_user_ids() from public, anon;
grant execute on function private.blocked_user_ids() to authenticated, service_role;

create policy "anyone can read follows" on public.follows
  for select to anon using (true);
create policy "users can read follows outside their blocks" on public.follows
  for select to authenticated
  using (not (follower_id = any ((select private.blocked_user_ids())::uuid[]) or followed_id = any ((select private.blocked_user_ids())::uuid[])));
create policy "active users can follow users they are not blocked with" on public.follows
  for insert to authenticated
  with check (
    follower_id = (select auth.uid()) and (select private.is_active())
    and not (followed_id = any ((select private.blocked_user_ids())::uuid[]))
  );
create policy "users can unfollow" on public.follows
  for delete to authenticated
  using (follower_id = (select auth.uid()) and (select private.is_active()));

create policy "users can read their own blocks" on public.blocks
  for select to authenticated using (blocker_id = (select auth.uid()));
create policy "active users can block" on public.blocks
  for insert to authenticated with check (blocker_id = (select auth.uid()) and (select private.is_active()));
create policy "users can unblock" on public.blocks
  for delete to authenticated using (blocker_id = (select auth.uid()) and (select private.is_active()));

-- A block ends any follow between the two, either way.
create function private.drop_follows_on_block()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Definer: the blocker may not delete the other side's follow row under RLS.
  delete from public.follows f
  where (f.follower_id = new.blocker_id and f.followed_id = new.blocked_id)
     or (f.follower_id = new.blocked_id and f.followed_id = new.blocker_id);
  return new;
end;
$$;
revoke execute on function private.drop_follows_on_block() from public, anon, authenticated;
create trigger blocks_drop_follows after insert on public.blocks
  for each row execute function private.drop_follows_on_block();
