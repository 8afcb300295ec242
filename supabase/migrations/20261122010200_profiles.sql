-- Profiles: the public face of an account (`profiles`), its private details (`personal_details`, a
-- sensitive table that needs aal2 once MFA is on), the viewer-aware `public_profiles` view, the
-- `avatars` bucket, and deactivation.
-- Objects: tables profiles, personal_details; view public_profiles; bucket avatars and its policies;
-- functions private.touch_updated_at, private.is_active (replaced), public.update_own_profile,
-- public.deactivate_account.

create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username extensions.citext not null unique
    constraint profiles_username_format check (username::text ~ '^[A-Za-z0-9_.]{3,50}$'),
  first_name text not null default '' constraint profiles_first_name_length check (char_length(first_name) <= 50),
  last_name text not null default '' constraint profiles_last_name_length check (char_length(last_name) <= 50),
  profile_pic text constraint profiles_profile_pic_path check (profile_pic is null or (char_length(profile_pic) <= 300 and profile_pic !~ '\.\.')),
  user_type text not null default 'regular',
  user_social_fb text not null default '' constraint profiles_social_fb_length check (char_length(user_social_fb) <= 200),
  user_social_twt text not null default '' constraint profiles_social_twt_length check (char_length(user_social_twt) <= 200),
  user_social_yt text not null default '' constraint profiles_social_yt_length check (char_length(user_social_yt) <= 200),
  status public.account_status not null default 'active',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'One per auth user, created by the signup trigger. Users edit their names, picture and social links; status and username are not theirs to change.';
create index profiles_status_idx on public.profiles (status);
alter table public.profiles enable row level security;

-- Column privileges are the guard: a user can edit these fields and nothing else.
revoke insert, update, delete, truncate on public.profiles from anon, authenticated;
grant update (first_name, last_name, profile_pic, user_social_fb, user_social_twt, user_social_yt)
  on public.profiles to authenticated;

create table public.personal_details (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  birthday date not null default '2000-01-01',
  user_phone text not null default '' constraint personal_details_phone_format check (user_phone = '' or user_phone ~ '^\+[1-9][0-9]{6,14}$'),
  user_address text not null default '' constraint personal_details_address_length check (char_length(user_address) <= 300)
);
comment on table public.personal_details is
  'Private account details, owner only. Sensitive: once the owner has a verified MFA factor, reading or changing them needs an aal2 session.';
alter table public.personal_details enable row level security;
revoke insert, update, delete, truncate on public.personal_details from anon, authenticated;
grant update (user_phone, user_address) on public.personal_details to authenticated;

create function private.touch_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
create trigger profiles_touch_updated_at before update on public.profiles
  for each row execute function private.touch_updated_at();
create trigger user_roles_touch_updated_at before update on public.user_roles
  for each row execute function private.touch_updated_at();

-- Now that profiles exist, "active" also means the account is active right now, so an admin's
-- suspension stops writes at once instead of at the user's next refresh. One primary-key lookup per
-- statement: policies call it as `(select private.is_active())`.
create or replace function private.is_active()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(auth.jwt() ->> 'account_status', '') = 'active'
    and exists (select 1 from public.profiles p where p.id = auth.uid() and p.status = 'active');
$$;

create policy "anyone can read active profiles" on public.profiles
  for select to anon using (status = 'active');
create policy "users can read their own, active and unblocked profiles" on public.profiles
  for select to authenticated
  using (
    id = (select auth.uid())
    or (select private.has_role('admin'))
    or (status = 'active' and not (id = any ((select private.blocked_user_ids())::uuid[])))
  );
create policy "active users can edit their own profile" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()) and (select private.is_active()))
  with check (id = (select auth.uid()) and (select private.is_active()));

create policy "users can read their own details" on public.personal_details
  for select to authenticated using (user_id = (select auth.uid()));
create policy "active users can edit their own details" on public.personal_details
  for update to authenticated
  using (user_id = (select auth.uid()) and (select private.is_active()))
  with check (user_id = (select auth.uid()) and (select private.is_active()));
create policy "details need aal2 once mfa is on (read)" on public.personal_details
  as restrictive for select to authenticated using ((select private.has_required_aal()));
create policy "details need aal2 once mfa is on (edit)" on public.personal_details
  as restrictive for update to authenticated
  using ((select private.has_required_aal())) with check ((select private.has_required_aal()));

-- The profile as a viewer sees it: the reference's fields plus followed_by_user / blocked_by_user.
create view public.public_profiles
with (security_invoker = true)
as
select
  p.id,
  p.username::text as username,
  p.first_name,
  p.last_name,
  p.profile_pic,
  p.user_type,
  p.user_social_fb,
  p.user_social_twt,
  p.user_social_yt,
  p.status,
  coalesce(r.role, 'visitor') as user_group,
  p.created_at,
  exists (select 1 from public.follows f where f.follower_id = (select auth.uid()) and f.followed_id = p.id) as followed_by_user,
  exists (select 1 from public.blocks b where b.blocker_id = (select auth.uid()) and b.blocked_id = p.id) as blocked_by_user
