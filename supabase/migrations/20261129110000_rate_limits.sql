-- Rate limits the edge functions keep in the database, so they hold across workers and restarts:
-- a sliding log of the hits each (bucket, key) was allowed, so "at most N in any window" holds
-- exactly (no burst at a window's edge), taken one caller at a time per key; and a per-account
-- budget of failed one-time-code attempts across codes (ASVS 2.7): 20 wrong codes in any hour per
-- account (per phone number where there is no account yet), then every code of that account is
-- refused, the right one included, until the oldest failure is an hour old.
-- Objects: table private.rate_limit_hits; functions private.take_rate_limit,
-- private.rate_limit_retry_after, private.code_failure_key, public.take_rate_limits,
-- public.rate_limit_retry_after, public.return_rate_limits, public.consume_one_time_code (replaced,
-- same signature).

create table private.rate_limit_hits (
  id bigint generated always as identity primary key,
  bucket text not null,
  key text not null,
  hit_at timestamptz not null default clock_timestamp()
);
comment on table private.rate_limit_hits is
  'Allowed hits by bucket (what is limited, e.g. sign-in:ip) and key (an address, an account, a phone number, or global); kept for one window.';
create index rate_limit_hits_bucket_key_hit_at_idx on private.rate_limit_hits (bucket, key, hit_at);
create index rate_limit_hits_hit_at_idx on private.rate_limit_hits (hit_at);
alter table private.rate_limit_hits enable row level security;

-- Invoker (this and rate_limit_retry_after): called only by the definer functions below.
create function private.take_rate_limit(p_bucket text, p_key text, p_limit integer, p_window_seconds integer)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_window interval := make_interval(secs => p_window_seconds);
  v_count integer;
  v_oldest timestamptz;
begin
  -- One caller at a time per key, so concurrent requests count one after another and never pass p_limit.
  perform pg_advisory_xact_lock(hashtextextended('rate_limit:' || p_bucket || ':' || p_key, 0));
  delete from private.rate_limit_hits h
  where h.bucket = p_bucket and h.key = p_key and h.hit_at <= clock_timestamp() - v_window;
  select count(*), min(h.hit_at) into v_count, v_oldest
  from private.rate_limit_hits h where h.bucket = p_bucket and h.key = p_key;
  if v_count >= p_limit then
    return greatest(1, ceil(extract(epoch from v_oldest + v_window - clock_timestamp()))::integer);
  end if;
  insert into private.rate_limit_hits (bucket, key) values (p_bucket, p_key);
  -- Keys nobody comes back with: cleared now and then by whoever passes (no window is longer than a day).
  if random() < 0.01 then
    delete from private.rate_limit_hits h where h.hit_at < clock_timestamp() - interval '1 day';
  end if;
  return 0;
end;
$$;
comment on function private.take_rate_limit(text, text, integer, integer) is
  'Counts one hit for bucket+key: 0 when fewer than p_limit were counted in the last p_window_seconds, else the seconds until the oldest leaves the window (nothing counted).';

create function private.rate_limit_retry_after(p_bucket text, p_key text, p_limit integer, p_window_seconds integer)
returns integer
language sql
stable
set search_path = ''
as $$
  select case when count(*) >= p_limit
    then greatest(1, ceil(extract(epoch from min(h.hit_at) + make_interval(secs => p_window_seconds) - clock_timestamp()))::integer)
    else 0 end
  from private.rate_limit_hits h
  where h.bucket = p_bucket and h.key = p_key and h.hit_at > clock_timestamp() - make_interval(secs => p_window_seconds);
$$;
comment on function private.rate_limit_retry_after(text, text, integer, integer) is
  'Seconds until bucket+key is under p_limit again (0 when it is now), counting nothing.';

revoke execute on function private.take_rate_limit(text, text, integer, integer),
  private.rate_limit_retry_after(text, text, integer, integer) from public, anon, authenticated;

-- Definer (this and rate_limit_retry_after): the functions reach private.rate_limit_hits only
-- through them, as the service role; anon and authenticated cannot call them.
create function public.take_rate_limits(p_limits jsonb)
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_limit jsonb;
  v_retry integer;
begin
  if jsonb_typeof(p_limits) is distinct from 'array' then
    raise exception 'p_limits must be an array of {bucket, key, limit, window_seconds}' using errcode = '22023';
  end if;
  for v_limit in select value from jsonb_array_elements(p_limits) loop
    v_retry := private.take_rate_limit(v_limit ->> 'bucket', v_limit ->> 'key', (v_limit ->> 'limit')::integer, (v_limit ->> 'window_seconds')::integer);
    if v_retry > 0 then
      return v_retry;
    end if;
  end loop;
  return 0;
end;
$$;
comment on function public.take_rate_limits(jsonb) is
  'Counts a hit in each [{bucket, key, limit, window_seconds}] in order: 0 when all are under their limit, else the first refusal''s seconds to wait (later ones are not counted).';

create function public.rate_limit_retry_after(p_limits jsonb)
returns integer
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(max(private.rate_limit_retry_after(l ->> 'bucket', l ->> 'key', (l ->> 'limit')::integer, (l ->> 'window_seconds')::integer)), 0)
  from jsonb_array_elements(p_limits) l;
$$;
comment on function public.rate_limit_retry_after(jsonb) is
  'The longest wait among [{bucket, key, limit, window_seconds}] that are at their limit (0 when none is), counting nothing.';

revoke execute on function public.take_rate_limits(jsonb), public.rate_limit_retry_after(jsonb) from public, anon, authenticated;
grant execute on function public.take_rate_limits(jsonb), public.rate_limit_retry_after(jsonb) to service_role;

create function private.code_failure_key(p_purpose text, p_subject text)
returns text
language sql
immutable
set search_path = ''
as $$
  -- Reset codes are per user id; parent-link subjects are child id:parent email; phone sign-up has no account yet.
  select case p_purpose
    when 'password_reset' then 'user:' || p_subject
    when 'parent_link' then 'user:' || split_part(p_subject, ':', 1)
    else 'phone:' || p_subject
  end;
$$;
comment on function private.code_failure_key(text, text) is 'Whose failure budget a wrong code of purpose+subject spends: the account, or the phone number.';
revoke execute on function private.code_failure_key(text, text) from public, anon, authenticated;

create or replace function public.consume_one_time_code(
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
  v_budget text;
  v_retry integer;
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

  -- One checker at a time per budget: codes of one account (several parent addresses) race otherwise.
  v_budget := private.code_failure_key(p_purpose, v_row.subject);
  perform pg_advisory_xact_lock(hashtextextended('code_failures:' || v_budget, 0));
  v_retry := private.rate_limit_retry_after('code_failures', v_budget, 20, 3600);
  if v_retry > 0 then
    return jsonb_build_object('status', 'locked', 'retry_after', v_retry);
  end if;

  if v_row.expires_at <= now() then
    return jsonb_build_object('status', 'expired');
  end if;
  if v_row.attempts >= 5 then
    return jsonb_build_object('status', 'invalid_code');
  end if;
  if p_code is null or p_code !~ '^\d{6}$' or extensions.crypt(p_code, v_row.code_hash) <> v_row.code_hash then
    update private.one_time_codes set attempts = attempts + 1 where id = v_row.id;
    perform private.take_rate_limit('code_failures', v_budget, 20, 3600);
    return jsonb_build_object('status', 'invalid_code');
  end if;

  delete from private.one_time_codes c where c.purpose = p_purpose and c.subject = v_row.subject;
  return jsonb_build_object('status', 'ok', 'subject', v_row.subject);
end;
$$;
comment on function public.consume_one_time_code(text, text, text, text) is
  'Checks a code by subject or token: ok (and every code of the subject is deleted), invalid_token, expired, invalid_code (a wrong try counts; the 5th voids the code), or locked with retry_after once the account''s 20 failures an hour are spent.';

-- Definer, as take_rate_limits: gives back hits a request took but should not pay for (a sign-in
-- that succeeded spends none of the account's failure budget).
create function public.return_rate_limits(p_limits jsonb)
returns void
language sql
security definer
set search_path = ''
as $$
  delete from private.rate_limit_hits h
  where h.id in (
    select (select n.id from private.rate_limit_hits n
            where n.bucket = l ->> 'bucket' and n.key = l ->> 'key' order by n.hit_at desc limit 1)
    from jsonb_array_elements(p_limits) l
  );
$$;
comment on function public.return_rate_limits(jsonb) is 'Gives back the newest hit of each [{bucket, key}].';
revoke execute on function public.return_rate_limits(jsonb) from public, anon, authenticated;
grant execute on function public.return_rate_limits(jsonb) to service_role;
