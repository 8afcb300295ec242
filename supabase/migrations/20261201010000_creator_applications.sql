-- The creator programme (issue 9, item 1; 000 §8): a user applies once to become a creator, an admin
-- approves or rejects. Who may apply: an active account whose live role is `visitor` (creators and
-- admins already have the rights). An application is one row per user, forever: a rejected user does
-- not apply again ("You have already applied for creator.").
-- The status column is the truth; triggers keep everything that follows from it, whoever writes it
-- (the review RPC or `postgres` in the dashboard): approval grants the `creator` role in the same
-- transaction (audited in account_actions by the existing role trigger, with the reviewer as actor),
-- taking approval back (dashboard only) takes the role back, each decision notifies the applicant,
-- and every decision, rejections too, is appended to private.creator_application_reviews.
-- Objects: type creator_application_status; tables creator_applications (grants, policies) and
-- private.creator_application_reviews (the decisions' audit); functions
-- private.may_apply_for_creator, private.refuse_second_creator_application,
-- private.stamp_creator_review, private.apply_creator_decision, private.refuse_review_audit_rewrite;
-- triggers creator_applications_one_per_user, creator_applications_stamp_review,
-- creator_applications_apply_decision, creator_application_reviews_append_only.

create type public.creator_application_status as enum ('pending', 'approved', 'rejected');

create table public.creator_applications (
  id bigint generated always as identity primary key,
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  status public.creator_application_status not null default 'pending',
  -- 000's answer: "0" pending, "1" approved; "2" is Marquee's rejected state.
  application_status text not null generated always as (
    case status when 'pending' then '0' when 'approved' then '1' else '2' end
  ) stored,
  review_note text,
  reviewed_at timestamptz,
  created_at timestamptz not null default now(),
  constraint creator_applications_one_per_user unique (user_id),
  constraint creator_applications_review_note_length check (char_length(review_note) <= 1000),
  constraint creator_applications_reviewed_when_decided check ((status = 'pending') = (reviewed_at is null))
);
comment on table public.creator_applications is
  'One creator application per user (000 §8). status pending → approved or rejected, once; approval grants the creator role in the same transaction. Reviews go through the creator-review function (public.review_creator_application).';
comment on column public.creator_applications.application_status is '000''s status: "0" pending, "1" approved, "2" rejected.';
comment on column public.creator_applications.review_note is 'The reviewer''s note, shown to the applicant (required to reject).';
create index creator_applications_status_created_at_idx on public.creator_applications (status, created_at desc, id desc);
alter table public.creator_applications enable row level security;

-- Clients read their rows and insert only their own; every other column is the server's, and nobody
-- but the review RPC and postgres updates or deletes. Who reviewed is kept apart, in
-- private.creator_application_reviews, because who the admins are is private.
revoke all on public.creator_applications from anon, authenticated;
grant select on public.creator_applications to authenticated;
grant insert (user_id) on public.creator_applications to authenticated;

create table private.creator_application_reviews (
  id bigint generated always as identity primary key,
  application_id bigint not null,
  applicant_id uuid not null,
  status public.creator_application_status not null,
  review_note text,
  actor text not null default private.current_actor(),
  reviewer_id uuid,
  created_at timestamptz not null default now()
);
comment on table private.creator_application_reviews is
  'The audit of creator application decisions (every status change, through any door): who (a user id or ''dashboard''), what, the note. Append-only; outlives the application and the accounts.';
create index creator_application_reviews_application_idx on private.creator_application_reviews (application_id, id desc);
revoke all on private.creator_application_reviews from public, anon, authenticated;
alter table private.creator_application_reviews enable row level security;

-- Definer: reads the caller's live user_roles and profiles rows, as private.is_admin does.
create function private.may_apply_for_creator()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select private.is_active()
    and exists (
      select 1 from public.profiles p
      left join public.user_roles r on r.user_id = p.id
      where p.id = auth.uid() and p.status = 'active' and coalesce(r.role, 'visitor') = 'visitor'
    );
$$;
comment on function private.may_apply_for_creator() is
  'True when the caller may apply to be a creator: active (JWT and profile) and a visitor now (not already a creator or an admin).';
revoke execute on function private.may_apply_for_creator() from public, anon;
grant execute on function private.may_apply_for_creator() to authenticated, service_role;

create policy "applicants and admins can read applications" on public.creator_applications
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));
create policy "active visitors can apply for themselves" on public.creator_applications
  for insert to authenticated
  with check (user_id = (select auth.uid()) and (select private.may_apply_for_creator()));

