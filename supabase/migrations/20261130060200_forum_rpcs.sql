-- The forum's API (001), as RPCs that run as the caller (the tables' policies decide): the feed of
-- 10 posts older than last_post_id, creating a post, replying (answering the whole reply list) and
-- the like toggle (answering {likes, isliked}). Messages are 001's own: "Access token is required"
-- (401 for anon), "Content is required", "Postid is required", "Reply content is required",
-- "Post not found" (404).
-- Objects: functions private.forum_hidden_like_count, private.forum_reply_list,
-- private.forum_post_item, public.forum_feed, public.create_forum_post, public.forum_reply,
-- public.forum_toggle_like.

-- Definer: the likes of users in a block with the caller are hidden from the caller by RLS, yet the
-- count shown must leave exactly those out of the trigger-kept total.
create function private.forum_hidden_like_count(p_post_id bigint)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select count(*)::integer from public.forum_likes l
  where l.post_id = p_post_id and l.user_id = any (private.blocked_user_ids());
$$;
comment on function private.forum_hidden_like_count(bigint) is
  'How many likes of a forum post come from users in a block with the caller (left out of the likes shown).';
revoke execute on function private.forum_hidden_like_count(bigint) from public, anon;
grant execute on function private.forum_hidden_like_count(bigint) to authenticated, service_role;

create function private.forum_reply_list(p_post_id bigint)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
      'reply_id', r.id,
      'user_id', r.created_by,
      'username', pr.username::text,
      'content', r.content,
      'created_at', r.created_at
    ) order by r.id), '[]'::jsonb)
  from public.forum_replies r
  left join public.profiles pr on pr.id = r.created_by
  where r.post_id = p_post_id;
$$;
comment on function private.forum_reply_list(bigint) is
  'The replies of a forum post the caller may read, oldest first, in 001''s shape (reply_id, username, content) plus user_id and created_at.';
revoke execute on function private.forum_reply_list(bigint) from public, anon;
grant execute on function private.forum_reply_list(bigint) to authenticated, service_role;

create function private.forum_post_item(p_post public.forum_posts)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'postid', p_post.id,
    'user_id', p_post.created_by,
    'username', (select pr.username::text from public.profiles pr where pr.id = p_post.created_by),
    'profile_pic', (select pr.profile_pic from public.profiles pr where pr.id = p_post.created_by),
    'content', p_post.content,
    'created_at', p_post.created_at,
    'picture_count', p_post.picture_count,
    'picture_names', to_jsonb(p_post.picture_names),
    'likes', p_post.like_count - private.forum_hidden_like_count(p_post.id),
    'replies', jsonb_array_length(replies.list),
    'reply_content', replies.list,
    'isliked', exists (select 1 from public.forum_likes l where l.post_id = p_post.id and l.user_id = (select auth.uid()))
  )
  from (select private.forum_reply_list(p_post.id) as list) replies;
$$;
comment on function private.forum_post_item(public.forum_posts) is
  'A forum post in 001''s item shape, as the caller sees it: likes leave out users in a block with the caller; replies counts the replies listed.';
revoke execute on function private.forum_post_item(public.forum_posts) from public, anon;
grant execute on function private.forum_post_item(public.forum_posts) to authenticated, service_role;

create function public.forum_feed(p_last_post_id bigint default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_blocked uuid[];
begin
  if (select auth.uid()) is null then
    raise exception 'Access token is required' using errcode = '42501';
  end if;
  v_blocked := private.blocked_user_ids();
  -- Everyone's feed (admins' too) leaves out suspended authors and both sides of a block; the
  -- table's policy also lets admins read those rows directly.
  return jsonb_build_object('posts', coalesce((
    select jsonb_agg(private.forum_post_item(p) order by p.id desc)
    from (
      select * from public.forum_posts fp
      where (p_last_post_id is null or fp.id < p_last_post_id)
        and fp.author_active
        and not (fp.created_by = any (v_blocked))
      order by fp.id desc
      limit 10
    ) p
  ), '[]'::jsonb));
end;
$$;
comment on function public.forum_feed(bigint) is
  '001''s forum feed: {posts: [...]}, the 10 posts older than p_last_post_id (the latest 10 when null), newest first. Signed-in only.';
revoke execute on function public.forum_feed(bigint) from public;
grant execute on function public.forum_feed(bigint) to anon, authenticated, service_role;

