-- One-time codes for password resets, phone signup and parent linking, the SMS outbox, and the
-- service-role helpers the account edge functions call. Codes are 6 digits from a CSPRNG, stored only
-- as bcrypt hashes (phone-signup tokens as SHA-256), live 10 minutes, allow 5 wrong tries, are single
-- use, and cannot be re-requested within 60 seconds.
-- Objects: tables private.one_time_codes, private.sms_outbox; functions public.issue_one_time_code,
-- public.consume_one_time_code, public.capture_sms, public.find_sign_in_account,
-- public.verify_user_password.

create table private.one_time_codes (
  id bigint generated always as identity primary key,
  purpose text not null constraint one_time_codes_purpose check (purpose in ('password_reset', 'phone_signup', 'parent_link')),
  subject text not null,
  code_hash text not null,
  token_hash text unique,
  attempts integer not null default 0,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
comment on table private.one_time_codes is
  'Live codes by purpose and subject (a user id, a phone number, or child id:parent email). Only hashes are stored.';
create index one_time_codes_purpose_subject_idx on private.one_time_codes (purpose, subject, created_at desc);
create index one_time_codes_expires_at_idx on private.one_time_codes (expires_at);
alter table private.one_time_codes enable row level security;

create table private.sms_outbox (
  id bigint generated always as identity primary key,
  phone text not null,
  body text not null,
  created_at timestamptz not null default now()
);
comment on table private.sms_outbox is
  'Text messages captured instead of sent: the `outbox` SMS provider of the functions and Auth''s send-SMS hook write here.';
alter table private.sms_outbox enable row level security;

-- Definer (this and the functions below): they read and write private tables and auth.users, which
-- the service role reaches only through them; none is executable by anon or authenticated.
create function public.issue_one_time_code(p_purpose text, p_subject text)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_last timestamptz;
  v_code text;
  v_token text := encode(extensions.gen_random_bytes(32), 'hex');
  v_expires_at timestamptz := now() + interval '10 minutes';
begin
  -- One issuer at a time per subject, so two racing requests cannot both pass the 60 s check.
  perform pg_advisory_xact_lock(hashtextextended(p_purpose || ':' || p_subject, 0));

  select max(c.created_at) into v_last
  from private.one_time_codes c where c.purpose = p_purpose and c.subject = p_subject;
  if v_last is not null and v_last > clock_timestamp() - interval '60 seconds' then
    return jsonb_build_object('retry_after', ceil(60 - extract(epoch from clock_timestamp() - v_last))::integer);
  end if;

  delete from private.one_time_codes c where c.purpose = p_purpose and c.subject = p_subject;
  -- Codes nobody came back for: gone an hour after they expired.
  delete from private.one_time_codes c where c.expires_at < now() - interval '1 hour';
  -- 6 digits by rejection sampling over 20 random bits, so every code is equally likely.
  loop
    v_code := ((('x' || encode(extensions.gen_random_bytes(3), 'hex'))::bit(24)::integer) >> 4)::text;
    exit when v_code::integer < 1000000;
  end loop;
  v_code := lpad(v_code, 6, '0');

  insert into private.one_time_codes (purpose, subject, code_hash, token_hash, expires_at, created_at)
  values (
    p_purpose, p_subject, extensions.crypt(v_code, extensions.gen_salt('bf', 8)),
    encode(extensions.digest(v_token, 'sha256'), 'hex'), v_expires_at, clock_timestamp()
  );
  return jsonb_build_object('code', v_code, 'token', v_token, 'expires_at', v_expires_at);
end;
$$;
comment on function public.issue_one_time_code(text, text) is
  'A new code (and opaque token) for purpose+subject, voiding older ones; {"retry_after": s} within 60 s of the last.';

create function public.consume_one_time_code(
  p_purpose text,
  p_code text,
  p_subject text default null,
  p_token text default null
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_row private.one_time_codes;
begin
  if p_token is not null then
    select * into v_row from private.one_time_codes c
    where c.purpose = p_purpose and c.token_hash = encode(extensions.digest(p_token, 'sha256'), 'hex')
    for update;
    if not found then
      return jsonb_build_object('status', 'invalid_token');
    end if;
  elsif p_subject is not null then
    select * into v_row from private.one_time_codes c
    where c.purpose = p_purpose and c.subject = p_subject
    order by c.created_at desc limit 1
    for update;
    if not found then
      return jsonb_build_object('status', 'invalid_code');
    end if;
  else
    raise exception 'a subject or a token is required' using errcode = '22023';
  end if;

  if v_row.expires_at <= now() then
    return jsonb_build_object('status', 'expired');
  end if;
  if v_row.attempts >= 5 then
    return jsonb_build_object('status', 'invalid_code');
  end if;
  if p_code is null or p_code !~ '^\d{6}$' or extensions.crypt(p_code, v_row.code_hash) <> v_row.code_hash then
    update private.one_time_codes set attempts = attempts + 1 where id = v_row.id;
    return jsonb_build_object('status', 'invalid_code');
  end if;

  delete from private.one_time_codes c where c.purpose = p_purpose and c.subject = v_row.subject;
  return jsonb_build_object('status', 'ok', 'subject', v_row.subject);
end;
$$;
comment on function public.consume_one_time_code(text, text, text, text) is
  'Checks a code by subject or token: ok (and every code of the subject is deleted), invalid_token, expired or invalid_code (a wrong try counts; the 5th voids the code).';

create function public.capture_sms(p_phone text, p_body text)
returns bigint
language sql
security definer
set search_path = ''
as $$
  insert into private.sms_outbox (phone, body) values (p_phone, p_body) returning id;
$$;
comment on function public.capture_sms(text, text) is 'The outbox SMS provider: keeps the message where tests and developers can read it.';

-- Auth's send-SMS hook (config.toml [auth.hook.send_sms]) writes to the same outbox.
create function private.send_sms_hook(event jsonb)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into private.sms_outbox (phone, body)
  values (
    -- sms.phone is the number the code is for (the new one during a phone change).
    '+' || ltrim(coalesce(event #>> '{sms,phone}', event #>> '{user,phone}', ''), '+'),
    format('Your Marquee code is %s', event #>> '{sms,otp}')
  );
  return '{}'::jsonb;
end;
$$;
comment on function private.send_sms_hook(jsonb) is 'Auth''s send-SMS hook: captures the OTP message in private.sms_outbox.';
revoke execute on function private.send_sms_hook(jsonb) from public, anon, authenticated;
grant execute on function private.send_sms_hook(jsonb) to supabase_auth_admin;

create function public.find_sign_in_account(p_login text)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select jsonb_build_object('user_id', u.id, 'email', u.email, 'phone', u.phone, 'username', p.username::text, 'status', p.status)
  from auth.users u
  join public.profiles p on p.id = u.id
  where p.username operator(extensions.=) btrim(p_login)::extensions.citext
     or u.email = lower(btrim(p_login))
     or (btrim(p_login) ~ '^\+?[0-9]{7,15}$' and u.phone = ltrim(btrim(p_login), '+'))
  order by (p.username operator(extensions.=) btrim(p_login)::extensions.citext) desc
  limit 1;
$$;
comment on function public.find_sign_in_account(text) is 'The account a username, email or phone number names, for the sign-in and reset functions.';

create function public.verify_user_password(p_user_id uuid, p_password text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $fn$
  select coalesce(
    (select u.encrypted_password <> '' and extensions.crypt(p_password, u.encrypted_password) = u.encrypted_password
     from auth.users u where u.id = p_user_id),
    -- No such user: spend one bcrypt (cost 10, as Auth's) anyway, so the answer takes as long.
    extensions.crypt(p_password, '$2a$10$mmeWd98.bORBN/kjKvqaAenv.VD0DWhi3rgqs9CoQP1HYEj4Xx8zy') is null
  );
$fn$;
comment on function public.verify_user_password(uuid, text) is
  'Checks a password against Auth''s bcrypt hash (change-password); for an unknown user it is false after the same bcrypt work (sign-in).';

revoke execute on function public.issue_one_time_code(text, text), public.consume_one_time_code(text, text, text, text),
  public.capture_sms(text, text), public.find_sign_in_account(text), public.verify_user_password(uuid, text)
  from public, anon, authenticated;
grant execute on function public.issue_one_time_code(text, text), public.consume_one_time_code(text, text, text, text),
  public.capture_sms(text, text), public.find_sign_in_account(text), public.verify_user_password(uuid, text)
  to service_role;
