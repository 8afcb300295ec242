-- The functions' rate-limit RPCs are service-only, like the code RPCs: they move to schema
-- `service` (only service_role may use it) and out of the app's generated types.
-- Objects: service.take_rate_limits, service.return_rate_limits, service.rate_limit_retry_after
-- (moved from public, bodies unchanged: they call only fully qualified private.* helpers).

alter function public.take_rate_limits(jsonb) set schema service;
alter function public.return_rate_limits(jsonb) set schema service;
alter function public.rate_limit_retry_after(jsonb) set schema service;

-- Grants travel with a function; stated again so this file says who may call them.
revoke execute on function service.take_rate_limits(jsonb), service.return_rate_limits(jsonb),
  service.rate_limit_retry_after(jsonb) from public, anon, authenticated;
grant execute on function service.take_rate_limits(jsonb), service.return_rate_limits(jsonb),
  service.rate_limit_retry_after(jsonb) to service_role;
