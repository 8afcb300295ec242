/** /rpc/:fn — POST with JSON arguments, GET/HEAD with query-string arguments (read-only). */
import type { Context } from 'hono';
import { readSql } from '../build/read.ts';
import { callSql, pickRoutine, type CallArgs } from '../build/rpc.ts';
import { finalStatement, type BodyFormat } from '../build/statement.ts';
import { invalidBody, RestError } from '../errors.ts';
import { parseQuery } from '../parse/query.ts';
import { planRead } from '../plan.ts';
import { effectiveRange, readJsonBody, txContext, type RestRequest, type RestState } from '../request.ts';
import { contentRange, finalRow, preferenceApplied, rangeStatus, respond } from '../response.ts';
import { key } from '../schema-cache.ts';
import { ident } from '../sql.ts';
import { runRequest } from '../tx.ts';
import { countStatements, plannedRows, selectItems, singularError } from './common.ts';

export async function handleRpc(state: RestState, r: RestRequest, name: string, c: Context): Promise<Response> {
  const cache = state.cache();
  const read = r.method === 'GET' || r.method === 'HEAD';
  if (!read && r.method !== 'POST') throw new RestError(405, 'PGRST101', `Cannot use the ${r.method} method on RPC`);

  const overloads = cache.routines.get(key(r.schema, name)) ?? [];
  const argNames = new Set(overloads.flatMap((o) => o.params.map((p) => p.name)));
  const params = parseQuery(r.search, read ? (n) => argNames.has(n) : undefined);

  let values: Record<string, unknown> = {};
  let body: unknown;
  if (read) {
    for (const [k, v] of params.raw) {
      const prior = values[k];
      values[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
    }
  } else {
    body = await readJsonBody(c, true);
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) values = body as Record<string, unknown>;
  }
  const singleObject = r.prefer.params === 'single-object';
  const { routine, singleParam } = pickRoutine(cache, r.schema, name, Object.keys(values), {
    singleObject: singleObject && !read,
    jsonBody: !read,
  });
  if (!singleParam && !read && (Array.isArray(body) || typeof body !== 'object' || body === null)) {
    throw invalidBody('Empty or invalid json');
  }
  const args: CallArgs = singleParam ? { kind: 'single', json: JSON.stringify(body ?? {}) } : { kind: 'named', values };

  let rows: string;
  let format: BodyFormat;
  const alias = ident(routine.name);
  const plan = planRead(cache, { relation: routine.returnRelation, from: `pgrst_source AS ${alias}`, ref: alias },
    selectItems(params.select), params, { aggregates: state.aggregatesEnabled() });
  const range = effectiveRange(r.rangeHeader, plan.limit, plan.offset, routine.returnsSet ? state.maxRows : undefined);
  plan.limit = range.limit;
  plan.offset = range.offset;
  if (routine.returnsComposite) {
    rows = readSql(plan);
    format = r.media === 'csv' ? 'csv' : r.media === 'object' || !routine.returnsSet ? 'object' : 'json';
  } else {
    const limits = [range.limit !== undefined ? `LIMIT ${range.limit}` : '', range.offset ? `OFFSET ${range.offset}` : ''].join(' ');
    rows = `SELECT pgrst_source.pgrst_scalar FROM pgrst_source ${limits}`;
    format = routine.returnsSet && r.media !== 'object' ? 'scalar-set' : 'scalar';
  }
  const counts = routine.returnsComposite
    ? countStatements(r.prefer, plan)
    : { exact: r.prefer.count ? 'SELECT 1 FROM pgrst_source' : undefined, planned: undefined };

  const statement = finalStatement({ source: callSql(routine, args), rows, count: counts.exact, body: routine.returnsVoid ? 'none' : format });
  const readOnly = read || routine.volatility !== 'v';
  const statements = counts.planned ? [counts.planned, statement] : [statement];
  const results = await runRequest(state.sql, txContext(state, r, readOnly), statements);
  const row = finalRow(results[results.length - 1]?.[0]);
  const total = r.prefer.count === 'planned' ? plannedRows(results[0]) : row.total;

  const applied: string[] = [];
  if (singleObject) applied.push('params=single-object');
  if (r.prefer.count) applied.push(`count=${r.prefer.count}`);
  if (routine.returnsVoid) return respond(r, 204, null, preferenceApplied(r, applied), row, state.schemas);
  if (r.media === 'object' && row.pageTotal !== 1) throw singularError(row.pageTotal);
  const status = routine.returnsSet ? rangeStatus(range.offset, row.pageTotal, total) : 200;
  return respond(r, status, row.body, {
    'Content-Range': contentRange(range.offset, row.pageTotal, total),
    ...preferenceApplied(r, applied),
  }, row, state.schemas);
}
