-- Moderation's data (issue 9, item 5): the review state of each report, the auto-hide threshold
-- admins edit, the append-only audit of every moderation decision, and the report types list (000's
-- six reasons as 003's "Get Report Types" lists them).
-- Objects: type report_state; column post_reports.state (+ indexes); table moderation_settings;
-- table moderation_actions (+ append-only triggers); functions private.refuse_moderation_audit_rewrite,
-- private.audit_moderation_setting, public.report_types.

create type public.report_state as enum ('open', 'resolved', 'dismissed');

-- Server-kept: clients insert only (post_id, reason, description); an admin's decision moves it.
alter table public.post_reports
  add column state public.report_state not null default 'open';
comment on column public.post_reports.state is 'open until an admin resolves or dismisses the post''s reports (server-kept).';
create index post_reports_open_post_id_idx on public.post_reports (post_id) where state = 'open';
create index post_reports_state_created_at_idx on public.post_reports (state, created_at desc);

-- One row (id is always true): how many distinct open reports hide a post automatically.
create table public.moderation_settings (
  id boolean primary key default true constraint moderation_settings_single_row check (id),
  auto_hide_threshold integer not null default 5
    constraint moderation_settings_threshold_range check (auto_hide_threshold between 1 and 1000),
  updated_at timestamptz not null default now()
);
comment on table public.moderation_settings is
  'Moderation settings (one row): auto_hide_threshold = how many distinct users'' open reports hide a post until reviewed. Admins read and edit it.';
insert into public.moderation_settings default values;
alter table public.moderation_settings enable row level security;
revoke all on public.moderation_settings from anon, authenticated;
grant select, update (auto_hide_threshold) on public.moderation_settings to authenticated;
grant all on public.moderation_settings to service_role;
create policy "admins can read the moderation settings" on public.moderation_settings
  for select to authenticated using ((select private.is_admin()));
create policy "admins can edit the moderation settings" on public.moderation_settings
  for update to authenticated using ((select private.is_admin())) with check ((select private.is_admin()));

-- The audit. post_id and post_author_id are plain values, not foreign keys: a row outlives its post.
create table public.moderation_actions (
  id bigint generated always as identity primary key,
  post_id bigint,
  post_author_id uuid,
  action text not null constraint moderation_actions_action check (
    action in ('auto_hide', 'resolve', 'dismiss', 'hide', 'unhide', 'threshold_change')
  ),
  -- A user id, 'service_role', 'auth' or 'dashboard' (postgres without a JWT), as in account_actions.
  actor text not null default private.current_actor(),
  admin_id uuid default auth.uid(),
  note text not null default '' constraint moderation_actions_note_length check (char_length(note) <= 1000),
  details jsonb not null default '{}',
  created_at timestamptz not null default now()
);
comment on table public.moderation_actions is
  'The audit of moderation: automatic hides, admins'' resolve and dismiss decisions (with note), direct hides/unhides and threshold changes. Append-only, even for postgres; admins read it.';
create index moderation_actions_post_id_idx on public.moderation_actions (post_id, id desc);
alter table public.moderation_actions enable row level security;
revoke all on public.moderation_actions from anon, authenticated;
grant select on public.moderation_actions to authenticated;
grant select, insert on public.moderation_actions to service_role;
create policy "admins can read the moderation audit" on public.moderation_actions
  for select to authenticated using ((select private.is_admin()));

create function private.refuse_moderation_audit_rewrite()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'Moderation actions are never changed or removed.' using errcode = '42501';
end;
$$;
comment on function private.refuse_moderation_audit_rewrite() is 'Keeps moderation_actions append-only, for postgres too.';
revoke execute on function private.refuse_moderation_audit_rewrite() from public, anon, authenticated;
create trigger moderation_actions_append_only before update or delete on public.moderation_actions
  for each row execute function private.refuse_moderation_audit_rewrite();
create trigger moderation_actions_no_truncate before truncate on public.moderation_actions
  for each statement execute function private.refuse_moderation_audit_rewrite();

-- Every threshold change is audited, whoever makes it (an admin over REST, the dashboard).
-- Definer: the editing admin has no insert right on the audit.
create function private.audit_moderation_setting()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  new.updated_at := now();
  if new.auto_hide_threshold is distinct from old.auto_hide_threshold then
    insert into public.moderation_actions (action, details)
    values ('threshold_change', jsonb_build_object('from', old.auto_hide_threshold, 'to', new.auto_hide_threshold));
  end if;
  return new;
end;
$$;
comment on function private.audit_moderation_setting() is 'Audits changes of the auto-hide threshold and stamps updated_at.';
revoke execute on function private.audit_moderation_setting() from public, anon, authenticated;
create trigger moderation_settings_audit before update on public.moderation_settings
  for each row execute function private.audit_moderation_setting();

-- 003 "Get Report Types": the reasons a report may give (000's six), for a report form.
create function public.report_types()
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_agg(jsonb_build_object('value', t.value, 'label', t.label, 'description', t.description) order by t.ord)
  from (values
    (1, 'spam', 'Spam', 'Unwanted commercial content, scams or repetitive posting.'),
    (2, 'abuse', 'Abuse', 'Harassment, bullying or threats against someone.'),
    (3, 'false', 'False information', 'Misleading or false information.'),
    (4, 'hate', 'Hate speech', 'Attacks on people for who they are.'),
    (5, 'nsfw', 'NSFW', 'Sexual or graphic content not suitable for everyone.'),
    (6, 'other', 'Other', 'Something else; describe it in the report.')
  ) t(ord, value, label, description);
$$;
comment on function public.report_types() is '003 GET /api/moderation/report-types/: [{value, label, description}] for the six report reasons, in order.';
grant execute on function public.report_types() to anon, authenticated, service_role;
