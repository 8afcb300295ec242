-- A post hidden by moderation (posts.moderation_hidden_at set) vanishes for everyone but its author
-- and admins at every door. A restrictive select policy on posts does most of it, because every other
-- door asks the posts policies: get_post and the list RPCs (invoker), post_media, likes, comments,
-- tags and mentions ("of posts they can read"), and the post files in Storage (their policies join
-- posts). The lists also leave hidden posts out for admins and their authors' readers alike, so a
-- hidden post stops being *listable*: the list counters, the viewer's exclusions and the three list
-- RPCs learn that (their bodies are otherwise unchanged). Nobody, the author included, may like or
-- comment on a hidden post, through any door.
-- Objects: policies "signed-out readers never see moderation-hidden posts" and "moderation-hidden
-- posts only for their author and admins" on posts (restrictive);
-- functions private.count_{inserted,updated,deleted}_listable_posts, private.recount_listable_posts,
-- private.viewer_listable_exclusions, public.list_posts, public.list_reels, public.list_user_posts
-- (replaced); function private.refuse_interaction_on_hidden_post; triggers
-- post_likes_refuse_hidden_post, comments_refuse_hidden_post.

-- Restrictive: ANDed with every permissive select policy, so the existing rules stay as they are.
create policy "signed-out readers never see moderation-hidden posts" on public.posts
  as restrictive
  for select to anon
  using (moderation_hidden_at is null);
create policy "moderation-hidden posts only for their author and admins" on public.posts
  as restrictive
  for select to authenticated
  using (
    moderation_hidden_at is null
    or created_by = (select auth.uid())
    or (select private.is_admin())
  );

-- Listable now also means not hidden by moderation, and not premium-only: nobody but its author and
-- admins sees such a post in a list until billing makes readers premium, so the counts leave it out.
create or replace function private.count_inserted_listable_posts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.apply_listable_deltas(
    array(select n.post_type from new_rows n
          where n.visibility = 'public' and n.author_active and n.moderation_hidden_at is null and not n.require_premium), '{}');
  return null;
end;
$$;

create or replace function private.count_updated_listable_posts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.apply_listable_deltas(
    array(select n.post_type from new_rows n
          where n.visibility = 'public' and n.author_active and n.moderation_hidden_at is null and not n.require_premium),
    array(select o.post_type from old_rows o
          where o.visibility = 'public' and o.author_active and o.moderation_hidden_at is null and not o.require_premium));
  return null;
end;
$$;
comment on function private.count_updated_listable_posts() is
  'Statement trigger: moves the counters when an update changes visibility, author_active, moderation_hidden_at, require_premium or post_type.';

create or replace function private.count_deleted_listable_posts()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.apply_listable_deltas(
    '{}', array(select o.post_type from old_rows o
                where o.visibility = 'public' and o.author_active and o.moderation_hidden_at is null and not o.require_premium));
  return null;
end;
$$;

create or replace function private.recount_listable_posts()
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
                   where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and not p.require_premium
                   group by p.post_type) x
          on x.post_type = c2.post_type and c2.slot = 0) n
  where n.post_type = c.post_type and n.slot = c.slot;
end;
$$;

create or replace function private.viewer_listable_exclusions(p_types public.post_type[])
returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)
  from (
    select p.id from public.posts p
    where p.created_by = any ((select private.blocked_user_ids())::uuid[])
      and p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and not p.require_premium and p.post_type = any (p_types)
    union
    select p.id from public.post_hides h join public.posts p on p.id = h.post_id
    where h.user_id = auth.uid() and p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and not p.require_premium
      and p.post_type = any (p_types)
    union
    select p.id from public.post_reports r join public.posts p on p.id = r.post_id
    where r.user_id = auth.uid() and p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and not p.require_premium
      and p.post_type = any (p_types)
  ) x;
$$;

select private.recount_listable_posts();

create or replace function public.list_posts(
  p_page integer default 1,
  p_page_size integer default 10,
  p_search text default null,
  p_ordering text default '-created_at',
  p_tag text default null,
  p_post_type public.post_type default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 10);
  v_search text := nullif(btrim(coalesce(p_search, '')), '');
  v_tag text := nullif(ltrim(btrim(coalesce(p_tag, '')), '#'), '');
  v_types public.post_type[] := case when p_post_type is null then enum_range(null::public.post_type) else array[p_post_type] end;
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_tag_id bigint;
  v_order text;
  v_where text;
  v_count bigint;
  v_ids bigint[];
