-- The custom access token hook (config.toml [auth.hook.custom_access_token]): copies the user's role
-- and account status into every JWT as `user_role` and `account_status`, and refuses tokens to
-- deactivated, suspended and banned accounts, so they cannot sign in or refresh.
-- Objects: function public.custom_access_token_hook; grants and policies for supabase_auth_admin.

create function public.custom_access_token_hook(event jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_user_id uuid := (event ->> 'user_id')::uuid;
  v_role public.app_role;
  v_status public.account_status;
  v_claims jsonb := event -> 'claims';
begin
  select r.role, p.status into v_role, v_status
  from public.profiles p left join public.user_roles r on r.user_id = p.id
  where p.id = v_user_id;

  if v_status is not null and v_status <> 'active' then
    return jsonb_build_object('error', jsonb_build_object(
      'http_code', 403,
      'message', case v_status
        when 'deactivated' then 'Your account is inactive. Please contact support.'
        when 'suspended' then 'Your account is suspended. Please contact support.'
        else 'Your account has been banned.'
      end
    ));
  end if;

  v_claims := jsonb_set(v_claims, '{user_role}', to_jsonb(coalesce(v_role, 'visitor')::text));
  v_claims := jsonb_set(v_claims, '{account_status}', to_jsonb(coalesce(v_status, 'active')::text));
  return jsonb_build_object('claims', v_claims);
end;
$$;
comment on function public.custom_access_token_hook(jsonb) is
  'Auth calls it before issuing a token: adds user_role and account_status, or refuses non-active accounts (403).';

grant usage on schema public to supabase_auth_admin;
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
revoke execute on function public.custom_access_token_hook(jsonb) from public, anon, authenticated;

grant select on table public.user_roles, public.profiles to supabase_auth_admin;
create policy "auth can read roles for tokens" on public.user_roles
  for select to supabase_auth_admin using (true);
create policy "auth can read account status for tokens" on public.profiles
  for select to supabase_auth_admin using (true);
