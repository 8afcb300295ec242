-- Who may read and write tags, post_tags and post_mentions.
-- Tags are readable by everyone and written only by the server. A post's tags and mentions are
-- readable by whoever can read the post (the posts policies decide, inside these policies), and a
-- mention of a user in a block with the reader is invisible to them. Only the post's author, while
-- active, adds links (post_id + tag_id / user_id; the source is 'explicit') or removes explicit ones;
-- text links follow the text and change only by editing it. Nothing is updated in place by clients.
-- Objects: grants and policies on tags, post_tags, post_mentions.

revoke delete on public.tags from anon, authenticated;
create policy "anyone can read tags" on public.tags
  for select to anon using (true);
create policy "users can read tags" on public.tags
  for select to authenticated using (true);

grant insert (post_id, tag_id) on public.post_tags to authenticated;
create policy "anyone can read the tags of posts they can read" on public.post_tags
  for select to anon
  using (exists (select 1 from public.posts p where p.id = post_id));
create policy "users can read the tags of posts they can read" on public.post_tags
  for select to authenticated
  using (exists (select 1 from public.posts p where p.id = post_id));
create policy "active authors can tag their own posts" on public.post_tags
  for insert to authenticated
  with check (
    (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_id and p.created_by = (select auth.uid()))
  );
create policy "active authors can remove explicit tags from their own posts" on public.post_tags
  for delete to authenticated
  using (
    source = 'explicit'
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_id and p.created_by = (select auth.uid()))
  );

grant insert (post_id, user_id) on public.post_mentions to authenticated;
create policy "anyone can read the mentions of posts they can read" on public.post_mentions
  for select to anon
  using (exists (select 1 from public.posts p where p.id = post_id));
create policy "users can read mentions of posts they can read outside their blocks" on public.post_mentions
  for select to authenticated
  using (
    not (user_id = any ((select private.blocked_user_ids())::uuid[]))
    and exists (select 1 from public.posts p where p.id = post_id)
  );
create policy "active authors can mention users in their own posts" on public.post_mentions
  for insert to authenticated
  with check (
    (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_id and p.created_by = (select auth.uid()))
  );
create policy "active authors can remove explicit mentions from their own posts" on public.post_mentions
  for delete to authenticated
  using (
    source = 'explicit'
    and (select private.is_active())
    and exists (select 1 from public.posts p where p.id = post_id and p.created_by = (select auth.uid()))
  );
