import type { Sql } from 'postgres';
import { listenDurably, type DurableListener } from '../shared/listen.ts';
import type { Logger } from '../shared/logger.ts';
import { channelKey, type ChannelRegistry } from './registry.ts';

/**
 * Broadcast from the database: rows `realtime.send()` / `realtime.broadcast_changes()` insert into
 * realtime.messages reach the subscribers of their topic. Hosted Realtime streams that table through
 * logical replication; here an AFTER INSERT trigger sends the new row's id with pg_notify, which
 * Postgres delivers only after commit (rolled-back inserts, like the authorisation probes, never
 * arrive), and the row is read back by id — so payloads of any size work despite NOTIFY's 8 kB cap.
 */

const MESSAGES_CHANNEL = 'marquee_realtime_messages';

const TRIGGER_SQL = `
create or replace function realtime.marquee_notify_message()
returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
begin
  if new.extension = 'broadcast' then
    perform pg_notify('${MESSAGES_CHANNEL}', json_build_object('id', new.id, 'inserted_at', new.inserted_at)::text);
  end if;
  return null;
end;
$function$;
revoke all on function realtime.marquee_notify_message() from public;
create or replace trigger marquee_notify_message
  after insert on realtime.messages
  for each row execute function realtime.marquee_notify_message();
`;

interface MessageRow {
  id: string;
  topic: string;
  event: string | null;
  payload: unknown;
  binary_payload: Buffer | null;
  private: boolean | null;
}

/** Installs the trigger (idempotent, as supabase_admin) and delivers every notified message. */
export async function startDatabaseBroadcast(sql: Sql, registry: ChannelRegistry, log: Logger): Promise<DurableListener> {
  await sql.unsafe(TRIGGER_SQL);
  return listenDurably(
    sql,
    MESSAGES_CHANNEL,
    (body) => void deliver(body).catch((error: Error) => log.warn('realtime: database broadcast failed', { error: error.message })),
    { log },
  );

  async function deliver(body: string): Promise<void> {
    const { id, inserted_at } = JSON.parse(body) as { id: string; inserted_at: string };
    const [row] = await sql<MessageRow[]>`
      select id, topic, event, payload, binary_payload, private from realtime.messages
      where id = ${id}::text::uuid and inserted_at = ${inserted_at}::text::timestamp`;
    if (!row) return;
    registry.broadcast(channelKey(row.topic, row.private ?? false), {
      event: row.event ?? '',
      payload: row.binary_payload ? undefined : row.payload,
      ...(row.binary_payload ? { binary: row.binary_payload } : {}),
      meta: { id: row.id },
      userPush: false,
    });
  }
}
