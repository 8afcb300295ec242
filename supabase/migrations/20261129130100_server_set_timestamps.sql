-- Server-owned columns are not the client's to write. follows and blocks were insertable as whole
-- rows, so a client could back-date `created_at`; now a client inserts only the two user ids and
-- `created_at` is always the column default (the dashboard, as postgres, keeps every column). Every
-- other accounts table already grants clients only the columns they may edit.
-- Objects: insert privileges of anon and authenticated on public.follows and public.blocks.

revoke insert on public.follows from anon, authenticated;
grant insert (follower_id, followed_id) on public.follows to authenticated;

revoke insert on public.blocks from anon, authenticated;
grant insert (blocker_id, blocked_id) on public.blocks to authenticated;
