-- Demo data that `npm start` (on a new database), `npm run db:reset` and `supabase db reset` load.
-- Users are stored exactly as Supabase Auth stores them, so they sign in with their passwords:
--   alice@marquee.test / Marquee-demo-1   bob@marquee.test / Marquee-demo-2   admin@marquee.test / Marquee-demo-admin1
-- The passwords meet the password policy, and the hashes are bcrypt at cost 10 as Auth writes them
-- ($2a$10$), so a demo user's sign-in costs what anyone else's does.
-- Demo content follows the users: posts, a YouTube short, a follow, a like, a comment, a forum thread.
-- A live party joins this file with the issue that creates its tables.

insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select
  '00000000-0000-0000-0000-000000000000', demo.id, 'authenticated', 'authenticated', demo.email,
  extensions.crypt(demo.password, extensions.gen_salt('bf', 10)), now(),
  '{"provider": "email", "providers": ["email"]}', jsonb_build_object('username', demo.username),
  now(), now(), '', '', '', ''
from (values
  ('a11ce000-0000-4000-8000-000000000001'::uuid, 'alice@marquee.test', 'Marquee-demo-1', 'alice'),
  ('b0b00000-0000-4000-8000-000000000002'::uuid, 'bob@marquee.test', 'Marquee-demo-2', 'bob'),
  ('ad000000-0000-4000-8000-000000000003'::uuid, 'admin@marquee.test', 'Marquee-demo-admin1', 'admin')
) as demo(id, email, password, username);

insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id, jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true), 'email', now(), now(), now()
from auth.users u
where u.email like '%@marquee.test';

-- The signup trigger gave each demo user a profile and the visitor role; admin@ administers, alice creates.
update public.user_roles set role = 'admin' where user_id = 'ad000000-0000-4000-8000-000000000003';
update public.user_roles set role = 'creator' where user_id = 'a11ce000-0000-4000-8000-000000000001';
update public.profiles set first_name = 'Alice', last_name = 'Archer' where id = 'a11ce000-0000-4000-8000-000000000001';
update public.profiles set first_name = 'Bob', last_name = 'Baker' where id = 'b0b00000-0000-4000-8000-000000000002';

-- Demo content. Written as postgres, so the triggers do what they do for any door: counters, tags and
-- mentions parsed from the text, notifications.
insert into public.posts (created_by, post_type, post_title, post_description, youtube_id)
values
  ('a11ce000-0000-4000-8000-000000000001', 'post', 'Welcome to Marquee', 'The first post of the demo. #welcome', null),
  ('a11ce000-0000-4000-8000-000000000001', 'youtube_reel', 'A short from YouTube', 'Demo short #welcome', 'dQw4w9WgXcQ'),
  ('b0b00000-0000-4000-8000-000000000002', 'post', 'Hello from Bob', 'Thanks for the welcome, @alice! #hello', null);
insert into public.follows (follower_id, followed_id)
values ('b0b00000-0000-4000-8000-000000000002', 'a11ce000-0000-4000-8000-000000000001');
insert into public.post_likes (post_id, user_id)
select p.id, 'b0b00000-0000-4000-8000-000000000002' from public.posts p where p.post_title = 'Welcome to Marquee';
insert into public.comments (post_id, created_by, comment)
select p.id, 'b0b00000-0000-4000-8000-000000000002', 'Glad to be here.' from public.posts p where p.post_title = 'Welcome to Marquee';
insert into public.forum_posts (created_by, content)
values ('a11ce000-0000-4000-8000-000000000001', 'What are you watching this week?');
insert into public.forum_replies (post_id, created_by, content)
select f.id, 'b0b00000-0000-4000-8000-000000000002', 'A documentary about bees.' from public.forum_posts f
where f.content = 'What are you watching this week?';