begin
  v_order := case coalesce(p_ordering, '-created_at')
    when '-created_at' then 'p.created_at desc, p.id desc'
    when 'created_at' then 'p.created_at, p.id'
    when 'post_type' then 'p.post_type, p.created_at desc, p.id desc'
    when '-post_type' then 'p.post_type desc, p.created_at desc, p.id desc'
  end;
  if v_order is null then
    raise exception 'ordering: Choose one of post_type, -post_type, created_at, -created_at.' using errcode = '22023';
  end if;
  if char_length(v_search) > 100 then
    raise exception 'search: Ensure this field has no more than 100 characters.' using errcode = '22023';
  end if;
  if v_tag is not null and v_tag !~ '^[A-Za-z0-9_]{1,50}$' then
    raise exception 'tag: Enter a valid tag (letters, digits and _, at most 50).' using errcode = '22023';
  end if;
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
  end if;

  v_where := 'p.visibility = ''public'' and p.author_active and p.moderation_hidden_at is null and p.post_type = any ($1)'
    || ' and not (p.created_by = any ($2)) and not (p.id = any ($3))';
  if v_search is not null then
    -- The same expression as posts_search_trgm_idx; % and _ in the terms match themselves.
    v_where := v_where || ' and (p.post_title || '' '' || p.post_description) ilike $4';
    v_search := '%' || replace(replace(replace(v_search, '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;
  if v_tag is not null then
    select t.id into v_tag_id from public.tags t where t.name operator(extensions.=) v_tag::extensions.citext;
    v_where := v_where || ' and p.id in (select pt.post_id from public.post_tags pt where pt.tag_id = $5)';
  end if;

  if v_search is null and v_tag is null then
    v_count := private.listable_post_total(v_types);
    if auth.uid() is not null then
      v_count := v_count - private.viewer_listable_exclusions(v_types);
    end if;
  else
    execute 'select count(*) from public.posts p where ' || v_where
      into v_count using v_types, v_blocked, v_excluded, v_search, v_tag_id;
  end if;

  execute 'select array(select p.id from public.posts p where ' || v_where
    || ' order by ' || v_order || ' limit $6 offset $7)'
    into v_ids using v_types, v_blocked, v_excluded, v_search, v_tag_id, v_size, (v_page - 1) * v_size;
  return private.page_envelope(v_count, v_page, v_size, private.post_items(v_ids));
end;
$$;
comment on function public.list_posts(integer, integer, text, text, text, public.post_type) is
  '000 GET /api/posts/: public posts of active authors the caller may see, minus blocked/hidden/reported; search, ordering, tag and type filters; exact count.';
grant execute on function public.list_posts(integer, integer, text, text, text, public.post_type) to anon, authenticated, service_role;

create or replace function public.list_reels(p_page integer default 1, p_page_size integer default 30)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 30);
  v_types public.post_type[] := array['reel', 'youtube_reel']::public.post_type[];
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_count bigint := private.listable_post_total(array['reel', 'youtube_reel']::public.post_type[]);
  v_ids bigint[];
begin
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
    v_count := v_count - private.viewer_listable_exclusions(v_types);
  end if;
  -- Written out in full (not p.post_type = any (v_types)) so it matches posts_listable_reels_created_at_idx.
  v_ids := array(
    select p.id from public.posts p
    where p.post_type in ('reel', 'youtube_reel') and p.visibility = 'public' and p.author_active
      and p.moderation_hidden_at is null
      and not (p.created_by = any (v_blocked)) and not (p.id = any (v_excluded))
    order by p.created_at desc, p.id desc
    limit v_size offset (v_page - 1) * v_size);
  return private.page_envelope(v_count, v_page, v_size, private.reel_items(v_ids));
end;
$$;
comment on function public.list_reels(integer, integer) is
  '000 GET /api/reels/: public reels and YouTube shorts of active authors the caller may see, newest first, minus blocked/hidden/reported; exact count.';
grant execute on function public.list_reels(integer, integer) to anon, authenticated, service_role;

create or replace function public.list_user_posts(p_user_id uuid, p_page integer default 1, p_page_size integer default 10)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page integer := coalesce(p_page, 1);
  v_size integer := private.checked_page_size(p_page, p_page_size, 10);
  v_own boolean := p_user_id = auth.uid();
  v_blocked uuid[] := '{}';
  v_excluded bigint[] := '{}';
  v_count bigint;
  v_ids bigint[];
begin
  if p_user_id is null then
    raise exception 'user_id: This field is required.' using errcode = '22023';
  end if;
  if auth.uid() is not null then
    v_blocked := private.blocked_user_ids();
    v_excluded := private.viewer_excluded_post_ids();
  end if;
  -- The author sees every post of their own (any visibility); everyone else the listable ones.
  select count(*) into v_count from public.posts p
  where p.created_by = p_user_id
    and (v_own or (p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null))
    and not (p.created_by = any (v_blocked)) and not (p.id = any (v_excluded));
  v_ids := array(
    select p.id from public.posts p
    where p.created_by = p_user_id
      and (v_own or (p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null))
      and not (p.created_by = any (v_blocked)) and not (p.id = any (v_excluded))
    order by p.created_at desc, p.id desc
    limit v_size offset (v_page - 1) * v_size);
  return private.page_envelope(v_count, v_page, v_size, private.post_items(v_ids));
end;
$$;
comment on function public.list_user_posts(uuid, integer, integer) is
  'One author''s posts, newest first: all of them for the author, public ones of an active author for others; nothing across a block.';
grant execute on function public.list_user_posts(uuid, integer, integer) to anon, authenticated, service_role;

-- Definer: reads the post whatever its policies say. Someone who cannot read the post learns no
-- more than the policies would tell them (404 "Not found."), its author and admins learn why.
create function private.refuse_interaction_on_hidden_post()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_author uuid;
begin
  select p.created_by into v_author from public.posts p where p.id = new.post_id and p.moderation_hidden_at is not null;
  if found then
    if auth.uid() is null or auth.uid() = v_author or private.is_admin() then
      raise exception 'This post is hidden by moderation.' using errcode = '42501';
    end if;
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  return new;
end;
$$;
comment on function private.refuse_interaction_on_hidden_post() is
  'Refuses new likes and comments on a post hidden by moderation, through every door.';
revoke execute on function private.refuse_interaction_on_hidden_post() from public, anon, authenticated;
create trigger post_likes_refuse_hidden_post before insert or update of post_id on public.post_likes
  for each row execute function private.refuse_interaction_on_hidden_post();
create trigger comments_refuse_hidden_post before insert or update of post_id on public.comments
  for each row execute function private.refuse_interaction_on_hidden_post();
