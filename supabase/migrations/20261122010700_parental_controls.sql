-- Parental controls: a child links a parent's email by a code sent there (parental edge functions).
-- A linked parent reads the child's activity summary and may unlink; the child cannot unlink. Linked
-- children are hidden from adults' profile search.
-- Objects: table parent_links; functions private.is_child, public.link_parent, public.is_parent_linked,
-- public.get_child_activity_summary, public.search_profiles.

create table public.parent_links (
  id bigint generated always as identity primary key,
  child_id uuid not null references auth.users (id) on delete cascade,
  parent_email text not null constraint parent_links_email_lowercase check (parent_email = lower(parent_email)),
  verified_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  constraint parent_links_child_parent_key unique (child_id, parent_email)
);
comment on table public.parent_links is
  'Verified parent links. Written only after the parent''s code is verified; the parent (by their account''s email) may remove one.';
create index parent_links_parent_email_idx on public.parent_links (parent_email);
alter table public.parent_links enable row level security;
revoke insert, update, truncate on public.parent_links from anon, authenticated;

create policy "children and their parents can read their links" on public.parent_links
  for select to authenticated
  using (child_id = (select auth.uid()) or parent_email = lower((select auth.email())));
create policy "parents can unlink their children" on public.parent_links
  for delete to authenticated
  using (parent_email = lower((select auth.email())) and (select private.is_active()));

-- Definer: whether someone is a child is needed where parent_links is not readable (other users' search).
create function private.is_child(p_user_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.parent_links l where l.child_id = p_user_id);
$$;
revoke execute on function private.is_child(uuid) from public, anon;
grant execute on function private.is_child(uuid) to authenticated, service_role;

-- Definer (link_parent, is_parent_linked): the parental functions call them as the service role after
-- checking the child's session and the parent's code.
create function public.link_parent(p_child_id uuid, p_parent_email text)
returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.parent_links (child_id, parent_email) values (p_child_id, lower(btrim(p_parent_email)))
  on conflict on constraint parent_links_child_parent_key do nothing;
$$;

create function public.is_parent_linked(p_child_id uuid, p_parent_email text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.parent_links l where l.child_id = p_child_id and l.parent_email = lower(btrim(p_parent_email))
  );
$$;
revoke execute on function public.link_parent(uuid, text), public.is_parent_linked(uuid, text) from public, anon, authenticated;
grant execute on function public.link_parent(uuid, text), public.is_parent_linked(uuid, text) to service_role;

-- Definer: the summary counts rows (follows, notifications, sign-ins) the parent cannot read directly.
create function public.get_child_activity_summary(p_child_id uuid)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_link public.parent_links;
begin
  select l.* into v_link
  from public.parent_links l
  join auth.users parent on parent.id = auth.uid()
  where l.child_id = p_child_id
    and l.parent_email = lower(parent.email)
    and parent.email_confirmed_at is not null;
  if not found then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;

  return (
    select jsonb_build_object(
      'child_id', p.id,
      'username', p.username::text,
      'account_status', p.status,
      'joined_at', p.created_at,
      'last_sign_in_at', u.last_sign_in_at,
      'linked_at', v_link.verified_at,
      'followers', (select count(*) from public.follows f where f.followed_id = p.id),
      'following', (select count(*) from public.follows f where f.follower_id = p.id),
      'blocked_users', (select count(*) from public.blocks b where b.blocker_id = p.id),
      'unread_notifications', (select count(*) from public.notifications n where n.user_id = p.id and not n.is_read)
    )
    from public.profiles p join auth.users u on u.id = p.id
    where p.id = p_child_id
  );
end;
$$;
comment on function public.get_child_activity_summary(uuid) is
  'What a verified parent (whose account email is confirmed and linked) may know of the child''s account.';
revoke execute on function public.get_child_activity_summary(uuid) from public, anon;
grant execute on function public.get_child_activity_summary(uuid) to authenticated;

-- Profile search (signed in, so the caller's age is known): by username or name; blocked users never
-- appear; children appear only to children.
create function public.search_profiles(p_query text)
returns setof public.public_profiles
language sql
stable
set search_path = ''
as $$
  with pattern as (
    select '%' || replace(replace(replace(btrim(p_query), '\', '\\'), '%', '\%'), '_', '\_') || '%' as value
  )
  select v.*
  from public.public_profiles v, pattern
  where btrim(coalesce(p_query, '')) <> ''
    and (v.username ilike pattern.value or v.first_name ilike pattern.value or v.last_name ilike pattern.value)
    and v.status = 'active'
    and v.id is distinct from auth.uid()
    and (not private.is_child(v.id) or coalesce(private.is_child(auth.uid()), false))
  order by (v.username ilike btrim(p_query)) desc, v.username;
$$;
comment on function public.search_profiles(text) is 'Active profiles matching a query, minus blocked users; children are hidden from adults.';
grant execute on function public.search_profiles(text) to authenticated;
