-- The creator programme's RPCs: applying (000 §8's answers), an admin's review (under the
-- creator-review function) and the admins' list of applications. The walls are the table's policies
-- and triggers; these add the reference's messages and answers.
-- Objects: functions public.apply_for_creator, public.review_creator_application,
-- public.list_creator_applications, private.creator_application_json.

-- Invoker: the insert meets the table's policy and triggers as the caller.
create function public.apply_for_creator()
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
begin
  if exists (select 1 from public.creator_applications a where a.user_id = v_user) then
    raise exception 'You have already applied for creator.' using errcode = 'P0001';
  end if;
  if not private.may_apply_for_creator() then
    raise exception 'You already have creator rights.' using errcode = 'P0001';
  end if;
  begin
    insert into public.creator_applications (user_id) values (v_user);
  exception when unique_violation then
    -- A concurrent application by the same user won the race.
    raise exception 'You have already applied for creator.' using errcode = 'P0001';
  end;
  return jsonb_build_object('detail', 'Creator application submitted successfully.');
end;
$$;
comment on function public.apply_for_creator() is
  '000 §8 POST: {detail: "Creator application submitted successfully."}; 400 "You have already applied for creator." the second time, 400 "You already have creator rights." for creators and admins.';
grant execute on function public.apply_for_creator() to authenticated;

-- Definer: the reviewer comes from the private audit (callers ask for it only after an admin check).
create function private.creator_application_json(a public.creator_applications, p_with_reviewer boolean)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object(
    'id', a.id,
    'user', a.user_id,
    'username', (select p.username::text from public.profiles p where p.id = a.user_id),
    'application_status', a.application_status,
    'status', a.status,
    'review_note', a.review_note,
    'reviewed_at', a.reviewed_at,
    'created_at', a.created_at
  ) || case when p_with_reviewer then jsonb_build_object('reviewed_by', (
    select r.reviewer_id from private.creator_application_reviews r where r.application_id = a.id order by r.id desc limit 1
  )) else '{}' end;
$$;
comment on function private.creator_application_json(public.creator_applications, boolean) is
  'An application as the API answers it (000''s fields plus status, review_note, reviewed_at; reviewed_by for admins).';
revoke execute on function private.creator_application_json(public.creator_applications, boolean) from public, anon, authenticated;

-- Definer: clients may not update creator_applications at all; this is the one door for a review,
-- and it checks the live admin rights first.
create function public.review_creator_application(p_application_id bigint, p_decision text, p_note text default null)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_app public.creator_applications;
  v_note text := nullif(btrim(coalesce(p_note, '')), '');
  v_errors jsonb := '{}';
begin
  if not private.is_admin() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  if p_application_id is null then
    v_errors := v_errors || '{"application_id": ["This field is required."]}';
  end if;
  if p_decision is null or p_decision not in ('approve', 'reject') then
    v_errors := v_errors || jsonb_build_object('decision', jsonb_build_array(format('"%s" is not a valid choice.', coalesce(p_decision, ''))));
  end if;
  if char_length(coalesce(v_note, '')) > 1000 then
    v_errors := v_errors || '{"note": ["Ensure this field has no more than 1000 characters."]}';
  elsif p_decision = 'reject' and v_note is null then
    v_errors := v_errors || '{"note": ["A note is required to reject an application."]}';
  end if;
  perform private.raise_field_errors(v_errors);

  select * into v_app from public.creator_applications a where a.id = p_application_id for update;
  if not found then
    raise exception 'Creator application not found.' using errcode = 'PT404';
  end if;
  if v_app.user_id = auth.uid() then
    raise exception 'You cannot review your own application.' using errcode = '42501';
  end if;
  if v_app.status <> 'pending' then
    raise exception 'This application has already been reviewed.' using errcode = 'PT409';
  end if;

  update public.creator_applications
  set status = case p_decision when 'approve' then 'approved' else 'rejected' end::public.creator_application_status,
    review_note = v_note
  where id = v_app.id
  returning * into v_app;
  return private.creator_application_json(v_app, true);
end;
$$;
comment on function public.review_creator_application(bigint, text, text) is
  'Admins: approve or reject a pending application (a note is required to reject). 403 for non-admins and for one''s own application, 404 "Creator application not found.", 409 "This application has already been reviewed.".';
revoke execute on function public.review_creator_application(bigint, text, text) from public, anon;
grant execute on function public.review_creator_application(bigint, text, text) to authenticated;

-- Definer: admins read the reviewer from the private audit here.
create function public.list_creator_applications(
  p_status public.creator_application_status default null,
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
  v_size integer;
  v_count bigint;
  v_results jsonb;
begin
  if not private.is_admin() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  v_size := private.page_size_within(p_page, p_page_size, 100);
  select count(*) into v_count from public.creator_applications a where p_status is null or a.status = p_status;
  select coalesce(jsonb_agg(private.creator_application_json(a, true) order by a.created_at desc, a.id desc), '[]')
  into v_results
  from (
    select * from public.creator_applications a
    where p_status is null or a.status = p_status
    order by a.created_at desc, a.id desc
    limit v_size offset (p_page - 1) * v_size
  ) a;
  return private.page_envelope(v_count, p_page, v_size, v_results);
end;
$$;
comment on function public.list_creator_applications(public.creator_application_status, integer, integer) is
  'Admins: applications newest first, optionally of one status, in the list envelope (20 a page, at most 100).';
revoke execute on function public.list_creator_applications(public.creator_application_status, integer, integer) from public, anon;
grant execute on function public.list_creator_applications(public.creator_application_status, integer, integer) to authenticated;
