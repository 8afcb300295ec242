-- Like and comment notifications: a new like or comment tells the post's author, through
-- private.notify_event (never to yourself, never across a block, only when the author's preferences
-- let likes / comments through). Triggers, so a raw REST insert notifies exactly as the RPCs do.
-- Objects: functions private.notify_post_like, private.notify_post_comment; their triggers.

-- Definer: the post's author and the actor's username may be hidden from the inserting role, and the
-- notification is written for another user.
create function private.notify_post_like()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify_event(
    new.user_id,
    p.created_by,
    'like',
    format('%s liked your post.', coalesce((select pr.username::text from public.profiles pr where pr.id = new.user_id), 'Someone')),
    'post',
    new.post_id
  )
  from public.posts p
  where p.id = new.post_id;
  return null;
end;
$$;
comment on function private.notify_post_like() is 'Tells a post''s author that someone liked it (via private.notify_event).';
revoke execute on function private.notify_post_like() from public, anon, authenticated;
create trigger post_likes_notify after insert on public.post_likes
  for each row execute function private.notify_post_like();

-- Definer: as above.
create function private.notify_post_comment()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.notify_event(
    new.created_by,
    p.created_by,
    'comment',
    format('%s commented on your post.', coalesce((select pr.username::text from public.profiles pr where pr.id = new.created_by), 'Someone')),
    'post',
    new.post_id
  )
  from public.posts p
  where p.id = new.post_id;
  return null;
end;
$$;
comment on function private.notify_post_comment() is 'Tells a post''s author that someone commented on it (via private.notify_event).';
revoke execute on function private.notify_post_comment() from public, anon, authenticated;
create trigger comments_notify after insert on public.comments
  for each row execute function private.notify_post_comment();
