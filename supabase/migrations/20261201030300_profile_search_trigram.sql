-- Profile search on trigram indexes: the same answer as before (public_profiles rows whose username,
-- first or last name contains the query, wildcards escaped; active; never the caller, blocked users or
-- — for adults — children), but each condition is now an expression of the profiles_search_*_trgm_idx
-- indexes (20261201030000) with the pattern computed once, so it is a bitmap index scan instead of a
-- leading-wildcard scan of every profile. The matching runs in a definer helper: under the profiles
-- policies Postgres may not use an index for ilike (not leakproof). The rows answered are still read
-- through public_profiles as the caller, so its policies and the exclusions decide. Usernames are ASCII, so search_norm(username) is lower(username)
-- and its ilike is the username's.
-- Objects: functions private.contains_pattern, private.profile_search_ids, public.search_profiles (replaced).

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

-- Definer (see the header): ids only, of every profile whose username, first or last name contains
-- the query; the caller's view of profiles filters them next.
create function private.profile_search_ids(p_query text)
returns setof uuid
language sql
stable
security definer
set search_path = ''
as $$
  select p.id from public.profiles p
  where btrim(coalesce(p_query, '')) <> '' and private.search_norm(p.username::text) ilike private.contains_pattern(p_query)
  union all
  select p.id from public.profiles p where btrim(coalesce(p_query, '')) <> '' and p.first_name ilike private.contains_pattern(p_query)
  union all
  select p.id from public.profiles p where btrim(coalesce(p_query, '')) <> '' and p.last_name ilike private.contains_pattern(p_query);
$$;
comment on function private.profile_search_ids(text) is 'Ids of profiles whose username, first or last name contains the query (by their trigram indexes).';
revoke execute on function private.profile_search_ids(text) from public, anon;
grant execute on function private.profile_search_ids(text) to authenticated, service_role;

create or replace function public.search_profiles(p_query text)
returns setof public.public_profiles
language sql
stable
set search_path = ''
as $$
  select v.*
  from public.public_profiles v
  where v.id in (select private.profile_search_ids(p_query))
    and v.status = 'active'
    and v.id is distinct from auth.uid()
    and (not private.is_child(v.id) or coalesce(private.is_child(auth.uid()), false))
  order by (v.username ilike btrim(p_query)) desc, v.username;
$$;
