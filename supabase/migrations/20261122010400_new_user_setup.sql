-- New users: every auth.users row, however it was made (the register function, supabase.auth.signUp,
-- the admin API, phone signup), gets its profile, private details, role, notification preferences
-- and the welcome notification in the same transaction.
-- Objects: function private.handle_new_user; trigger on_auth_user_created on auth.users.

-- Definer: it runs as Auth's role (supabase_auth_admin), which has no rights on public tables.
create function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_meta jsonb := coalesce(new.raw_user_meta_data, '{}');
  v_username text := nullif(btrim(v_meta ->> 'username'), '');
  v_birthday date := date '2000-01-01';
begin
  if v_username is null then
    v_username := 'user_' || left(replace(new.id::text, '-', ''), 12);
  elsif v_username !~ '^[A-Za-z0-9_.]{3,50}$' then
    raise exception 'Enter a valid username. This value may contain only letters, numbers, and ./_ characters.'
      using errcode = '22023';
  end if;

  if nullif(v_meta ->> 'birthday', '') is not null then
    if (v_meta ->> 'birthday') !~ '^\d{4}-\d{2}-\d{2}$' then
      raise exception 'Date has wrong format. Use YYYY-MM-DD.' using errcode = '22007';
    end if;
    v_birthday := (v_meta ->> 'birthday')::date;
  end if;

  insert into public.profiles (id, username, first_name, last_name)
  values (
    new.id,
    v_username,
    left(btrim(coalesce(v_meta ->> 'first_name', '')), 50),
    left(btrim(coalesce(v_meta ->> 'last_name', '')), 50)
  );
  insert into public.personal_details (user_id, birthday) values (new.id, v_birthday);
  insert into public.user_roles (user_id) values (new.id);
  insert into public.notification_preferences (user_id) values (new.id);
  perform private.notify(
    new.id, 'general', format('Welcome %s! Your account has been successfully created.', v_username), 'profile'
  );
  return new;
end;
$$;
comment on function private.handle_new_user() is 'Creates the Marquee side of a new auth user; a taken or invalid username fails the signup.';
revoke execute on function private.handle_new_user() from public, anon, authenticated;

create trigger on_auth_user_created after insert on auth.users
  for each row execute function private.handle_new_user();
