/** What every REST request needs before building SQL: role, schema, media type, preferences, range, body. */
import type { Context } from 'hono';
import type { Sql } from 'postgres';
import { parseCookies } from '../shared/caller-role.ts';
import type { JwtKeys } from '../shared/jwt.ts';
import { authenticate, type Auth } from './auth.ts';
import { invalidBody, RestError } from './errors.ts';
import { parsePrefer, type Preferences } from './parse/prefer.ts';
import type { SchemaCache } from './schema-cache.ts';
import type { RequestContext } from './tx.ts';

export interface RestState {
  sql: Sql;
  cache(): SchemaCache;
  schemas: string[];
  extraSearchPath: string[];
  maxRows: number | undefined;
  jwt: JwtKeys;
  anonRole: string;
  roleSettings(): Map<string, [string, string][]>;
  /** `pgrst.db_aggregates_enabled` from the authenticator role's settings. */
  aggregatesEnabled(): boolean;
}

export type Media = 'json' | 'object' | 'csv' | 'openapi';

export interface RestRequest {
  method: string;
  auth: Auth;
  schema: string;
  media: Media;
  prefer: Preferences;
  search: URLSearchParams;
  /** The path as PostgREST sees it (`/posts`, `/rpc/fn`), for `request.path`. */
  path: string;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  rangeHeader: { offset: number; limit: number | undefined } | undefined;
}

export async function readRequest(state: RestState, c: Context, path: string): Promise<RestRequest> {
  const method = c.req.method.toUpperCase();
  const headers = requestHeaders(c);
  const auth = await authenticate(state.jwt, headers.authorization, state.anonRole);
  const read = method === 'GET' || method === 'HEAD';
  const profile = read ? headers['accept-profile'] : headers['content-profile'];
  const schema = profile ?? state.schemas[0] ?? 'public';
  if (!state.schemas.includes(schema)) {
    throw new RestError(406, 'PGRST106', `Invalid schema: ${schema}`, null, `Only the following schemas are exposed: ${state.schemas.join(', ')}`);
  }
  const prefer = parsePrefer(headers.prefer);
  if (prefer.handling === 'strict' && prefer.invalid.length > 0) {
    throw new RestError(400, 'PGRST122', 'Invalid preferences given with handling=strict', `Invalid preferences: ${prefer.invalid.join(', ')}`);
  }
  const url = new URL(c.req.url);
  return {
    method,
    auth,
    schema,
    media: negotiate(headers.accept, path === '/'),
    prefer,
    search: url.searchParams,
    path,
    headers,
    cookies: parseCookies(headers.cookie),
    rangeHeader: read ? parseRange(headers.range, headers['range-unit']) : undefined,
  };
}

/**
 * The request's headers as a fetch `Headers` object lists them, which is what `request.headers`
 * shows: lower-case names in sorted order, a repeated header joined with `, ` (`cookie` with `; `),
 * the last `set-cookie`. Under the Node server they are read from the raw header list, sparing a
 * `Headers` object per request; the one header the gateway rewrites before REST sees it
 * (`Authorization`: an sb_ key or a missing bearer becomes a role JWT) is read back from the request.
 */
function requestHeaders(c: Context): Record<string, string> {
  const headers: Record<string, string> = {};
  const raw = (c.env as { incoming?: { rawHeaders?: unknown } } | undefined)?.incoming?.rawHeaders;
  if (!Array.isArray(raw)) {
    for (const [k, v] of c.req.raw.headers) headers[k.toLowerCase()] = v;
    return headers;
  }
  const merged = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    if (name.startsWith(':')) continue;
    const value = trimHttpWhitespace(String(raw[i + 1]));
    const prior = merged.get(name);
    merged.set(name, prior === undefined || name === 'set-cookie' ? value : prior + (name === 'cookie' ? '; ' : ', ') + value);
  }
  const authorization = c.req.header('authorization');
  if (authorization === undefined) merged.delete('authorization');
  else merged.set('authorization', authorization);
  for (const name of [...merged.keys()].sort()) headers[name] = merged.get(name)!;
  return headers;
}

/** Strips leading and trailing tabs, spaces, CRs and LFs, as `Headers` normalises a value. */
function trimHttpWhitespace(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && isHttpWhitespace(value.charCodeAt(start))) start++;
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--;
  return start === 0 && end === value.length ? value : value.slice(start, end);
}

const isHttpWhitespace = (code: number) => code === 9 || code === 10 || code === 13 || code === 32;

export function txContext(state: RestState, r: RestRequest, readOnly: boolean): RequestContext {
  return {
    role: r.auth.role,
    claims: r.auth.claims,
    method: r.method,
    path: r.path,
    headers: r.headers,
    cookies: r.cookies,
    schema: r.schema,
    extraSearchPath: state.extraSearchPath,
    readOnly,
    roleSettings: state.roleSettings().get(r.auth.role) ?? [],
    timezone: r.prefer.timezone,
  };
}

function negotiate(accept: string | undefined, root: boolean): Media {
  if (!accept || accept.trim() === '') return root ? 'openapi' : 'json';
  const types = accept
    .split(',')
    .map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { type } of types) {
    if (root && (type === 'application/openapi+json' || type === 'application/json' || type === '*/*' || type === 'application/*')) return 'openapi';
    if (type === 'application/json' || type === '*/*' || type === 'application/*') return 'json';
    if (type === 'application/vnd.pgrst.object+json' || type === 'application/vnd.pgrst.object') return 'object';
    if (type === 'text/csv' || type === 'text/*') return 'csv';
  }
  throw new RestError(406, 'PGRST107', `None of these media types are available: ${types.map((t) => t.type).join(', ')}`);
}

function parseRange(header: string | undefined, unit: string | undefined): RestRequest['rangeHeader'] {
  if (!header || (unit !== undefined && unit.toLowerCase() !== 'items')) return undefined;
  const m = /^(?:items=)?\s*(\d+)-(\d*)\s*$/.exec(header);
  if (!m) return undefined;
  const lower = Number(m[1]);
  const upper = m[2] ? Number(m[2]) : undefined;
  if (upper !== undefined && lower > upper) {
    throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
      'The lower boundary must be lower than or equal to the upper boundary in the Range header.');
  }
  return { offset: lower, limit: upper === undefined ? undefined : upper - lower + 1 };
}

/** Intersects the Range header with limit/offset and caps by max_rows, as PostgREST's range. */
export function effectiveRange(
  header: RestRequest['rangeHeader'],
  limit: number | undefined,
  offset: number | undefined,
  maxRows: number | undefined,
): { offset: number; limit: number | undefined } {
  let lower = offset ?? 0;
  let upper = limit !== undefined ? lower + limit - 1 : Infinity;
  if (header) {
    const hUpper = header.limit !== undefined ? header.offset + header.limit - 1 : Infinity;
    lower = Math.max(lower, header.offset);
    upper = Math.min(upper, hUpper);
  }
  if (maxRows !== undefined) upper = Math.min(upper, lower + maxRows - 1);
  return { offset: lower, limit: upper === Infinity ? undefined : Math.max(0, upper - lower + 1) };
}

/** The JSON body of a write; PostgREST's PGRST102 when it is empty or not JSON. */
export async function readJsonBody(c: Context, allowEmpty: boolean): Promise<unknown> {
  const text = await c.req.text();
  const type = (c.req.header('content-type') ?? 'application/json').toLowerCase();
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  if (text.trim() === '') {
    if (allowEmpty) return {};
    throw invalidBody('Empty or invalid json');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidBody('Empty or invalid json');
  }
}
