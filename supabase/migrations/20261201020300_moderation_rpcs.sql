-- The admins' moderation RPCs: moderation_queue (reported posts with their report counts, per post
-- and per reason, newest report first; filters reason, post type and state; the page envelope),
-- moderation_resolve (the reports are upheld: the post is hidden for everyone but its author and
-- admins, optionally its author suspended through the account RPC) and moderation_dismiss (the reports
-- are rejected: a post hidden automatically is shown again). Each decision is audited once in
-- moderation_actions with who, what, when and the note. Live admin rights: 403 otherwise, 401 for anon
-- (no execute grant).
-- Objects: functions private.require_live_admin, public.moderation_queue, public.moderation_resolve,
-- public.moderation_dismiss, private.lock_reported_post, private.reason_counts.

-- Definer: reads the caller's live role (private.is_admin is itself definer).
create function private.require_live_admin()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
begin
  if not private.is_admin() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  return auth.uid();
end;
$$;
comment on function private.require_live_admin() is '403 "You do not have permission to perform this action." unless the caller is an admin now (live role, active).';
revoke execute on function private.require_live_admin() from public, anon;
grant execute on function private.require_live_admin() to authenticated, service_role;

-- The six reasons with how many reports of this post in this state give each.
create function private.reason_counts(p_post_id bigint, p_state public.report_state)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_object_agg(t.reason, (select count(*) from public.post_reports r
                                     where r.post_id = p_post_id and r.state = p_state and r.reason = t.reason))
  from unnest(enum_range(null::public.report_reason)) t(reason);
$$;
comment on function private.reason_counts(bigint, public.report_state) is '{reason: count} of a post''s reports in one state, all six reasons.';
revoke execute on function private.reason_counts(bigint, public.report_state) from public, anon, authenticated;

