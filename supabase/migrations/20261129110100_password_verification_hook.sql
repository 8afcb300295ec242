-- Auth's password verification attempt hook ([auth.hook.password_verification_attempt]): every
-- wrong password Auth checks for an account spends the account's Auth failure budget (20 in any 15
-- minutes); once it is spent, Auth refuses the account's password sign-ins, the right password
-- included, until the oldest failure leaves the window. The sign-in function asks Auth, so its
-- failures are counted here too: raw /auth/v1/token and the function meet one wall.
-- Objects: function private.password_verification_attempt_hook.

-- Definer: Auth calls it as supabase_auth_admin, which cannot reach private.rate_limit_hits.
create function private.password_verification_attempt_hook(event jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_key text := 'user:' || (event ->> 'user_id');
  v_retry integer;
begin
  -- Failures are counted under the same lock as the check, so a burst of guesses cannot all pass it.
  if coalesce((event ->> 'valid')::boolean, false) then
    perform pg_advisory_xact_lock(hashtextextended('rate_limit:auth-password:account:' || v_key, 0));
    v_retry := private.rate_limit_retry_after('auth-password:account', v_key, 20, 900);
  else
    v_retry := private.take_rate_limit('auth-password:account', v_key, 20, 900);
  end if;
  if v_retry > 0 then
    return jsonb_build_object('decision', 'reject', 'message', 'Too many failed sign-in attempts. Please try again later.');
  end if;
  return jsonb_build_object('decision', 'continue');
end;
$$;
comment on function private.password_verification_attempt_hook(jsonb) is
  'Auth''s password verification hook: counts a wrong password against the account''s Auth failure budget; rejects once it is spent.';
revoke execute on function private.password_verification_attempt_hook(jsonb) from public, anon, authenticated;
grant execute on function private.password_verification_attempt_hook(jsonb) to supabase_auth_admin;
