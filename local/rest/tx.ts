/**
 * Runs one request as one transaction in a single round trip: a multi-statement simple query is
 * one implicit transaction, so the request GUCs (set as PostgREST sets them, read-only mode among
 * them for reads) and the main statement travel together and any error rolls everything back.
 */
import type { Sql } from 'postgres';
import { callerSettings } from '../shared/caller-role.ts';
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

/**
 * One statement setting every GUC of the request. `set_config('transaction_read_only', 'on', true)`
 * is what `set transaction read only` does, without a statement of its own. The settings are
 * evaluated in a subquery and the statement returns no columns: Postgres keeps volatile outputs of
 * a subquery it does not read, and the values set (the request headers among them) need not travel
 * back to be parsed and dropped.
 */
export function settingsSql(r: RequestContext, readOnly = r.readOnly): string {
  const settings = [
    ...(readOnly ? [setLocal('transaction_read_only', 'on')] : []),
    setLocal('search_path', [r.schema, ...r.extraSearchPath].map(ident).join(', ')),
    ...r.roleSettings.map(([k, v]) => setLocal(k, v)),
    ...callerSettings({ role: r.role, claims: r.claims, request: r }).map(([name, value]) => setLocal(name, value)),
  ];
  if (r.timezone) settings.push(setLocal('timezone', r.timezone));
  return `select from (select ${settings.join(', ')}) pgrst_settings`;
}

/**
 * Returns the result rows of each of `statements` (after the settings). `Prefer: tx=…` is not
 * honoured: Supabase runs PostgREST with its default `db-tx-end = commit`, which ignores it.
 */
export async function runRequest(sql: Sql, r: RequestContext, statements: string[]): Promise<Row[][]> {
  const text = [settingsSql(r), ...statements].join(';\n');
  return lastResults(await sql.unsafe(text), statements.length);
}

function lastResults(results: unknown, n: number): Row[][] {
  const all = results as Row[][];
  return all.slice(all.length - n);
}
