-- Notifications and their preferences: what a user is told, and which kinds they want. The list a
-- user reads is filtered by their preferences; `all_notifications = false` turns every other flag off.
-- New notifications reach signed-in clients live through Realtime (postgres_changes, under RLS).
-- Objects: type notification_type; tables notifications, notification_preferences; functions
-- private.enabled_notification_types, private.apply_all_notifications, private.notify,
-- public.mark_all_notifications_read; publication supabase_realtime (adds notifications).

create type public.notification_type as enum ('general', 'follow', 'like', 'comment', 'new_event', 'event_reminder');

create table public.notifications (
  id bigint generated always as identity primary key,
  user_id uuid not null references auth.users (id) on delete cascade,
  message text not null,
  notification_type public.notification_type not null default 'general',
  page text,
  page_item_id bigint,
  is_read boolean not null default false,
  created_at timestamptz not null default now()
);
comment on table public.notifications is 'What a user has been told. Written by the system (private.notify); the user marks them read or deletes them.';
create index notifications_user_id_created_at_idx on public.notifications (user_id, created_at desc);
alter table public.notifications enable row level security;
revoke insert, update, truncate on public.notifications from anon, authenticated;
grant update (is_read) on public.notifications to authenticated;

create table public.notification_preferences (
  user_id uuid primary key references auth.users (id) on delete cascade,
  all_notifications boolean not null default true,
  email_notifications boolean not null default true,
  push_notifications boolean not null default true,
  follow_notifications boolean not null default true,
  likes_notifications boolean not null default true,
  comments_notifications boolean not null default true,
  new_events_notifications boolean not null default true,
  event_reminders_notifications boolean not null default true,
  updated_at timestamptz not null default now()
);
comment on table public.notification_preferences is 'One row per user. all_notifications = false forces the other seven flags to false.';
alter table public.notification_preferences enable row level security;
revoke insert, update, delete, truncate on public.notification_preferences from anon, authenticated;
grant update (all_notifications, email_notifications, push_notifications, follow_notifications, likes_notifications,
  comments_notifications, new_events_notifications, event_reminders_notifications)
  on public.notification_preferences to authenticated;

create function private.apply_all_notifications()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if not new.all_notifications then
    new.email_notifications := false;
    new.push_notifications := false;
    new.follow_notifications := false;
    new.likes_notifications := false;
    new.comments_notifications := false;
    new.new_events_notifications := false;
    new.event_reminders_notifications := false;
  end if;
  new.updated_at := now();
  return new;
end;
$$;
create trigger notification_preferences_apply_all before insert or update on public.notification_preferences
  for each row execute function private.apply_all_notifications();

-- The kinds the caller's preferences let through; `general` rides on all_notifications.
create function private.enabled_notification_types()
returns public.notification_type[]
language sql
stable
set search_path = ''
as $$
  select coalesce(array_remove(array[
    case when p.all_notifications then 'general'::public.notification_type end,
    case when p.follow_notifications then 'follow'::public.notification_type end,
    case when p.likes_notifications then 'like'::public.notification_type end,
    case when p.comments_notifications then 'comment'::public.notification_type end,
    case when p.new_events_notifications then 'new_event'::public.notification_type end,
    case when p.event_reminders_notifications then 'event_reminder'::public.notification_type end
  ], null), '{}')
  from public.notification_preferences p
  where p.user_id = auth.uid();
$$;
grant execute on function private.enabled_notification_types() to authenticated, service_role;

create policy "users can read their notifications of the kinds they want" on public.notifications
  for select to authenticated
  using (user_id = (select auth.uid()) and notification_type = any ((select private.enabled_notification_types())::public.notification_type[]));
create policy "active users can mark their notifications read" on public.notifications
  for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()))
  with check (user_id = (select auth.uid()) and (select private.is_active()));
create policy "active users can delete their notifications" on public.notifications
  for delete to authenticated using (user_id = (select auth.uid()) and (select private.is_active()));

create policy "users can read their notification preferences" on public.notification_preferences
  for select to authenticated using (user_id = (select auth.uid()));
create policy "active users can change their notification preferences" on public.notification_preferences
  for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()))
  with check (user_id = (select auth.uid()) and (select private.is_active()));

-- Definer: notifications are written for other users (the one followed, liked, …), never by them.
create function private.notify(
  p_user_id uuid,
  p_type public.notification_type,
  p_message text,
  p_page text default null,
  p_page_item_id bigint default null
)
returns bigint
language sql
security definer
set search_path = ''
as $$
  insert into public.notifications (user_id, notification_type, message, page, page_item_id)
  values (p_user_id, p_type, p_message, p_page, p_page_item_id)
  returning id;
$$;
comment on function private.notify(uuid, public.notification_type, text, text, bigint) is 'Writes one notification; callers are triggers and definer functions.';
revoke execute on function private.notify(uuid, public.notification_type, text, text, bigint) from public, anon, authenticated;

create function public.mark_all_notifications_read()
returns integer
language sql
set search_path = ''
as $$
  with changed as (
    update public.notifications set is_read = true
    where user_id = (select auth.uid()) and not is_read
    returning 1
  )
  select count(*)::integer from changed;
$$;
comment on function public.mark_all_notifications_read() is 'Marks every unread notification of the caller read; returns how many changed.';
grant execute on function public.mark_all_notifications_read() to authenticated;

-- Realtime checks each change against the subscriber's select policy, so muted kinds never arrive.
alter publication supabase_realtime add table public.notifications;
