-- Post interaction RPCs with 000's answers: like_post / unlike_post, hide_post / unhide_post,
-- report_post / withdraw_report, record_post_view, and list_post_likers (the page envelope). They are
-- security invoker: every row they write or read passes the tables' policies, so they only add
-- 000's messages on top of the walls a raw REST client meets. Order of checks, as Django REST
-- framework answers: signed in (401, no execute grant for anon), active (403), the post readable
-- (404 "Not found."), the fields valid (400 {"field": [...]}), not already done (400 {"detail"}).
-- Objects: functions private.require_readable_post,
-- private.raise_field_errors, private.page_size_within, private.page_envelope, public.like_post,
-- public.unlike_post, public.hide_post, public.unhide_post, public.report_post,
-- public.withdraw_report, public.record_post_view, public.list_post_likers.

-- private.require_active_caller (the caller's id; 401 signed out, 403 not active) comes from the
-- friends migration.

-- Invoker on purpose: the posts select policy of the caller decides.
create function private.require_readable_post(p_post_id bigint)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if p_post_id is null or not exists (select 1 from public.posts p where p.id = p_post_id) then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
end;
$$;
comment on function private.require_readable_post(bigint) is '404 "Not found." unless the caller can read the post (the posts select policy decides).';
revoke execute on function private.require_readable_post(bigint) from public;
grant execute on function private.require_readable_post(bigint) to anon, authenticated, service_role;

-- Invoker: builds an error only. Raised as check_violation (400) with the fields as JSON in the
-- detail, the project's way of naming fields from SQL (see private.check_profile_links).
create function private.raise_field_errors(p_errors jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_message text;
begin
  if p_errors is null or p_errors = '{}' then
    return;
  end if;
  select string_agg(e.key || ': ' || (e.value ->> 0), ' ' order by e.key) into v_message from jsonb_each(p_errors) e;
  raise exception using errcode = '23514', message = v_message, detail = p_errors::text;
end;
$$;
comment on function private.raise_field_errors(jsonb) is 'Raises 400 {"field": ["message"]} (check_violation, fields as JSON in the detail) when p_errors is not empty.';
revoke execute on function private.raise_field_errors(jsonb) from public;
grant execute on function private.raise_field_errors(jsonb) to anon, authenticated, service_role;

-- Invoker: arithmetic only. Like Django REST framework's max_page_size, a larger page is capped.
create function private.page_size_within(p_page integer, p_page_size integer, p_max integer)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_errors jsonb := '{}';
begin
  if p_page is null or p_page < 1 then
    v_errors := v_errors || '{"page": ["A valid integer greater than or equal to 1 is required."]}';
  end if;
  if p_page_size is null or p_page_size < 1 then
    v_errors := v_errors || '{"page_size": ["A valid integer greater than or equal to 1 is required."]}';
  end if;
  perform private.raise_field_errors(v_errors);
  return least(p_page_size, p_max);
end;
$$;
comment on function private.page_size_within(integer, integer, integer) is 'Validates page and page_size (400 with fields) and returns page_size capped at p_max.';
revoke execute on function private.page_size_within(integer, integer, integer) from public;
grant execute on function private.page_size_within(integer, integer, integer) to anon, authenticated, service_role;

-- Invoker: arithmetic only. next / previous are page numbers, as the SDK's Page has them.
create function private.page_envelope(p_count bigint, p_page integer, p_page_size integer, p_results jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_total_pages integer := greatest(1, ceil(p_count::numeric / p_page_size)::integer);
begin
  if p_page > v_total_pages then
    raise exception 'Invalid page.' using errcode = 'PT404';
  end if;
  return jsonb_build_object(
    'count', p_count,
    'page', p_page,
    'page_size', p_page_size,
    'total_pages', v_total_pages,
    'next', case when p_page < v_total_pages then p_page + 1 end,
    'previous', case when p_page > 1 then p_page - 1 end,
    'results', coalesce(p_results, '[]')
  );
end;
$$;
comment on function private.page_envelope(bigint, integer, integer, jsonb) is
  'The list envelope {count, page, page_size, total_pages, next, previous, results}; 404 "Invalid page." past the last page.';
revoke execute on function private.page_envelope(bigint, integer, integer, jsonb) from public;
grant execute on function private.page_envelope(bigint, integer, integer, jsonb) to anon, authenticated, service_role;

-- likes --------------------------------------------------------------------------------------------
create function public.like_post(p_post_id bigint)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_like public.post_likes;
begin
  perform private.require_readable_post(p_post_id);
  insert into public.post_likes (post_id) values (p_post_id)
  on conflict (post_id, user_id) do nothing
  returning * into v_like;
  if not found then
    raise exception 'You already liked this post.' using errcode = 'P0001';
  end if;
  return jsonb_build_object('post', v_like.post_id, 'user', v_like.user_id, 'created_at', v_like.created_at);
end;
$$;
comment on function public.like_post(bigint) is 'Likes a post the caller can read: {post, user, created_at}; 400 "You already liked this post." the second time.';
grant execute on function public.like_post(bigint) to authenticated;

create function public.unlike_post(p_post_id bigint)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_active_caller();
  delete from public.post_likes where post_id = p_post_id and user_id = (select auth.uid());
  if not found then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
end;
$$;
comment on function public.unlike_post(bigint) is 'Removes the caller''s like of a post; 404 "Not found." when there is none.';
grant execute on function public.unlike_post(bigint) to authenticated;

create function public.list_post_likers(p_post_id bigint, p_page integer default 1, p_page_size integer default 30)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page_size integer := private.page_size_within(p_page, p_page_size, 100);
  v_count bigint;
  v_results jsonb;
begin
  perform private.require_readable_post(p_post_id);
  -- The likes policy hides likes of users in a block with the caller; the profiles policy hides
  -- inactive accounts (and blocked ones again).
  select count(*) into v_count
  from public.post_likes l join public.profiles pr on pr.id = l.user_id
  where l.post_id = p_post_id;
  select coalesce(jsonb_agg(jsonb_build_object(
      'post', page.post_id,
      'user', jsonb_build_object('id', page.user_id, 'username', page.username, 'profile_pic', page.profile_pic),
      'created_at', page.created_at
    ) order by page.created_at desc, page.user_id), '[]')
  into v_results
  from (
    select l.post_id, l.user_id, l.created_at, pr.username::text as username, pr.profile_pic
    from public.post_likes l join public.profiles pr on pr.id = l.user_id
    where l.post_id = p_post_id
    order by l.created_at desc, l.user_id
    limit v_page_size offset (p_page - 1) * v_page_size
  ) page;
  return private.page_envelope(v_count, p_page, v_page_size, v_results);
end;
$$;
comment on function public.list_post_likers(bigint, integer, integer) is
  'Who liked a post, newest first, as the page envelope (page_size default 30, max 100); users in a block with the caller and inactive accounts are left out.';
grant execute on function public.list_post_likers(bigint, integer, integer) to anon, authenticated;

-- hides --------------------------------------------------------------------------------------------
create function public.hide_post(p_post_id bigint)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_hide public.post_hides;
begin
  perform private.require_readable_post(p_post_id);
  insert into public.post_hides (post_id) values (p_post_id)
  on conflict (user_id, post_id) do nothing
  returning * into v_hide;
  if not found then
    raise exception 'You already hid this post.' using errcode = 'P0001';
  end if;
  return jsonb_build_object('post', v_hide.post_id, 'user', v_hide.user_id, 'created_at', v_hide.created_at);
end;
$$;
comment on function public.hide_post(bigint) is 'Hides a post from the caller''s lists: {post, user, created_at}; 400 "You already hid this post." the second time.';
grant execute on function public.hide_post(bigint) to authenticated;

create function public.unhide_post(p_post_id bigint)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_active_caller();
  delete from public.post_hides where post_id = p_post_id and user_id = (select auth.uid());
  if not found then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
end;
$$;
comment on function public.unhide_post(bigint) is 'Shows a hidden post again; 404 "Not found." when the caller had not hidden it.';
grant execute on function public.unhide_post(bigint) to authenticated;

-- reports ------------------------------------------------------------------------------------------
create function public.report_post(p_post_id bigint, p_reason text, p_description text default '')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_errors jsonb := '{}';
  v_description text := regexp_replace(coalesce(p_description, ''), '^[[:space:]]+|[[:space:]]+$', '', 'g');
  v_report public.post_reports;
begin
  perform private.require_readable_post(p_post_id);
  if p_reason is null or p_reason !~ '[^[:space:]]' then
    v_errors := v_errors || '{"reason": ["This field is required."]}';
  elsif not (p_reason = any (enum_range(null::public.report_reason)::text[])) then
    v_errors := v_errors || jsonb_build_object('reason', jsonb_build_array(format('"%s" is not a valid choice.', p_reason)));
  end if;
  if char_length(v_description) > 1000 then
    v_errors := v_errors || '{"description": ["Ensure this field has no more than 1000 characters."]}';
  end if;
  perform private.raise_field_errors(v_errors);
  insert into public.post_reports (post_id, reason, description)
  values (p_post_id, p_reason::public.report_reason, v_description)
  on conflict (user_id, post_id) do nothing
  returning * into v_report;
  if not found then
    raise exception 'You already reported this post.' using errcode = 'P0001';
  end if;
  return jsonb_build_object(
    'id', v_report.id, 'post', v_report.post_id, 'user', v_report.user_id,
    'reason', v_report.reason, 'description', v_report.description, 'created_at', v_report.created_at
  );
end;
$$;
comment on function public.report_post(bigint, text, text) is
  'Reports a post with one of the six reasons (spam, abuse, false, hate, nsfw, other) and a description of at most 1000 characters; 400 "You already reported this post." the second time.';
grant execute on function public.report_post(bigint, text, text) to authenticated;

create function public.withdraw_report(p_post_id bigint)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_active_caller();
  delete from public.post_reports where post_id = p_post_id and user_id = (select auth.uid());
  if not found then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
end;
$$;
comment on function public.withdraw_report(bigint) is 'Removes the caller''s report of a post; 404 "Not found." when there is none.';
grant execute on function public.withdraw_report(bigint) to authenticated;

-- views --------------------------------------------------------------------------------------------
create function public.record_post_view(p_post_id bigint)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_counted boolean;
begin
  perform private.require_readable_post(p_post_id);
  -- viewed_on defaults to today's UTC date; the primary key makes a second view today a no-op.
  insert into public.post_views (post_id) values (p_post_id)
  on conflict (post_id, viewer_id, viewed_on) do nothing;
  v_counted := found;
  return jsonb_build_object(
    'post', p_post_id,
    'counted', v_counted,
    'view_count', (select p.view_count from public.posts p where p.id = p_post_id)
  );
end;
$$;
comment on function public.record_post_view(bigint) is
  'Counts the caller''s view of a post once per UTC day: {post, counted, view_count}; counted is false for a repeat view the same day.';
grant execute on function public.record_post_view(bigint) to authenticated;
