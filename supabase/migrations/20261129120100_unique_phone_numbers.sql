-- Phone numbers are unique across accounts (reference 002: "A user with this phone number already
-- exists."): a number is either one account's sign-in phone (auth.users.phone, digits without `+`)
-- or the phone of one profile (personal_details.user_phone, E.164), never two accounts'. Checked in
-- triggers on both tables, so every door holds (the SDK, raw REST, Auth's admin API and phone
-- sign-up, an admin editing rows in the dashboard); a unique index backs the profile side.
-- Objects: index personal_details_user_phone_key; function private.ensure_unique_phone and its
-- triggers on public.personal_details and auth.users; function service.phone_in_use.

create unique index personal_details_user_phone_key on public.personal_details (user_phone) where user_phone <> '';

-- Definer: the check reads auth.users and every profile's phone, which the editing user may not see.
create function private.ensure_unique_phone()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_user_id uuid;
  v_digits text;
begin
  if tg_table_schema = 'auth' then
    v_user_id := new.id;
    v_digits := ltrim(coalesce(new.phone, ''), '+');
  else
    v_user_id := new.user_id;
    v_digits := ltrim(new.user_phone, '+');
  end if;
  if v_digits = '' then
    return new;
  end if;
  -- One number at a time, so two accounts racing for it cannot both pass the check.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('marquee.phone:' || v_digits));
  if exists (select 1 from auth.users u where u.phone = v_digits and u.id <> v_user_id)
     or exists (select 1 from public.personal_details d where d.user_phone = '+' || v_digits and d.user_id <> v_user_id) then
    raise exception 'A user with this phone number already exists.'
      using errcode = '23505', column = case when tg_table_schema = 'auth' then 'phone' else 'user_phone' end;
  end if;
  return new;
end;
$$;
comment on function private.ensure_unique_phone() is
  'Trigger: refuses a phone number that another account has as its sign-in phone or profile phone (23505, 002''s message).';
revoke execute on function private.ensure_unique_phone() from public, anon, authenticated;

create trigger personal_details_unique_phone
  before insert or update of user_phone on public.personal_details
  for each row execute function private.ensure_unique_phone();

create trigger users_unique_phone
  before insert or update of phone on auth.users
  for each row execute function private.ensure_unique_phone();

-- Definer: reads auth.users for the phone sign-up function (service_role only).
create function service.phone_in_use(p_phone text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select ltrim(btrim(p_phone), '+') <> '' and (
    exists (select 1 from auth.users u where u.phone = ltrim(btrim(p_phone), '+'))
    or exists (select 1 from public.personal_details d where d.user_phone = '+' || ltrim(btrim(p_phone), '+'))
  );
$$;
comment on function service.phone_in_use(text) is
  'Whether a phone number is an account''s sign-in phone or profile phone (phone sign-up refuses it with 409).';
revoke execute on function service.phone_in_use(text) from public, anon, authenticated;
grant execute on function service.phone_in_use(text) to service_role;
