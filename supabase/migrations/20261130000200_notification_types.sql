-- The notification kinds the social graph and content add: a mention, a friend request and its
-- acceptance. Their own file: a new enum value cannot be used in the transaction that adds it.
-- Objects: type notification_type (three values added).

alter type public.notification_type add value if not exists 'mention';
alter type public.notification_type add value if not exists 'friend_request';
alter type public.notification_type add value if not exists 'friend_accepted';
