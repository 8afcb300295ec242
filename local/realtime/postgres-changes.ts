import type { Sql } from 'postgres';
import { switchToCaller } from '../shared/caller-role.ts';
import type { JwtClaims } from '../shared/jwt.ts';
import { listenDurably, type DurableListener } from '../shared/listen.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * postgres_changes. Hosted Realtime reads the WAL through a replication slot (wal2json); that plugin
 * is not available here, so changes are captured by a row trigger that realtime installs on each
 * table of the `supabase_realtime` publication (re-synced whenever a subscription is made) and sent
 * with pg_notify after commit — the same rows, in commit order, with no slot to manage.
 */

export const CHANGES_CHANNEL = 'marquee_realtime_changes';

/** The `data` of a postgres_changes push, as Realtime sends it. */
export interface ChangeEvent {
  schema: string;
  table: string;
  commit_timestamp: string;
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  columns: Array<{ name: string; type: string }>;
  record?: Record<string, unknown>;
  old_record?: Record<string, unknown>;
  errors: string[] | null;
}

export interface ChangeSubscription {
  id: number;
  schema: string;
  table: string;
  event: string;
  filter?: { column: string; op: string; value: string };
  claims: JwtClaims;
  deliver(ids: number[], change: ChangeEvent): void;
}

interface CapturedChange {
  schema: string;
  table: string;
  type: 'INSERT' | 'UPDATE' | 'DELETE';
  commit_timestamp: string;
  record: Record<string, unknown> | null;
  old_record: Record<string, unknown> | null;
  too_large?: boolean;
}

interface TableInfo {
  columns: Array<{ name: string; type: string }>;
  primaryKey: string[];
  replicaIdentityFull: boolean;
}

const CAPTURE_SQL = `
create or replace function realtime.marquee_capture_change()
returns trigger
language plpgsql
security definer
set search_path = ''
as $function$
declare
  body text;
begin
  body := json_build_object(
    'schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op,
    'commit_timestamp', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'record', case when tg_op <> 'DELETE' then to_jsonb(new) end,
    'old_record', case when tg_op <> 'INSERT' then to_jsonb(old) end)::text;
  if octet_length(body) > 7900 then
    body := json_build_object('schema', tg_table_schema, 'table', tg_table_name, 'type', tg_op,
      'commit_timestamp', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
      'record', null, 'old_record', null, 'too_large', true)::text;
  end if;
  perform pg_notify('${CHANGES_CHANNEL}', body);
  return null;
end;
$function$;
revoke all on function realtime.marquee_capture_change() from public;
`;

const TRIGGER = 'marquee_realtime_capture';
const OPS = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in']);