-- Definer: the earlier application may be invisible to the writer. Gives the reference's message
-- instead of a bare unique violation to the applicant and the dashboard; an insert in someone else's
-- name is left to the policy (42501), so it does not reveal whether they applied.
create function private.refuse_second_creator_application()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if (auth.uid() is null or auth.uid() = new.user_id)
    and exists (select 1 from public.creator_applications a where a.user_id = new.user_id) then
    raise exception 'You have already applied for creator.' using errcode = 'P0001';
  end if;
  return new;
end;
$$;
comment on function private.refuse_second_creator_application() is '400 "You have already applied for creator." for a second application.';
revoke execute on function private.refuse_second_creator_application() from public, anon, authenticated;

create trigger creator_applications_one_per_user before insert on public.creator_applications
  for each row execute function private.refuse_second_creator_application();

-- Invoker: stamps the row being written. A decision records when; going back to pending clears it.
create function private.stamp_creator_review()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    new.reviewed_at := case when new.status = 'pending' then null else now() end;
  end if;
  if tg_op = 'UPDATE' then
    new.created_at := old.created_at;
  end if;
  return new;
end;
$$;
comment on function private.stamp_creator_review() is 'Sets reviewed_at when an application''s status changes; keeps created_at.';
revoke execute on function private.stamp_creator_review() from public, anon, authenticated;

create trigger creator_applications_stamp_review before insert or update on public.creator_applications
  for each row execute function private.stamp_creator_review();

-- Definer: writes the review audit, another user's role (the user_roles triggers audit it with the
-- acting reviewer) and their notification. Approval grants creator to a visitor (an admin keeps admin); approval taken
-- back, which only postgres can do, returns a creator to visitor. Deleting an application changes no
-- role: roles are also an admin's to set directly (user_roles).
create function private.apply_creator_decision()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_was public.creator_application_status := case when tg_op = 'UPDATE' then old.status end;
begin
  -- A new pending application is no decision.
  if new.status is not distinct from coalesce(v_was, 'pending') then
    return null;
  end if;

  insert into private.creator_application_reviews (application_id, applicant_id, status, review_note, reviewer_id)
  values (new.id, new.user_id, new.status, new.review_note, auth.uid());

  if new.status = 'approved' then
    update public.user_roles set role = 'creator', updated_at = now()
    where user_id = new.user_id and role = 'visitor';
  elsif v_was = 'approved' then
    update public.user_roles set role = 'visitor', updated_at = now()
    where user_id = new.user_id and role = 'creator';
  end if;

  if new.status in ('approved', 'rejected') and private.notification_enabled(new.user_id, 'general') then
    perform private.notify(
      new.user_id,
      'general',
      case new.status
        when 'approved' then 'Your creator application has been approved. You can now upload reels and videos.'
        else 'Your creator application was not approved.' || coalesce(' ' || nullif(btrim(new.review_note), ''), '')
      end,
      'creator_application',
      new.id
    );
  end if;
  return null;
end;
$$;
comment on function private.apply_creator_decision() is
  'Audits each status change, keeps user_roles in step with it (approved ⇒ creator) and notifies the applicant of a decision.';

create function private.refuse_review_audit_rewrite()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'Creator application reviews are never changed or removed.' using errcode = '42501';
end;
$$;
comment on function private.refuse_review_audit_rewrite() is 'Keeps private.creator_application_reviews append-only, for postgres too.';
revoke execute on function private.refuse_review_audit_rewrite() from public, anon, authenticated;

create trigger creator_application_reviews_append_only before update or delete on private.creator_application_reviews
  for each row execute function private.refuse_review_audit_rewrite();
revoke execute on function private.apply_creator_decision() from public, anon, authenticated;

create trigger creator_applications_apply_decision after insert or update of status on public.creator_applications
  for each row execute function private.apply_creator_decision();
