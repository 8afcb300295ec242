/**
 * Runs one request as one transaction in a single round trip: a multi-statement simple query is
 * one implicit transaction, so `set transaction read only`, the request GUCs (set as PostgREST sets
 * them) and the main statement travel together and any error rolls everything back.
 */
import type { Sql } from 'postgres';
import { ident, setLocal } from './sql.ts';

export interface RequestContext {
  role: string;
  claims: Record<string, unknown>;
  method: string;
  path: string;
  headers: Record<string, string>;
  cookies: Record<string, string>;
  schema: string;
  extraSearchPath: string[];
  readOnly: boolean;
  /** Settings of the impersonated role that PostgREST applies per request (statement_timeout…). */
  roleSettings: [string, string][];
  timezone?: string;
}

export type Row = Record<string, unknown>;

export function settingsSql(r: RequestContext): string {
  const settings = [
    setLocal('search_path', [r.schema, ...r.extraSearchPath].map(ident).join(', ')),
    ...r.roleSettings.map(([k, v]) => setLocal(k, v)),
    setLocal('role', r.role),
    setLocal('request.jwt.claims', JSON.stringify({ ...r.claims, role: r.role })),
    setLocal('request.method', r.method),
    setLocal('request.path', r.path),
    setLocal('request.headers', JSON.stringify(r.headers)),
    setLocal('request.cookies', JSON.stringify(r.cookies)),
  ];
  if (r.timezone) settings.push(setLocal('timezone', r.timezone));
  return `select ${settings.join(', ')}`;
}

/**
 * Returns the result rows of each of `statements` (after the settings).
 * With `rollback`, the work is undone on a reserved connection (`Prefer: tx=rollback`).
 */
export async function runRequest(sql: Sql, r: RequestContext, statements: string[], rollback = false): Promise<Row[][]> {
  if (!rollback) {
    const text = [r.readOnly ? 'set transaction read only' : undefined, settingsSql(r), ...statements].filter(Boolean).join(';\n');
    return lastResults(await sql.unsafe(text), statements.length);
  }
  const reserved = await sql.reserve();
  try {
    const text = [r.readOnly ? 'begin read only' : 'begin', settingsSql(r), ...statements].join(';\n');
    return lastResults(await reserved.unsafe(text), statements.length);
  } finally {
    await reserved.unsafe('rollback').catch(() => undefined);
    reserved.release();
  }
}

function lastResults(results: unknown, n: number): Row[][] {
  const all = results as Row[][];
  return all.slice(all.length - n);
}
