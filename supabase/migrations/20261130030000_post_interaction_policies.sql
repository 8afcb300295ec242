-- Post interactions, who may do what: the policies and column grants of post_likes, post_hides,
-- post_reports, comments and post_views. The posts select policy decides what a caller can touch:
-- every write and every read of an interaction requires `exists (select 1 from public.posts …)` as
-- the caller, so a post that is private, of an inactive author, or across a block (either way) can
-- be neither liked, hidden, reported, commented on nor viewed. Blocked users' likes and comments are
-- invisible both ways; hides, reports and views are private to their owner (admins read reports and
-- views). Suspended, banned and deactivated accounts write nothing. Nobody updates an interaction.
-- Objects: column grants and policies on post_likes, post_hides, post_reports, comments, post_views.

-- Column privileges: a client names the post (and the report's reason and description, the comment's
-- text); the owner column comes from its auth.uid() default, so a forged user_id is refused outright.
grant insert (post_id) on public.post_likes to authenticated;
grant insert (post_id) on public.post_hides to authenticated;
grant insert (post_id, reason, description) on public.post_reports to authenticated;
grant insert (post_id, comment) on public.comments to authenticated;
grant insert (post_id) on public.post_views to authenticated;

-- post_likes ---------------------------------------------------------------------------------------
create policy "anyone can read likes on posts they can read" on public.post_likes
  for select to anon
  using (exists (select 1 from public.posts p where p.id = post_likes.post_id));
create policy "users can read likes on posts they can read, except likes of users in a block with them" on public.post_likes
  for select to authenticated
  using (
    exists (select 1 from public.posts p where p.id = post_likes.post_id)
    and not (user_id = any ((select private.blocked_user_ids())::uuid[]))
  );
create policy "active users can like posts they can read" on public.post_likes
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_likes.post_id)
  );
create policy "active users can remove their own likes" on public.post_likes
  for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()));

-- post_hides ---------------------------------------------------------------------------------------
create policy "users can read the posts they hid" on public.post_hides
  for select to authenticated
  using (user_id = (select auth.uid()));
create policy "active users can hide posts they can read" on public.post_hides
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_hides.post_id)
  );
create policy "active users can unhide their hidden posts" on public.post_hides
  for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()));

-- post_reports -------------------------------------------------------------------------------------
create policy "users can read their own reports and admins every report" on public.post_reports
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_admin()));
create policy "active users can report posts they can read" on public.post_reports
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_reports.post_id)
  );
create policy "active users can withdraw their own reports" on public.post_reports
  for delete to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()));

-- comments -----------------------------------------------------------------------------------------
create policy "anyone can read comments on posts they can read" on public.comments
  for select to anon
  using (exists (select 1 from public.posts p where p.id = comments.post_id));
create policy "users can read comments on posts they can read, except comments of users in a block with them" on public.comments
  for select to authenticated
  using (
    exists (select 1 from public.posts p where p.id = comments.post_id)
    and (not (created_by = any ((select private.blocked_user_ids())::uuid[])) or (select private.is_admin()))
  );
create policy "active users can comment on posts they can read" on public.comments
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = comments.post_id)
  );
create policy "active users can delete their own comments and admins any comment" on public.comments
  for delete to authenticated
  using ((created_by = (select auth.uid()) and (select private.is_active())) or (select private.is_admin()));

-- post_views ---------------------------------------------------------------------------------------
create policy "users can read their own views and admins every view" on public.post_views
  for select to authenticated
  using (viewer_id = (select auth.uid()) or (select private.is_admin()));
create policy "active users can record views of posts they can read" on public.post_views
  for insert to authenticated
  with check (
    viewer_id = (select auth.uid())
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_views.post_id)
  );
