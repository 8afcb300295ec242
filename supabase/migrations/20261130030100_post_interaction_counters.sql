-- Post counters: posts.like_count, comment_count and view_count follow their rows (post_likes,
-- comments, post_views) through every door, the dashboard included. Each row change moves its
-- counter by one in the same transaction with `update … set n = n + 1`, which takes the post's row
-- lock, so concurrent likes, unlikes and comments serialise on the post and the counter stays equal
-- to the rows. A direct write of a counter (an admin as postgres; clients have no grant) is refused
-- unless it sets the true count, so a recount after a bulk load is still possible.
-- Objects: functions private.count_post_interaction, private.refuse_counter_drift; triggers on
-- post_likes, comments, post_views and posts.

-- Definer: the liker, commenter or viewer has no update privilege on posts' counters, and the post's
-- row may be hidden from them by then (e.g. a block after the like, when they unlike).
create function private.count_post_interaction()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_column text := tg_argv[0];
begin
  if tg_op in ('DELETE', 'UPDATE') then
    execute format('update public.posts set %1$I = %1$I - 1 where id = $1', v_column) using old.post_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    execute format('update public.posts set %1$I = %1$I + 1 where id = $1', v_column) using new.post_id;
  end if;
  return null;
end;
$$;
comment on function private.count_post_interaction() is
  'Moves the posts counter named by the trigger argument (like_count, comment_count, view_count) by one per row inserted or deleted.';
revoke execute on function private.count_post_interaction() from public, anon, authenticated;

create trigger post_likes_count after insert or delete or update of post_id on public.post_likes
  for each row execute function private.count_post_interaction('like_count');
create trigger comments_count after insert or delete or update of post_id on public.comments
  for each row execute function private.count_post_interaction('comment_count');
create trigger post_views_count after insert or delete or update of post_id on public.post_views
  for each row execute function private.count_post_interaction('view_count');

-- Definer: the recount must see every row of the post, including rows the writer's RLS would hide.
-- Updates made by the counting trigger above (trigger depth > 1) pass without a recount.
create function private.refuse_counter_drift()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if pg_trigger_depth() > 1 then
    return new;
  end if;
  if new.like_count is distinct from old.like_count
     and new.like_count <> (select count(*) from public.post_likes l where l.post_id = new.id) then
    raise exception 'like_count is kept by the server: it must equal the post''s likes.' using errcode = '42501';
  end if;
  if new.comment_count is distinct from old.comment_count
     and new.comment_count <> (select count(*) from public.comments c where c.post_id = new.id) then
    raise exception 'comment_count is kept by the server: it must equal the post''s comments.' using errcode = '42501';
  end if;
  if new.view_count is distinct from old.view_count
     and new.view_count <> (select count(*) from public.post_views v where v.post_id = new.id) then
    raise exception 'view_count is kept by the server: it must equal the post''s views.' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.refuse_counter_drift() is
  'Refuses a direct change of a post counter unless it sets the true count; the counting triggers pass.';
revoke execute on function private.refuse_counter_drift() from public, anon, authenticated;

create trigger posts_refuse_counter_drift before update of like_count, comment_count, view_count on public.posts
  for each row execute function private.refuse_counter_drift();
