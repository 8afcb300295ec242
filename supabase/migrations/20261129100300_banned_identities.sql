-- A banned identity cannot simply come back (issue 7, item 1).
-- When an account is banned, its normalised email, phone numbers and username are recorded in
-- private.banned_identities; they stay there after the account is deleted. Signing up again with any
-- of them is refused: by Auth's before_user_created hook (config.toml [auth.hook.before_user_created];
-- the register function, supabase.auth.signUp with email or phone, OTP and magic-link sign-ups,
-- invites) and, for the doors that skip the hook (the admin API's createUser, inserts as postgres), by
-- triggers on auth.users and on profiles.username. Unbanning the account deletes its record (the
-- identity is theirs again); a record whose account was deleted is lifted only by deleting it as
-- postgres. Normalised: emails lower-cased with any +tag removed from the local part, phones as their
-- digits, usernames lower-cased.
-- Objects: table private.banned_identities; functions private.normalized_email,
-- private.normalized_phone, private.is_banned_identity, private.record_banned_identities,
-- private.refuse_banned_user, private.refuse_banned_username, private.before_user_created_hook;
-- triggers profiles_record_banned_identities, auth_users_refuse_banned_identity,
-- profiles_refuse_banned_username.

create table private.banned_identities (
  kind text not null constraint banned_identities_kind check (kind in ('email', 'phone', 'username')),
  value text not null constraint banned_identities_value check (value <> ''),
  user_id uuid not null,
  banned_at timestamptz not null default now(),
  primary key (kind, value)
);
comment on table private.banned_identities is
  'Emails, phones and usernames of banned accounts (normalised), refused at sign-up. user_id is the banned account (no foreign key: the record outlives it).';
create index banned_identities_user_id_idx on private.banned_identities (user_id);
alter table private.banned_identities enable row level security;
revoke all on private.banned_identities from public, anon, authenticated, service_role;

create function private.normalized_email(p_email text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when nullif(btrim(p_email), '') is null then null
    when position('@' in p_email) = 0 then lower(btrim(p_email))
    else regexp_replace(split_part(lower(btrim(p_email)), '@', 1), '\+.*$', '')
      || '@' || substr(lower(btrim(p_email)), position('@' in lower(btrim(p_email))) + 1)
  end;
$$;
comment on function private.normalized_email(text) is 'An email as bans compare it: lower case, without a +tag in the local part.';

create function private.normalized_phone(p_phone text)
returns text
language sql
immutable
set search_path = ''
as $$
  select nullif(regexp_replace(coalesce(p_phone, ''), '[^0-9]', '', 'g'), '');
$$;
comment on function private.normalized_phone(text) is 'A phone number as bans compare it: its digits (Auth stores E.164 without the +).';

-- Definer: private.banned_identities is read by no API role; Auth's role and triggers ask through this.
create function private.is_banned_identity(p_email text, p_phone text, p_username text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from private.banned_identities b
    where (b.kind = 'email' and b.value = private.normalized_email(p_email))
       or (b.kind = 'phone' and b.value = private.normalized_phone(p_phone))
       or (b.kind = 'username' and b.value = lower(btrim(p_username)))
  );
$$;
comment on function private.is_banned_identity(text, text, text) is
  'True when the email, phone or username (any may be null) belongs to a banned account.';
revoke execute on function private.is_banned_identity(text, text, text) from public, anon, authenticated;
grant execute on function private.is_banned_identity(text, text, text) to supabase_auth_admin;

-- Definer: it reads auth.users and writes the private table, whoever bans (RPC, dashboard).
create function private.record_banned_identities()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status = 'banned' then
    insert into private.banned_identities (kind, value, user_id)
    select i.kind, i.value, new.id
    from auth.users u,
      lateral (values
        ('email', private.normalized_email(u.email)),
        ('phone', private.normalized_phone(u.phone)),
        ('phone', private.normalized_phone((select d.user_phone from public.personal_details d where d.user_id = new.id))),
        ('username', lower(new.username::text))
      ) as i(kind, value)
    where u.id = new.id and i.value is not null
    on conflict (kind, value) do nothing;
  elsif old.status = 'banned' then
    delete from private.banned_identities where user_id = new.id;
  end if;
  return null;
end;
$$;
comment on function private.record_banned_identities() is
  'Records a banned account''s email, phones and username; unbanning deletes the record.';
revoke execute on function private.record_banned_identities() from public, anon, authenticated;

create trigger profiles_record_banned_identities after update of status on public.profiles
  for each row when ((old.status = 'banned') is distinct from (new.status = 'banned'))
  execute function private.record_banned_identities();

-- Accounts already banned when this migration runs.
insert into private.banned_identities (kind, value, user_id)
select i.kind, i.value, p.id
from public.profiles p
join auth.users u on u.id = p.id
left join public.personal_details d on d.user_id = p.id,
  lateral (values
    ('email', private.normalized_email(u.email)),
    ('phone', private.normalized_phone(u.phone)),
    ('phone', private.normalized_phone(d.user_phone)),
    ('username', lower(p.username::text))
  ) as i(kind, value)
where p.status = 'banned' and i.value is not null
on conflict (kind, value) do nothing;

-- The DB-level wall, for the doors that skip the hook (the admin API, postgres). Invoker: the
-- check it calls is the definer.
create function private.refuse_banned_user()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' and private.is_banned_identity(new.email, new.phone, new.raw_user_meta_data ->> 'username'))
    or (tg_op = 'UPDATE' and (
      (new.email is distinct from old.email and private.is_banned_identity(new.email, null, null))
      or (new.phone is distinct from old.phone and private.is_banned_identity(null, new.phone, null))
    ))
  then
    raise exception 'This email, phone number or username belongs to a banned account.' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.refuse_banned_user() is 'Refuses an auth user created with (or moved to) a banned email, phone or username.';
revoke execute on function private.refuse_banned_user() from public, anon, authenticated;

create trigger auth_users_refuse_banned_identity before insert or update of email, phone on auth.users
  for each row execute function private.refuse_banned_user();

create function private.refuse_banned_username()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (tg_op = 'INSERT' or new.username is distinct from old.username)
    and private.is_banned_identity(null, null, new.username::text)
  then
    raise exception 'This email, phone number or username belongs to a banned account.' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.refuse_banned_username() is 'Refuses a profile that takes a banned username.';
revoke execute on function private.refuse_banned_username() from public, anon, authenticated;

create trigger profiles_refuse_banned_username before insert or update of username on public.profiles
  for each row execute function private.refuse_banned_username();

-- Auth's before_user_created hook (GoTrue's contract: input {metadata, user}, output {} or
-- {"error": {"http_code", "message"}}). Invoker: Auth calls it as supabase_auth_admin.
create function private.before_user_created_hook(event jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  if private.is_banned_identity(
    event -> 'user' ->> 'email',
    event -> 'user' ->> 'phone',
    event -> 'user' -> 'user_metadata' ->> 'username'
  ) then
    return jsonb_build_object('error', jsonb_build_object(
      'http_code', 403,
      'message', 'This email, phone number or username belongs to a banned account.'
    ));
  end if;
  return '{}'::jsonb;
end;
$$;
comment on function private.before_user_created_hook(jsonb) is
  'Auth calls it before creating a user: refuses (403) an email, phone or username of a banned account.';
revoke execute on function private.before_user_created_hook(jsonb) from public, anon, authenticated;
grant execute on function private.before_user_created_hook(jsonb) to supabase_auth_admin;
