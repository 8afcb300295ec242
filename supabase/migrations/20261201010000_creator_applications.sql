-- The creator programme (issue 9, item 1; 000 §8): a user applies once to become a creator, an admin
-- approves or rejects. Who may apply: an active account whose live role is `visitor` (creators and
-- admins already have the rights). An application is one row per user, forever: a rejected user does
-- not apply again ("You have already applied for creator.").
-- The status column is the truth; triggers keep everything that follows from it, whoever writes it
-- (the review RPC or `postgres` in the dashboard): approval grants the `creator` role in the same
-- transaction (audited in account_actions by the existing role trigger, with the reviewer as actor),
-- taking approval back (dashboard only) takes the role back, and each decision notifies the applicant.
-- Objects: type creator_application_status; table creator_applications (grants, policies); functions
-- private.may_apply_for_creator, private.refuse_second_creator_application,
-- private.stamp_creator_review, private.apply_creator_decision; triggers
-- creator_applications_one_per_user, creator_applications_stamp_review,
-- creator_applications_apply_decision.

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
  reviewed_by uuid references auth.users (id) on delete set null,
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
comment on column public.creator_applications.reviewed_by is 'The admin who decided (null when decided in the dashboard); readable by admins only, through list_creator_applications.';
create index creator_applications_reviewed_by_idx on public.creator_applications (reviewed_by);
create index creator_applications_status_created_at_idx on public.creator_applications (status, created_at desc, id desc);
alter table public.creator_applications enable row level security;

-- Clients read everything but the reviewer (admins stay private) and insert only their own row;
-- every other column is the server's, and nobody but the review RPC and postgres updates or deletes.
revoke all on public.creator_applications from anon, authenticated;
grant select (id, user_id, status, application_status, review_note, reviewed_at, created_at) on public.creator_applications to authenticated;
grant insert (user_id) on public.creator_applications to authenticated;

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

-- Invoker: stamps the row being written. A decision records when and by whom (auth.uid(): the
-- reviewer through the RPC, null from the dashboard); going back to pending clears both.
create function private.stamp_creator_review()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.status is distinct from old.status then
    if new.status = 'pending' then
      new.reviewed_at := null;
      new.reviewed_by := null;
    else
      new.reviewed_at := now();
      new.reviewed_by := auth.uid();
    end if;
  end if;
  if tg_op = 'UPDATE' then
    new.created_at := old.created_at;
  end if;
  return new;
end;
$$;
comment on function private.stamp_creator_review() is 'Sets reviewed_at / reviewed_by when an application''s status changes.';
revoke execute on function private.stamp_creator_review() from public, anon, authenticated;

create trigger creator_applications_stamp_review before insert or update on public.creator_applications
  for each row execute function private.stamp_creator_review();

-- Definer: writes another user's role (the user_roles triggers audit it with the acting reviewer) and
-- their notification. Approval grants creator to a visitor (an admin keeps admin); approval taken
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
  if new.status is not distinct from v_was then
    return null;
  end if;

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
  'Keeps user_roles in step with an application''s status (approved ⇒ creator) and notifies the applicant of a decision.';
revoke execute on function private.apply_creator_decision() from public, anon, authenticated;

create trigger creator_applications_apply_decision after insert or update of status on public.creator_applications
  for each row execute function private.apply_creator_decision();
