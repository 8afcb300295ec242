-- Profile search on trigram indexes: the same answer as before (public_profiles rows whose username,
-- first or last name contains the query, wildcards escaped; active; never the caller, blocked users or
-- — for adults — children), but each condition is now an expression of the profiles_search_*_trgm_idx
-- indexes (20261201030000) with the pattern computed once, so it is a bitmap index scan instead of a
-- leading-wildcard scan of every profile. Usernames are ASCII, so search_norm(username) is lower(username)
-- and its ilike is the username's.
-- Objects: functions private.contains_pattern, public.search_profiles (replaced).

create function private.contains_pattern(p_query text)
returns text
language sql
immutable
set search_path = ''
as $$
  select '%' || replace(replace(replace(btrim(p_query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
$$;
comment on function private.contains_pattern(text) is 'An ilike pattern for "contains p_query" in which %, _ and \ of the query match themselves.';
grant execute on function private.contains_pattern(text) to anon, authenticated, service_role;

create or replace function public.search_profiles(p_query text)
returns setof public.public_profiles
language sql
stable
set search_path = ''
as $$
  select v.*
  from public.public_profiles v
  where btrim(coalesce(p_query, '')) <> ''
    and v.id in (
      select p.id from public.profiles p
      where private.search_norm(p.username::text) ilike private.contains_pattern(p_query)
      union
      select p.id from public.profiles p where p.first_name ilike private.contains_pattern(p_query)
      union
      select p.id from public.profiles p where p.last_name ilike private.contains_pattern(p_query)
    )
    and v.status = 'active'
    and v.id is distinct from auth.uid()
    and (not private.is_child(v.id) or coalesce(private.is_child(auth.uid()), false))
  order by (v.username ilike btrim(p_query)) desc, v.username;
$$;
