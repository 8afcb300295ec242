-- Comment RPCs with 000's shapes and messages: list_post_comments (the page envelope, page_size
-- default 10, max 30), add_comment, delete_comment (404 "Comment not found or you don't have
-- permission to delete it." for another user's comment or a missing one). Security invoker: the
-- comments and profiles policies decide what is listed and written (comments of users in a block
-- with the caller, and of inactive accounts, are left out).
-- A comment is 1–2000 characters after trimming white space (any kind: the table's own check trims
-- spaces only, so a constraint added here refuses a comment of tabs or newlines through every door);
-- the RPC stores it trimmed.
-- Objects: constraint comments_comment_not_blank; functions private.comment_json,
-- public.list_post_comments, public.add_comment, public.delete_comment.

alter table public.comments
  add constraint comments_comment_not_blank check (comment ~ '[^[:space:]]');

-- Invoker: shapes a row only.
create function private.comment_json(p_comment public.comments, p_username text, p_profile_pic text)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_comment.id,
    'post', p_comment.post_id,
    'comment', p_comment.comment,
    'created_by', jsonb_build_object(
      'id', p_comment.created_by,
      'user', jsonb_build_object('username', p_username, 'profile_pic', p_profile_pic)
    ),
    'created_at', p_comment.created_at
  );
$$;
comment on function private.comment_json(public.comments, text, text) is
  '000''s comment shape: {id, post, comment, created_by: {id, user: {username, profile_pic}}, created_at}.';
revoke execute on function private.comment_json(public.comments, text, text) from public;
grant execute on function private.comment_json(public.comments, text, text) to anon, authenticated, service_role;

create function public.list_post_comments(p_post_id bigint, p_page integer default 1, p_page_size integer default 10)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_page_size integer := private.page_size_within(p_page, p_page_size, 30);
  v_count bigint;
  v_results jsonb;
begin
  perform private.require_readable_post(p_post_id);
  select count(*) into v_count
  from public.comments c join public.profiles pr on pr.id = c.created_by
  where c.post_id = p_post_id;
  select coalesce(jsonb_agg(private.comment_json(page.c, page.username, page.profile_pic)
      order by (page.c).created_at desc, (page.c).id desc), '[]')
  into v_results
  from (
    select c, pr.username::text as username, pr.profile_pic
    from public.comments c join public.profiles pr on pr.id = c.created_by
    where c.post_id = p_post_id
    order by c.created_at desc, c.id desc
    limit v_page_size offset (p_page - 1) * v_page_size
  ) page;
  return private.page_envelope(v_count, p_page, v_page_size, v_results);
end;
$$;
comment on function public.list_post_comments(bigint, integer, integer) is
  'A post''s comments, newest first, as the page envelope (page_size default 10, max 30) in 000''s comment shape; 404 "Not found." when the caller cannot read the post.';
grant execute on function public.list_post_comments(bigint, integer, integer) to anon, authenticated;

create function public.add_comment(p_post_id bigint, p_comment text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user uuid := private.require_active_caller();
  v_text text := regexp_replace(p_comment, '^[[:space:]]+|[[:space:]]+$', '', 'g');
  v_row public.comments;
begin
  perform private.require_readable_post(p_post_id);
  if p_comment is null then
    perform private.raise_field_errors('{"comment": ["This field is required."]}');
  elsif v_text = '' then
    perform private.raise_field_errors('{"comment": ["This field may not be blank."]}');
  elsif char_length(v_text) > 2000 then
    perform private.raise_field_errors('{"comment": ["Ensure this field has no more than 2000 characters."]}');
  end if;
  insert into public.comments (post_id, comment) values (p_post_id, v_text) returning * into v_row;
  return private.comment_json(
    v_row,
    (select pr.username::text from public.profiles pr where pr.id = v_user),
    (select pr.profile_pic from public.profiles pr where pr.id = v_user)
  );
end;
$$;
comment on function public.add_comment(bigint, text) is
  'Comments on a post the caller can read; returns the comment in 000''s shape. 1–2000 characters after trimming.';
grant execute on function public.add_comment(bigint, text) to authenticated;

create function public.delete_comment(p_comment_id bigint)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform private.require_active_caller();
  delete from public.comments where id = p_comment_id and created_by = (select auth.uid());
  if not found then
    raise exception 'Comment not found or you don''t have permission to delete it.' using errcode = 'PT404';
  end if;
end;
$$;
comment on function public.delete_comment(bigint) is
  'Deletes one of the caller''s comments; 404 "Comment not found or you don''t have permission to delete it." for anyone else''s or a missing one.';
grant execute on function public.delete_comment(bigint) to authenticated;