export class PostgresChangesHub {
  private readonly subscriptions = new Set<ChangeSubscription>();
  private nextId = 1;
  private readonly tables = new Map<string, TableInfo>();
  /** Changes are dispatched one at a time, so subscribers see them in commit order. */
  private queue: Promise<void> = Promise.resolve();
  private listener: DurableListener | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly log: Logger,
  ) {}

  /** Installs the capture function and starts listening. */
  async start(): Promise<void> {
    await this.sql.unsafe(CAPTURE_SQL);
    this.listener = await listenDurably(this.sql, CHANGES_CHANNEL, (body) => {
      this.queue = this.queue.then(() => this.dispatch(body));
    }, { log: this.log });
  }

  /** Stops listening for changes. */
  async stop(): Promise<void> {
    await this.listener?.unlisten();
  }

  async subscribe(params: Record<string, unknown>, claims: JwtClaims, deliver: ChangeSubscription['deliver']): Promise<ChangeSubscription> {
    const subscription: ChangeSubscription = {
      id: this.nextId++,
      schema: typeof params.schema === 'string' ? params.schema : 'public',
      table: typeof params.table === 'string' ? params.table : '*',
      event: typeof params.event === 'string' ? params.event.toUpperCase() : '*',
      filter: parseFilter(params.filter),
      claims,
      deliver,
    };
    this.subscriptions.add(subscription);
    await this.syncTriggers().catch((error: Error) => this.log.warn('realtime: capture sync failed', { error: error.message }));
    return subscription;
  }

  unsubscribe(subscription: ChangeSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** Puts the capture trigger on every table of the publication, and takes it off the others. */
  private async syncTriggers(): Promise<void> {
    this.tables.clear();
    const published = await this.sql<{ schemaname: string; tablename: string }[]>`
      select schemaname, tablename from pg_publication_tables where pubname = 'supabase_realtime'`;
    const captured = await this.sql<{ schema: string; table: string }[]>`
      select n.nspname as schema, c.relname as table from pg_trigger t
      join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
      where t.tgname = ${TRIGGER} and not t.tgisinternal`;
    const wanted = new Set(published.map((t) => `${t.schemaname}.${t.tablename}`));
    const have = new Set(captured.map((t) => `${t.schema}.${t.table}`));
    for (const t of published) {
      if (have.has(`${t.schemaname}.${t.tablename}`)) continue;
      await this.sql.unsafe(
        `create or replace trigger ${TRIGGER} after insert or update or delete on ${ident(t.schemaname)}.${ident(t.tablename)}
         for each row execute function realtime.marquee_capture_change()`,
      );
    }
    for (const t of captured) {
      if (!wanted.has(`${t.schema}.${t.table}`)) await this.sql.unsafe(`drop trigger if exists ${TRIGGER} on ${ident(t.schema)}.${ident(t.table)}`);
    }
  }

  private async dispatch(body: string): Promise<void> {
    try {
      const captured = JSON.parse(body) as CapturedChange;
      const matching = [...this.subscriptions].filter((s) => matches(s, captured));
      if (!matching.length) return;
      const info = await this.tableInfo(captured.schema, captured.table);
      const change: ChangeEvent = {
        schema: captured.schema,
        table: captured.table,
        commit_timestamp: captured.commit_timestamp,
        type: captured.type,
        columns: info.columns,
        errors: captured.too_large ? ['Error 413: Payload Too Large'] : null,
      };
      if (captured.type !== 'DELETE') change.record = captured.record ?? {};
      if (captured.type !== 'INSERT') change.old_record = oldRecord(captured.old_record, info);
      // One push per subscriber channel, carrying the ids of its matching subscriptions.
      const byDeliver = new Map<ChangeSubscription['deliver'], ChangeSubscription[]>();
      for (const s of matching) byDeliver.set(s.deliver, [...(byDeliver.get(s.deliver) ?? []), s]);
      for (const [deliver, subs] of byDeliver) {
        if (await this.visible(subs[0]!.claims, captured, info)) deliver(subs.map((s) => s.id), change);
      }
    } catch (error) {
      this.log.warn('realtime: change dispatch failed', { error: (error as Error).message });
    }
  }

  /**
   * Whether the subscriber's role may see the row. A role that may select the table and is not
   * subject to its RLS (bypassrls, or RLS off) sees every row; otherwise the row is selected by
   * primary key as that role with its claims (RLS applies), in a rolled-back transaction. Deletes
   * carry no row to check, as in Realtime.
   */
  private async visible(claims: JwtClaims, change: CapturedChange, info: TableInfo): Promise<boolean> {
    if (change.type === 'DELETE' || !change.record) return true;
    const role = String(claims.role);
    const table = `${ident(change.schema)}.${ident(change.table)}`;
    const [access] = await this.sql<{ can_select: boolean; unrestricted: boolean }[]>`
      select has_table_privilege(r.oid, c.oid, 'SELECT') as can_select, (r.rolbypassrls or not c.relrowsecurity) as unrestricted
      from pg_class c, pg_roles r where c.oid = ${table}::regclass and r.rolname = ${role}`;
    if (!access?.can_select) return false;
    if (access.unrestricted || !info.primaryKey.length) return true;
    const record = change.record;
    let seen = false;
    await this.sql
      .begin(async (tx) => {
        await switchToCaller(tx, { role, claims });
        const where = info.primaryKey
          .map((column, i) => `${ident(column)} = $${i + 1}::text::${info.columns.find((c) => c.name === column)?.type ?? 'text'}`)
          .join(' and ');
        const keyValues = info.primaryKey.map((column) => stringValue(record[column]));
        const rows = await tx.unsafe(`select 1 from ${table} where ${where}`, keyValues);
        seen = rows.length > 0;
        throw new RollbackSignal();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RollbackSignal)) seen = false;
      });
    return seen;
  }

  private async tableInfo(schema: string, table: string): Promise<TableInfo> {
    const key = `${schema}.${table}`;
    const cached = this.tables.get(key);
    if (cached) return cached;
    const columns = await this.sql<{ name: string; type: string; pk: boolean }[]>`
      select a.attname as name, t.typname as type,
        coalesce(a.attnum = any(i.indkey), false) as pk
      from pg_attribute a
      join pg_type t on t.oid = a.atttypid
      left join pg_index i on i.indrelid = a.attrelid and i.indisprimary
      where a.attrelid = ${key}::regclass and a.attnum > 0 and not a.attisdropped
      order by a.attnum`;
    const [identity] = await this.sql<{ full: boolean }[]>`select relreplident = 'f' as full from pg_class where oid = ${key}::regclass`;
    const info: TableInfo = {
      columns: columns.map(({ name, type }) => ({ name, type })),
      primaryKey: columns.filter((c) => c.pk).map((c) => c.name),
      replicaIdentityFull: identity?.full ?? false,
    };
    this.tables.set(key, info);
    return info;
  }
}

