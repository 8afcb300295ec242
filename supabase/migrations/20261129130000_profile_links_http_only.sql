-- Profile links and the picture hold web addresses only. A social link is empty, an http(s) URL, or
-- the reference's bare `host/path` form (`youtube.com/john`, no scheme); every other scheme
-- (`javascript:`, `data:`, `vbscript:` …) and control characters are refused. The picture is an
-- object path inside the owner's own avatars folder (`<user id>/<file>`), never a URL. Check
-- constraints hold for every door (REST, update_own_profile, the dashboard); a trigger in front of
-- them answers PostgREST's 400 with the field and a clear message. Rows stored before this
-- migration with a refused value lose it (link emptied, picture cleared).
-- Objects: function private.is_web_link; constraints profiles_social_*_web_link,
-- profiles_profile_pic_own_folder; function private.check_profile_links and its trigger.

create function private.is_web_link(p_value text)
returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_value !~ '[[:cntrl:][:space:]]'
    and p_value ~* (
      '^(https?://[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?'
      || '|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)'
      || '([/?#].*)?$'
    );
$$;
comment on function private.is_web_link(text) is
  'Whether a value is an http(s) URL or a bare host/path (`youtube.com/john`): no other scheme, no whitespace or control characters.';
-- The check constraints call it as the writing role.
grant execute on function private.is_web_link(text) to authenticated, service_role;

-- Values refused from now on are removed before the constraints are added.
update public.profiles set user_social_fb = '' where user_social_fb <> '' and not private.is_web_link(user_social_fb);
update public.profiles set user_social_twt = '' where user_social_twt <> '' and not private.is_web_link(user_social_twt);
update public.profiles set user_social_yt = '' where user_social_yt <> '' and not private.is_web_link(user_social_yt);
update public.profiles set profile_pic = null
where profile_pic is not null and (left(profile_pic, 37) <> id::text || '/' or profile_pic ~ '[[:cntrl:]]');

alter table public.profiles
  add constraint profiles_social_fb_web_link check (user_social_fb = '' or private.is_web_link(user_social_fb)),
  add constraint profiles_social_twt_web_link check (user_social_twt = '' or private.is_web_link(user_social_twt)),
  add constraint profiles_social_yt_web_link check (user_social_yt = '' or private.is_web_link(user_social_yt)),
  add constraint profiles_profile_pic_own_folder check (
    profile_pic is null
    or (left(profile_pic, 37) = id::text || '/' and char_length(profile_pic) > 37 and profile_pic !~ '[[:cntrl:]]')
  );

-- Invoker: it only reads the row being written. Raised as check_violation (PostgREST: 400) with the
-- field's errors as JSON in the detail, so every API door names the field.
create function private.check_profile_links()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_errors jsonb := '{}';
  v_field text;
  v_value text;
begin
  foreach v_field in array array['user_social_fb', 'user_social_twt', 'user_social_yt'] loop
    v_value := to_jsonb(new) ->> v_field;
    if v_value <> '' and not private.is_web_link(v_value) then
      v_errors := v_errors || jsonb_build_object(v_field, jsonb_build_array('Enter a valid URL.'));
    end if;
  end loop;
  if new.profile_pic is not null
     and (left(new.profile_pic, 37) <> new.id::text || '/' or char_length(new.profile_pic) <= 37 or new.profile_pic ~ '[[:cntrl:]]') then
    v_errors := v_errors || jsonb_build_object('profile_pic', jsonb_build_array('Must be an object in your own avatars folder.'));
  end if;
  if v_errors <> '{}' then
    select string_agg(e.key || ': ' || (e.value ->> 0), ' ' order by e.key) into v_value from jsonb_each(v_errors) e;
    raise exception using errcode = '23514', message = v_value, detail = v_errors::text;
  end if;
  return new;
end;
$$;
comment on function private.check_profile_links() is
  'Refuses profile links that are not web links and pictures outside the owner''s avatars folder, naming each field.';
create trigger profiles_check_links before insert or update of profile_pic, user_social_fb, user_social_twt, user_social_yt
  on public.profiles for each row execute function private.check_profile_links();