from public.profiles p
left join public.user_roles r on r.user_id = p.id;
comment on view public.public_profiles is 'Profiles as the caller may see them (RLS of profiles applies), with their role and the caller''s follow and block state.';
revoke insert, update, delete, truncate on public.public_profiles from anon, authenticated;

-- Avatars: public to read, each user writes only under their own folder.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values ('avatars', 'avatars', true, 5242880, array['image/png', 'image/jpeg', 'image/webp', 'image/gif'])
on conflict (id) do nothing;

create policy "active users can upload their own avatars" on storage.objects
  for insert to authenticated
  with check (
    bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text and (select private.is_active())
  );
create policy "active users can replace their own avatars" on storage.objects
  for update to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text and (select private.is_active()))
  with check (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);
create policy "active users can remove their own avatars" on storage.objects
  for delete to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text and (select private.is_active()));
create policy "users can list their own avatars" on storage.objects
  for select to authenticated
  using (bucket_id = 'avatars' and (storage.foldername(name))[1] = (select auth.uid())::text);

-- One edit of the reference's profile fields, which live in two tables, as one transaction. Invoker:
-- the policies and column privileges above decide, exactly as for a direct update.
create function public.update_own_profile(p_changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
  v_unknown text[];
  v_profile public.profiles;
  v_details public.personal_details;
begin
  if jsonb_typeof(p_changes) is distinct from 'object' then
    raise exception 'Expected an object of profile fields.' using errcode = '22023';
  end if;
  select array_agg(k) into v_unknown from jsonb_object_keys(p_changes) k
  where k not in ('first_name', 'last_name', 'profile_pic', 'user_social_fb', 'user_social_twt', 'user_social_yt',
                  'user_phone', 'user_address');
  if v_unknown is not null then
    raise exception 'These fields cannot be changed: %.', array_to_string(v_unknown, ', ') using errcode = '42501';
  end if;

  if p_changes ?| array['user_phone', 'user_address'] then
    update public.personal_details d set
      user_phone = case when p_changes ? 'user_phone' then coalesce(p_changes ->> 'user_phone', '') else d.user_phone end,
      user_address = case when p_changes ? 'user_address' then coalesce(p_changes ->> 'user_address', '') else d.user_address end
    where d.user_id = v_user_id
    returning * into v_details;
    if not found then
      raise exception 'You do not have permission to perform this action.' using errcode = '42501';
    end if;
  else
    select * into v_details from public.personal_details d where d.user_id = v_user_id;
  end if;

  if p_changes ?| array['first_name', 'last_name', 'profile_pic', 'user_social_fb', 'user_social_twt', 'user_social_yt'] then
    update public.profiles p set
      first_name = case when p_changes ? 'first_name' then coalesce(p_changes ->> 'first_name', '') else p.first_name end,
      last_name = case when p_changes ? 'last_name' then coalesce(p_changes ->> 'last_name', '') else p.last_name end,
      profile_pic = case when p_changes ? 'profile_pic' then p_changes ->> 'profile_pic' else p.profile_pic end,
      user_social_fb = case when p_changes ? 'user_social_fb' then coalesce(p_changes ->> 'user_social_fb', '') else p.user_social_fb end,
      user_social_twt = case when p_changes ? 'user_social_twt' then coalesce(p_changes ->> 'user_social_twt', '') else p.user_social_twt end,
      user_social_yt = case when p_changes ? 'user_social_yt' then coalesce(p_changes ->> 'user_social_yt', '') else p.user_social_yt end
    where p.id = v_user_id
    returning * into v_profile;
    if not found then
      raise exception 'You do not have permission to perform this action.' using errcode = '42501';
    end if;
  else
    select * into v_profile from public.profiles p where p.id = v_user_id;
  end if;

  return jsonb_build_object(
    'userId', v_user_id,
    'first_name', v_profile.first_name,
    'last_name', v_profile.last_name,
    'profile_pic', v_profile.profile_pic,
    -- '' when the details are not readable (aal1 once MFA is on), as the SDK's me() shows them.
    'user_phone', coalesce(v_details.user_phone, ''),
    'user_address', coalesce(v_details.user_address, ''),
    'user_social_fb', v_profile.user_social_fb,
    'user_social_twt', v_profile.user_social_twt,
    'user_social_yt', v_profile.user_social_yt
  );
end;
$$;
comment on function public.update_own_profile(jsonb) is
  'Changes the caller''s editable profile fields (profiles and personal_details) in one transaction; answers the reference''s update shape.';
grant execute on function public.update_own_profile(jsonb) to authenticated;

-- Definer: the status column is not the user's to write; this is the one way they may change it.
create function public.deactivate_account()
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid := auth.uid();
begin
  update public.profiles set status = 'deactivated' where id = v_user_id and status = 'active';
  if not found then
    raise exception 'User inactive or deleted.' using errcode = 'P0001';
  end if;
  return jsonb_build_object('detail', 'Profile deactivated successfully');
end;
$$;
comment on function public.deactivate_account() is 'Deactivates the caller''s account: they can no longer sign in or refresh.';
revoke execute on function public.deactivate_account() from public, anon;
grant execute on function public.deactivate_account() to authenticated;
