-- Notification list extras (003): the list filters by type and by unread, and answers with the
-- caller's unread_count; a user deletes one notification (the existing delete policy). An index per
-- filter keeps the count and the filtered pages on the user's own rows.
-- Objects: indexes notifications_user_id_unread_idx, notifications_user_id_type_created_at_idx.

create index notifications_user_id_unread_idx on public.notifications (user_id) where not is_read;
create index notifications_user_id_type_created_at_idx on public.notifications (user_id, notification_type, created_at desc);
