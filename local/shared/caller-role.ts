/**
 * Switching a transaction to the caller's role, the one way every service does it (REST, Storage,
 * Realtime authorisation, Realtime postgres_changes). The settings are PostgREST's: the role, the
 * JWT claims (with the role the request runs as), and the request's method, path, headers and
 * cookies. All six are always set, transaction-local, so a policy or function reads the same names
 * through every door; a service without an HTTP request (Realtime) sets empty ones, which is what a
 * pooled connection shows for a custom setting outside a transaction that set it.
 * Services add their own settings after these (Storage `storage.operation`, Realtime `realtime.topic`).
 */
import type { Sql, TransactionSql } from 'postgres';

/** The HTTP request a caller made, as PostgREST exposes it to SQL. */
export interface CallerRequest {
  method: string;
  path: string;
  /** Header names lower-cased, as PostgREST writes them into `request.headers`. */
  headers: Record<string, string>;
  cookies: Record<string, string>;
}

export interface CallerIdentity {
  /** The Postgres role to switch to (`anon`, `authenticated`, `service_role`…). */
  role: string;
  /** The verified JWT claims; `role` in them is overwritten by the role the request runs as. */
  claims: Record<string, unknown>;
  request?: CallerRequest;
}

export type Setting = readonly [name: string, value: string];

/** The settings PostgREST sets for a request, in the order it sets them. */
export function callerSettings(caller: CallerIdentity): Setting[] {
  const request = caller.request;
  return [
    ['role', caller.role],
    ['request.jwt.claims', JSON.stringify({ ...caller.claims, role: caller.role })],
    ['request.method', request?.method ?? ''],
    ['request.path', request?.path ?? ''],
    ['request.headers', JSON.stringify(request?.headers ?? {})],
    ['request.cookies', JSON.stringify(request?.cookies ?? {})],
  ];
}

/**
 * Sets the caller's settings (and `extra` service settings after them) in the open transaction
 * `tx`, in one statement with the values as parameters.
 */
export async function switchToCaller(tx: TransactionSql | Sql, caller: CallerIdentity, extra: Setting[] = []): Promise<void> {
  const settings = [...callerSettings(caller), ...extra];
  const calls = settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`);
  await tx.unsafe(`select from (select ${calls.join(', ')}) caller_settings`, settings.flat());
}

/**
 * The request a Web `Request` describes: method, lower-cased headers (a fetch `Headers` already
 * joins repeated ones), parsed cookies, and `path` as the service sees it behind the gateway.
 */
export function callerRequestOf(request: Request, path: string): CallerRequest {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  return { method: request.method.toUpperCase(), path, headers, cookies: parseCookies(headers.cookie) };
}

/** `a=1; b=2` → `{ a: '1', b: '2' }`; pairs without `=` are skipped, as PostgREST skips them. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    cookies[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return cookies;
}
