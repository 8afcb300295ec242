/**
 * Keeps realtime.messages' daily partitions (yesterday … today + 3, UTC, named messages_YYYY_MM_DD
 * as the Realtime service names them) in place. The platform bootstrap runs it once so migrations
 * and seeds can call realtime.send(); the Realtime service runs it hourly, as the real service
 * does, so a long-running stack never meets a day without a partition.
 */
export const ENSURE_MESSAGE_PARTITIONS = `
do $$
declare
  day date;
  part text;
begin
  for day in
    select d::date
    from generate_series((now() at time zone 'utc')::date - 1, (now() at time zone 'utc')::date + 3, interval '1 day') as d
  loop
    part := 'messages_' || to_char(day, 'YYYY_MM_DD');
    if to_regclass(format('realtime.%I', part)) is null then
      execute format(
        'create table realtime.%I partition of realtime.messages for values from (%L) to (%L)',
        part, day::timestamp, (day + 1)::timestamp);
      execute format('alter table realtime.%I owner to supabase_realtime_admin', part);
    end if;
  end loop;
end
$$`;

export const PARTITION_UPKEEP_MS = 60 * 60 * 1000;
