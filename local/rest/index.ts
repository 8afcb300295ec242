/**
 * Marquee Local REST: a PostgREST-compatible service for `/rest/v1` (URL grammar, headers, errors
 * and per-request transaction as PostgREST v12 documents them).
 */
import { Hono, type Context } from 'hono';
import postgres from 'postgres';
import { listenDurably } from '../shared/listen.ts';
import { dbUrl, section } from '../config/index.ts';
import type { Service, ServiceContext } from '../shared/context.ts';
import { MAX_AFFECTED_MARK, SINGULAR_MARK } from './build/statement.ts';
import { fromPgError, RestError } from './errors.ts';
import { handleRead } from './handlers/read.ts';
import { handleRpc } from './handlers/rpc.ts';
import { handleWrite } from './handlers/write.ts';
import { openApi, VISIBLE_SQL } from './openapi.ts';
import { readRequest, txContext, type RestRequest, type RestState } from './request.ts';
import { errorResponse, respond } from './response.ts';
import { loadSchemaCache, type SchemaCache } from './schema-cache.ts';
import { runRequest } from './tx.ts';

const ALLOW = 'OPTIONS,GET,HEAD,POST,PUT,PATCH,DELETE';
/** Role settings PostgREST applies per request for the impersonated role. */
const ROLE_SETTINGS = new Set(['statement_timeout', 'lock_timeout', 'idle_in_transaction_session_timeout']);