create function public.create_forum_post(p_content text default null, p_picture_names text[] default '{}')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_post public.forum_posts;
begin
  if (select auth.uid()) is null then
    raise exception 'Access token is required' using errcode = '42501';
  end if;
  if p_content is null or btrim(p_content) = '' then
    raise exception 'Content is required' using errcode = '22023';
  end if;
  if char_length(p_content) > 5000 then
    raise exception 'Content must be at most 5000 characters.' using errcode = '22023';
  end if;
  if not private.is_active() then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  insert into public.forum_posts (content, picture_names)
  values (p_content, coalesce(p_picture_names, '{}'))
  returning * into v_post;
  return jsonb_build_object('postid', v_post.id, 'created_at', v_post.created_at);
end;
$$;
comment on function public.create_forum_post(text, text[]) is
  'Creates a forum post as the caller: {postid, created_at}. Pictures must be the caller''s checked uploads.';
revoke execute on function public.create_forum_post(text, text[]) from public;
grant execute on function public.create_forum_post(text, text[]) to anon, authenticated, service_role;

-- The post as the caller may see it, or 404 "Post not found"; 403 when the caller may not write or a
-- block stands between them and the author (an admin reads across blocks but does not interact).
create function private.forum_post_to_interact(p_post_id bigint)
returns public.forum_posts
language plpgsql
stable
set search_path = ''
as $$
declare
  v_post public.forum_posts;
begin
  if (select auth.uid()) is null then
    raise exception 'Access token is required' using errcode = '42501';
  end if;
  if p_post_id is null then
    raise exception 'Postid is required' using errcode = '22023';
  end if;
  select * into v_post from public.forum_posts where id = p_post_id;
  if not found then
    raise exception 'Post not found' using errcode = 'PT404';
  end if;
  if not private.is_active() or v_post.created_by = any (private.blocked_user_ids()) or not v_post.author_active then
    raise exception 'You do not have permission to perform this action.' using errcode = '42501';
  end if;
  return v_post;
end;
$$;
comment on function private.forum_post_to_interact(bigint) is
  'The forum post the caller may reply to or like, or the error to answer (401, 400 "Postid is required", 404 "Post not found", 403).';
revoke execute on function private.forum_post_to_interact(bigint) from public, anon;
grant execute on function private.forum_post_to_interact(bigint) to authenticated, service_role;

create function public.forum_reply(p_post_id bigint default null, p_reply_content text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'Access token is required' using errcode = '42501';
  end if;
  if p_post_id is null then
    raise exception 'Postid is required' using errcode = '22023';
  end if;
  if p_reply_content is null or btrim(p_reply_content) = '' then
    raise exception 'Reply content is required' using errcode = '22023';
  end if;
  if char_length(p_reply_content) > 2000 then
    raise exception 'Reply content must be at most 2000 characters.' using errcode = '22023';
  end if;
  perform private.forum_post_to_interact(p_post_id);
  insert into public.forum_replies (post_id, content) values (p_post_id, p_reply_content);
  return jsonb_build_object('replies', private.forum_reply_list(p_post_id));
end;
$$;
comment on function public.forum_reply(bigint, text) is
  'Replies to a forum post as the caller and answers 001''s {replies: [...]}: every reply the caller may read, oldest first.';
revoke execute on function public.forum_reply(bigint, text) from public;
grant execute on function public.forum_reply(bigint, text) to anon, authenticated, service_role;

create function public.forum_toggle_like(p_post_id bigint)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_liked boolean;
begin
  if (select auth.uid()) is null then
    raise exception 'Access token is required' using errcode = '42501';
  end if;
  perform private.forum_post_to_interact(p_post_id);
  delete from public.forum_likes where post_id = p_post_id and user_id = (select auth.uid());
  v_liked := not found;
  if v_liked then
    -- A concurrent toggle by the same user may have liked it first: the like stands either way.
    insert into public.forum_likes (post_id) values (p_post_id) on conflict do nothing;
  end if;
  return jsonb_build_object(
    'likes', (select p.like_count from public.forum_posts p where p.id = p_post_id) - private.forum_hidden_like_count(p_post_id),
    'isliked', v_liked
  );
end;
$$;
comment on function public.forum_toggle_like(bigint) is
  'Likes a forum post, or takes the like back, as the caller: 001''s {likes, isliked}.';
revoke execute on function public.forum_toggle_like(bigint) from public;
grant execute on function public.forum_toggle_like(bigint) to anon, authenticated, service_role;