class RollbackSignal extends Error {}

/** Without REPLICA IDENTITY FULL, the WAL (so Realtime) only has the old row's primary key. */
function oldRecord(old: Record<string, unknown> | null, info: TableInfo): Record<string, unknown> {
  if (!old) return {};
  if (info.replicaIdentityFull) return old;
  return Object.fromEntries(info.primaryKey.map((column) => [column, old[column]]));
}

function matches(s: ChangeSubscription, change: CapturedChange): boolean {
  if (s.schema !== '*' && s.schema !== change.schema) return false;
  if (s.table !== '*' && s.table !== change.table) return false;
  if (s.event !== '*' && s.event !== change.type) return false;
  if (!s.filter) return true;
  const row = change.type === 'DELETE' ? change.old_record : change.record;
  if (!row || !(s.filter.column in row)) return false;
  return compare(row[s.filter.column], s.filter.op, s.filter.value);
}

function parseFilter(filter: unknown): ChangeSubscription['filter'] {
  if (typeof filter !== 'string' || !filter) return undefined;
  const match = /^([^=]+)=([a-z]+)\.(.*)$/s.exec(filter);
  if (!match || !OPS.has(match[2]!)) return undefined;
  return { column: match[1]!, op: match[2]!, value: match[3]! };
}

function compare(actual: unknown, op: string, expected: string): boolean {
  const value = stringValue(actual);
  if (op === 'in') {
    const list = expected.replace(/^\(|\)$/g, '').split(',').map((v) => v.trim().replace(/^"|"$/g, ''));
    return value !== null && list.includes(value);
  }
  if (value === null) return false;
  const numeric = Number(value) - Number(expected);
  const order = Number.isFinite(numeric) && value.trim() !== '' && expected.trim() !== '' ? Math.sign(numeric) : value < expected ? -1 : value > expected ? 1 : 0;
  switch (op) {
    case 'eq': return order === 0;
    case 'neq': return order !== 0;
    case 'lt': return order < 0;
    case 'lte': return order <= 0;
    case 'gt': return order > 0;
    case 'gte': return order >= 0;
    default: return false;
  }
}

function stringValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