create function public.moderation_queue(
  p_state text default 'open',
  p_reason text default null,
  p_post_type text default null,
  p_page integer default 1,
  p_page_size integer default 20
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_errors jsonb := '{}';
  v_state public.report_state;
  v_reason public.report_reason;
  v_type public.post_type;
  v_size integer;
  v_count bigint;
  v_results jsonb;
begin
  perform private.require_live_admin();
  if p_state is null or not (p_state = any (enum_range(null::public.report_state)::text[])) then
    v_errors := v_errors || jsonb_build_object('state', jsonb_build_array(format('"%s" is not a valid choice.', p_state)));
  end if;
  if p_reason is not null and not (p_reason = any (enum_range(null::public.report_reason)::text[])) then
    v_errors := v_errors || jsonb_build_object('reason', jsonb_build_array(format('"%s" is not a valid choice.', p_reason)));
  end if;
  if p_post_type is not null and not (p_post_type = any (enum_range(null::public.post_type)::text[])) then
    v_errors := v_errors || jsonb_build_object('post_type', jsonb_build_array(format('"%s" is not a valid choice.', p_post_type)));
  end if;
  perform private.raise_field_errors(v_errors);
  v_size := private.page_size_within(p_page, p_page_size, 100);
  v_state := p_state::public.report_state;
  v_reason := p_reason::public.report_reason;
  v_type := p_post_type::public.post_type;

  select count(*) into v_count
  from (
    select r.post_id from public.post_reports r join public.posts p on p.id = r.post_id
    where r.state = v_state and (v_type is null or p.post_type = v_type)
    group by r.post_id
    having v_reason is null or bool_or(r.reason = v_reason)
  ) x;

  select coalesce(jsonb_agg(jsonb_build_object(
      'post_id', p.id,
      'post_type', p.post_type,
      'post_title', p.post_title,
      'visibility', p.visibility,
      'created_by', p.created_by,
      'author', jsonb_build_object('id', a.id, 'username', a.username::text, 'status', a.status),
      'state', v_state,
      'hidden', p.moderation_hidden_at is not null,
      'moderation_hidden_at', p.moderation_hidden_at,
      'report_count', m.reports,
      'reasons', private.reason_counts(p.id, v_state),
      'first_reported_at', m.first_at,
      'last_reported_at', m.last_at,
      'last_action', (select jsonb_build_object('action', x.action, 'actor', x.actor, 'note', x.note, 'created_at', x.created_at)
                      from public.moderation_actions x where x.post_id = p.id order by x.id desc limit 1)
    ) order by m.last_at desc, m.post_id desc), '[]')
    into v_results
  from (
    select r.post_id, count(*) as reports, min(r.created_at) as first_at, max(r.created_at) as last_at
    from public.post_reports r join public.posts p on p.id = r.post_id
    where r.state = v_state and (v_type is null or p.post_type = v_type)
    group by r.post_id
    having v_reason is null or bool_or(r.reason = v_reason)
    order by max(r.created_at) desc, r.post_id desc
    limit v_size offset (p_page - 1) * v_size
  ) m
  join public.posts p on p.id = m.post_id
  left join public.profiles a on a.id = p.created_by;

  return private.page_envelope(v_count, p_page, v_size, v_results);
end;
$$;
comment on function public.moderation_queue(text, text, text, integer, integer) is
  'Admins: reported posts whose reports are in p_state (open, resolved, dismissed), with counts per post and per reason, newest report first; filters reason and post type; page envelope (20 a page, at most 100).';
revoke execute on function public.moderation_queue(text, text, text, integer, integer) from public, anon;
grant execute on function public.moderation_queue(text, text, text, integer, integer) to authenticated, service_role;

-- The checks both decisions share: a live admin, a note of at most 1000 characters, a post that exists
-- (locked, so two decisions on one post run one after the other) and has open reports.
create function private.lock_reported_post(p_post_id bigint, p_note text)
returns public.posts
language plpgsql
set search_path = ''
as $$
declare
  v_post public.posts;
begin
  perform private.require_live_admin();
  if char_length(coalesce(p_note, '')) > 1000 then
    perform private.raise_field_errors('{"note": ["Ensure this field has no more than 1000 characters."]}');
  end if;
  select * into v_post from public.posts p where p.id = p_post_id for no key update;
  if not found then
    raise exception 'Not found.' using errcode = 'PT404';
  end if;
  if not exists (select 1 from public.post_reports r where r.post_id = p_post_id and r.state = 'open') then
    raise exception 'This post has no open reports.' using errcode = 'PT409';
  end if;
  return v_post;
end;
$$;
comment on function private.lock_reported_post(bigint, text) is
  'For moderation_resolve/dismiss: admin check, note length, the post locked (404 when missing), 409 "This post has no open reports.".';
revoke execute on function private.lock_reported_post(bigint, text) from public, anon, authenticated;

-- Definer: admins have no write rights on post_reports.state, posts.moderation_hidden_at or the audit.
create function public.moderation_resolve(p_post_id bigint, p_note text default '', p_suspend_author boolean default false)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_post public.posts := private.lock_reported_post(p_post_id, p_note);
  v_note text := btrim(coalesce(p_note, ''));
  v_details jsonb;
  v_resolved bigint;
  v_suspended boolean := false;
begin
  v_details := jsonb_build_object('reasons', private.reason_counts(p_post_id, 'open'), 'suspend_author', coalesce(p_suspend_author, false));
  update public.post_reports set state = 'resolved' where post_id = p_post_id and state = 'open';
  get diagnostics v_resolved = row_count;
  v_details := v_details || jsonb_build_object('reports', v_resolved);

  if coalesce(p_suspend_author, false)
    and exists (select 1 from public.profiles a where a.id = v_post.created_by and a.status = 'active') then
    perform public.admin_suspend_user(v_post.created_by, v_note);
    v_suspended := true;
  end if;
  v_details := v_details || jsonb_build_object('author_suspended', v_suspended);

  if v_post.moderation_hidden_at is null then
    perform set_config('marquee.moderation_action', jsonb_build_object(
      'post_id', p_post_id, 'action', 'resolve', 'note', v_note, 'details', v_details)::text, true);
    update public.posts set moderation_hidden_at = now() where id = p_post_id;
    perform set_config('marquee.moderation_action', '', true);
  else
    insert into public.moderation_actions (post_id, post_author_id, action, note, details)
    values (p_post_id, v_post.created_by, 'resolve', v_note, v_details || '{"hidden": true}');
  end if;
  return jsonb_build_object('detail', 'Reports resolved; the post is hidden.', 'post_id', p_post_id,
    'hidden', true, 'resolved_reports', v_resolved, 'author_suspended', v_suspended);
end;
$$;
comment on function public.moderation_resolve(bigint, text, boolean) is
  'Admins: upholds a post''s open reports: hides the post (moderation_hidden_at), optionally suspends its author (admin_suspend_user), audits the decision with the note.';
revoke execute on function public.moderation_resolve(bigint, text, boolean) from public, anon;
grant execute on function public.moderation_resolve(bigint, text, boolean) to authenticated, service_role;

create function public.moderation_dismiss(p_post_id bigint, p_note text default '')
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_post public.posts := private.lock_reported_post(p_post_id, p_note);
  v_note text := btrim(coalesce(p_note, ''));
  v_details jsonb;
  v_dismissed bigint;
  v_auto_hidden boolean;
begin
  v_details := jsonb_build_object('reasons', private.reason_counts(p_post_id, 'open'));
  update public.post_reports set state = 'dismissed' where post_id = p_post_id and state = 'open';
  get diagnostics v_dismissed = row_count;
  v_details := v_details || jsonb_build_object('reports', v_dismissed);

  -- Only an automatic hide is undone; a post hidden by a decision or by hand stays hidden.
  v_auto_hidden := v_post.moderation_hidden_at is not null and coalesce((
    select m.action = 'auto_hide' from public.moderation_actions m
    where m.post_id = p_post_id and m.action in ('auto_hide', 'resolve', 'hide')
    order by m.id desc limit 1), false);
  if v_auto_hidden then
    perform set_config('marquee.moderation_action', jsonb_build_object(
      'post_id', p_post_id, 'action', 'dismiss', 'note', v_note, 'details', v_details)::text, true);
    update public.posts set moderation_hidden_at = null where id = p_post_id;
    perform set_config('marquee.moderation_action', '', true);
  else
    insert into public.moderation_actions (post_id, post_author_id, action, note, details)
    values (p_post_id, v_post.created_by, 'dismiss', v_note,
            v_details || jsonb_build_object('hidden', v_post.moderation_hidden_at is not null));
  end if;
  return jsonb_build_object('detail', 'Reports dismissed.', 'post_id', p_post_id,
    'hidden', v_post.moderation_hidden_at is not null and not v_auto_hidden, 'dismissed_reports', v_dismissed);
end;
$$;
comment on function public.moderation_dismiss(bigint, text) is
  'Admins: rejects a post''s open reports; a post hidden automatically is shown again; audits the decision with the note.';
revoke execute on function public.moderation_dismiss(bigint, text) from public, anon;
grant execute on function public.moderation_dismiss(bigint, text) to authenticated, service_role;
