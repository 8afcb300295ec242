-- Service-only RPCs move out of the API schema: the functions the edge functions alone call with the
-- service key (code issuing and checking, the SMS outbox, the sign-in lookup, the password check,
-- parent linking) live in schema `service`, which only service_role may use. They leave the app's
-- generated types (`public` only) and anon/authenticated get "permission denied for schema service".
-- The functions reach them through the API (`[api] schemas` in config.toml) with
-- `supabase.schema('service').rpc(...)`.
-- Objects: schema service; functions issue_one_time_code, consume_one_time_code, capture_sms,
-- find_sign_in_account, verify_user_password, link_parent, is_parent_linked (moved from public).

create schema service;
comment on schema service is
  'RPCs only the edge functions call, as service_role: never exposed to anon or authenticated, never in the app''s types.';
revoke all on schema service from public;
grant usage on schema service to service_role;
alter default privileges in schema service revoke execute on functions from public;

alter function public.issue_one_time_code(text, text) set schema service;
alter function public.consume_one_time_code(text, text, text, text) set schema service;
alter function public.capture_sms(text, text) set schema service;
alter function public.find_sign_in_account(text) set schema service;
alter function public.verify_user_password(uuid, text) set schema service;
alter function public.link_parent(uuid, text) set schema service;
alter function public.is_parent_linked(uuid, text) set schema service;

-- Grants travel with a function; stated again so this file says who may call them.
revoke execute on function service.issue_one_time_code(text, text), service.consume_one_time_code(text, text, text, text),
  service.capture_sms(text, text), service.find_sign_in_account(text), service.verify_user_password(uuid, text),
  service.link_parent(uuid, text), service.is_parent_linked(uuid, text)
  from public, anon, authenticated;
grant execute on function service.issue_one_time_code(text, text), service.consume_one_time_code(text, text, text, text),
  service.capture_sms(text, text), service.find_sign_in_account(text), service.verify_user_password(uuid, text),
  service.link_parent(uuid, text), service.is_parent_linked(uuid, text)
  to service_role;

comment on function service.link_parent(uuid, text) is
  'Links a child to a parent email once the parent''s code was confirmed (the parental function, as service_role).';
comment on function service.is_parent_linked(uuid, text) is
  'Whether a child is already linked to a parent email (the parental function, as service_role).';
