-- New users: every auth.users row, however it was made (the register function, supabase.auth.signUp,
-- the admin API, phone signup), gets its profile, private details, role, notification preferences
-- and the welcome notification in the same transaction. Users who existed before this migration (a
-- hosted project, an older local database) get the same rows here.
-- Objects: functions private.setup_account, private.handle_new_user; trigger on_auth_user_created on
-- auth.users.

-- Definer: it runs as Auth's role (supabase_auth_admin), which has no rights on public tables.
-- Strict (a signup): an invalid or taken username fails the signup. Lenient (the backfill): it falls
-- back to a generated username and the default birthday.
create function private.setup_account(p_user_id uuid, p_meta jsonb, p_strict boolean)
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_meta jsonb := coalesce(p_meta, '{}');
  v_generated text := 'user_' || left(replace(p_user_id::text, '-', ''), 12);
  v_username text := coalesce(nullif(btrim(v_meta ->> 'username'), ''), v_generated);
  v_birthday date := date '2000-01-01';
begin
  if v_username !~ '^[A-Za-z0-9_.]{3,50}$' then
    if p_strict then
      raise exception 'Enter a valid username. This value may contain only letters, numbers, and ./_ characters.'
        using errcode = '22023';
    end if;
    v_username := v_generated;
  end if;
  if not p_strict and exists (select 1 from public.profiles p where p.username operator(extensions.=) v_username::extensions.citext) then
    v_username := v_generated;
  end if;

  if nullif(v_meta ->> 'birthday', '') is not null then
    if (v_meta ->> 'birthday') ~ '^\d{4}-\d{2}-\d{2}$' then
      begin
        v_birthday := (v_meta ->> 'birthday')::date;
      exception when others then
        if p_strict then raise; end if;
      end;
    elsif p_strict then
      raise exception 'Date has wrong format. Use YYYY-MM-DD.' using errcode = '22007';
    end if;
  end if;

  insert into public.profiles (id, username, first_name, last_name)
  values (
    p_user_id,
    v_username,
    left(btrim(coalesce(v_meta ->> 'first_name', '')), 50),
    left(btrim(coalesce(v_meta ->> 'last_name', '')), 50)
  );
  insert into public.personal_details (user_id, birthday) values (p_user_id, v_birthday);
  insert into public.user_roles (user_id) values (p_user_id);
  insert into public.notification_preferences (user_id) values (p_user_id);
  perform private.notify(
    p_user_id, 'general', format('Welcome %s! Your account has been successfully created.', v_username), 'profile'
  );
end;
$$;
comment on function private.setup_account(uuid, jsonb, boolean) is
  'Creates the Marquee side of an auth user: profile, details, role, preferences, welcome notification.';
revoke execute on function private.setup_account(uuid, jsonb, boolean) from public, anon, authenticated;

-- Definer: see private.setup_account.
create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform private.setup_account(new.id, new.raw_user_meta_data, true);
  return new;
end;
$$;
comment on function private.handle_new_user() is 'Sets up every new auth user; a taken or invalid username fails the signup.';
revoke execute on function private.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();

select private.setup_account(u.id, u.raw_user_meta_data, false)
from auth.users u
where not exists (select 1 from public.profiles p where p.id = u.id)
order by u.created_at;
