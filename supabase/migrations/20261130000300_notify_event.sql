-- One way for an event (a follow, like, comment, mention, friend request) to notify a user, keeping
-- three rules in one place: never to yourself, never across a block (either way), and never of a
-- kind the recipient turned off. Preferences map kinds to the existing eight flags: follow and the
-- friend kinds ride on follow_notifications, like on likes_notifications, comment and mention on
-- comments_notifications; all_notifications = false turns everything off (its trigger clears the rest).
-- Objects: functions private.notification_enabled, private.notify_event,
-- private.enabled_notification_types (replaced: the read filter knows the new kinds).

create function private.notification_enabled(p_user_id uuid, p_type public.notification_type)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((
    select case p_type::text
      when 'general' then p.all_notifications
      when 'follow' then p.follow_notifications
      when 'friend_request' then p.follow_notifications
      when 'friend_accepted' then p.follow_notifications
      when 'like' then p.likes_notifications
      when 'comment' then p.comments_notifications
      when 'mention' then p.comments_notifications
      when 'new_event' then p.new_events_notifications
      when 'event_reminder' then p.event_reminders_notifications
      else false
    end
    from public.notification_preferences p
    where p.user_id = p_user_id
  ), false);
$$;
comment on function private.notification_enabled(uuid, public.notification_type) is
  'Whether this user''s preferences let this kind of notification through.';
revoke execute on function private.notification_enabled(uuid, public.notification_type) from public, anon;
grant execute on function private.notification_enabled(uuid, public.notification_type) to authenticated, service_role;

-- Definer: the recipient's preferences and the blocks between the two are not the actor's to read,
-- and the notification is written for another user.
create function private.notify_event(
  p_actor uuid,
  p_recipient uuid,
  p_type public.notification_type,
  p_message text,
  p_page text default null,
  p_page_item_id bigint default null
)
returns bigint
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_actor is not distinct from p_recipient
    or p_recipient is null
    or exists (
      select 1 from public.blocks b
      where (b.blocker_id = p_actor and b.blocked_id = p_recipient)
         or (b.blocker_id = p_recipient and b.blocked_id = p_actor)
    )
    or not private.notification_enabled(p_recipient, p_type)
  then
    return null;
  end if;
  return private.notify(p_recipient, p_type, p_message, p_page, p_page_item_id);
end;
$$;
comment on function private.notify_event(uuid, uuid, public.notification_type, text, text, bigint) is
  'Notifies p_recipient of p_actor''s event unless it is their own, a block stands between them, or their preferences turn the kind off. Returns the notification id, or null when skipped.';
revoke execute on function private.notify_event(uuid, uuid, public.notification_type, text, text, bigint) from public, anon, authenticated;

create or replace function private.enabled_notification_types()
returns public.notification_type[]
language sql
stable
set search_path = ''
as $$
  select coalesce(array_agg(t.kind), '{}')
  from unnest(enum_range(null::public.notification_type)) as t(kind)
  where private.notification_enabled(auth.uid(), t.kind);
$$;