export async function createRestService(ctx: ServiceContext): Promise<Service> {
  const api = section(ctx.config.toml, 'api');
  const schemas = stringList(api.schemas) ?? ['public', 'graphql_public'];
  const extraSearchPath = stringList(api.extra_search_path) ?? ['public', 'extensions'];
  const maxRows = typeof api.max_rows === 'number' && api.max_rows > 0 ? api.max_rows : undefined;
  const log = ctx.log.child({ service: 'rest' });

  const sql = postgres(dbUrl(ctx.config, 'authenticator'), {
    max: 16,
    idle_timeout: 60,
    fetch_types: false,
    onnotice: () => undefined,
    connection: { application_name: 'marquee-rest' },
  });

  let cache: SchemaCache = await loadSchemaCache(sql, schemas);
  let settings = await loadRoleSettings(sql);
  let reloading: Promise<void> | undefined;
  const reload = () => {
    reloading ??= (async () => {
      try {
        cache = await loadSchemaCache(sql, schemas);
        settings = await loadRoleSettings(sql);
        log.info('schema cache reloaded', { relations: cache.relations.size });
      } catch (error) {
        log.error('schema cache reload failed', { error: (error as Error).message });
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };
  // PostgREST listens on channel `pgrst`: 'reload schema' (or an empty payload) and 'reload config'.
  // Reloaded too when the LISTEN comes back after a lost connection: a reload may have been missed.
  const listener = await listenDurably(sql, 'pgrst', () => void reload(), { log, onRestored: () => void reload() });

  const state: RestState = {
    sql,
    cache: () => cache,
    schemas,
    extraSearchPath,
    maxRows,
    jwt: ctx.jwt,
    anonRole: 'anon',
    roleSettings: () => settings.perRole,
    aggregatesEnabled: () => configBool(settings.inDbConfig.get('db_aggregates_enabled')) ?? false,
  };

  const app = new Hono();
  const serve = (route: (r: RestRequest, c: Context) => Promise<Response>, pathOf: (c: Context) => string) => async (c: Context) => {
    let authenticated = false;
    try {
      if (c.req.method === 'OPTIONS') return new Response(null, { status: 200, headers: { Allow: ALLOW } });
      const r = await readRequest(state, c, pathOf(c));
      authenticated = r.auth.authenticated;
      return await route(r, c);
    } catch (error) {
      return errorResponse(toRestError(error, authenticated, log));
    }
  };

  const root = serve((r) => rootDocument(state, r, ctx.config.host), () => '/');
  const rpc = serve((r, c) => handleRpc(state, r, c.req.param('fn')!, c), (c) => `/rpc/${c.req.param('fn')}`);
  app.all('/', root);
  app.all('/:relation', serve((r, c) => {
    const name = c.req.param('relation')!;
    return r.method === 'GET' || r.method === 'HEAD' ? handleRead(state, r, name) : handleWrite(state, r, name, c);
  }, (c) => `/${c.req.param('relation')}`));
  // `/rpc/:fn` as a parameter rather than a static segment beside `/:relation`: Hono's RegExpRouter
  // (far cheaper per request than its trie router) cannot mix the two; other pairs fall through.
  app.all('/:relation/:fn', async (c, next) => {
    if (c.req.param('relation') === 'rpc') return rpc(c);
    await next();
  });
  // `/rest/v1/` (trailing slash) is the root too; the gateway's router is strict about slashes.
  app.all('*', (c) => (/^(\/rest\/v1)?\/$/.test(c.req.path) ? root(c)
    : errorResponse(new RestError(404, 'PGRST125', 'Invalid path specified in request URL'))));

  return {
    app,
    async close() {
      await listener.unlisten().catch(() => undefined);
      await sql.end({ timeout: 5 });
    },
  };
}

async function rootDocument(state: RestState, r: RestRequest, host: string): Promise<Response> {
  if (r.method !== 'GET' && r.method !== 'HEAD') throw new RestError(405, 'PGRST117', `Unsupported HTTP method: ${r.method}`);
  const [rows] = await runRequest(state.sql, txContext(state, r, true), [VISIBLE_SQL(r.schema)]);
  const row = rows?.[0] ?? {};
  const visible = {
    relations: new Set(JSON.parse(String(row.relations ?? '[]')) as string[]),
    routines: new Set(JSON.parse(String(row.routines ?? '[]')) as string[]),
  };
  const doc = openApi(state.cache(), r.schema, visible, host);
  return respond({ ...r, media: 'openapi' }, 200, JSON.stringify(doc), { 'Content-Type': 'application/openapi+json; charset=utf-8' }, undefined, state.schemas);
}

function toRestError(error: unknown, authenticated: boolean, log: ServiceContext['log']): RestError {
  if (error instanceof RestError) return error;
  const e = error as { code?: string; message?: string; detail?: string; hint?: string; name?: string };
  if (e.name === 'PostgresError' && typeof e.code === 'string') {
    const message = e.message ?? '';
    const singular = message.indexOf(SINGULAR_MARK);
    if (e.code === '22P02' && singular >= 0) {
      const n = parseInt(message.slice(singular + SINGULAR_MARK.length), 10);
      return new RestError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${n} rows`);
    }
    const affected = message.indexOf(MAX_AFFECTED_MARK);
    if (e.code === '22P02' && affected >= 0) {
      const n = parseInt(message.slice(affected + MAX_AFFECTED_MARK.length), 10);
      return new RestError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint', `The query affects ${n} rows`);
    }
    return fromPgError({ code: e.code, message, detail: e.detail, hint: e.hint }, authenticated);
  }
  if (['ECONNREFUSED', 'ECONNRESET', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT'].includes(e.code ?? '')) {
    return new RestError(503, 'PGRST000', 'Database connection error. Retrying the connection.', e.message ?? null);
  }
  log.error('unexpected error', { error: e.message, stack: (error as Error).stack });
  return new RestError(500, 'PGRSTX00', e.message ?? 'Internal server error');
}

interface RoleSettings {
  /** Per role, the settings PostgREST applies per request when it impersonates that role. */
  perRole: Map<string, [string, string][]>;
  /**
   * PostgREST's in-database configuration: the `pgrst.*` settings of the role it connects as
   * (`alter role authenticator set pgrst.db_aggregates_enabled = 'true'`).
   */
  inDbConfig: Map<string, string>;
}

/**
 * Role settings, read at start and on `NOTIFY pgrst` in one query; a setting for this database
 * wins over one for all databases.
 */
async function loadRoleSettings(sql: postgres.Sql): Promise<RoleSettings> {
  const rows = await sql<{ role: string; self: boolean; setting: string }[]>`
    select r.rolname as role, r.rolname = current_user as self, unnest(s.setconfig) as setting
    from pg_db_role_setting s join pg_roles r on r.oid = s.setrole
    where s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
    order by s.setdatabase`;
  const perRole = new Map<string, Map<string, string>>();
  const inDbConfig = new Map<string, string>();
  for (const { role, self, setting } of rows) {
    const i = setting.indexOf('=');
    const name = setting.slice(0, i);
    const value = setting.slice(i + 1);
    if (ROLE_SETTINGS.has(name)) perRole.set(role, (perRole.get(role) ?? new Map()).set(name, value));
    if (self && name.startsWith('pgrst.')) inDbConfig.set(name.slice('pgrst.'.length), value);
  }
  return { perRole: new Map([...perRole].map(([role, settings]) => [role, [...settings]])), inDbConfig };
}

/** A boolean as PostgREST's config reads one from text: true/false in any case, or a number (> 0 is true). */
function configBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  return /^-?\d+$/.test(v) ? Number(v) > 0 : undefined;
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : undefined;
}
