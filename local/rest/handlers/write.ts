/** POST (insert / upsert), PATCH, PUT and DELETE on a table or view. */
import type { Context } from 'hono';
import { deleteSql, insertSql, updateSql, type Returning } from '../build/mutate.ts';
import { readSql } from '../build/read.ts';
import { finalStatement, type BodyFormat } from '../build/statement.ts';
import { invalidBody, RestError } from '../errors.ts';
import type { Filter, LogicTree } from '../parse/filters.ts';
import { emptyEmbedParams, parseQuery, type QueryParams } from '../parse/query.ts';
import { planRead } from '../plan.ts';
import { readJsonBody, txContext, type RestRequest, type RestState } from '../request.ts';
import { contentRange, finalRow, respond } from '../response.ts';
import type { Column, Relation } from '../schema-cache.ts';
import { ident } from '../sql.ts';
import { runRequest } from '../tx.ts';
import { findRelation, selectItems } from './common.ts';

type JsonObject = Record<string, unknown>;

export async function handleWrite(state: RestState, r: RestRequest, name: string, c: Context): Promise<Response> {
  const cache = state.cache();
  const relation = findRelation(cache, r.schema, name);
  const params = parseQuery(r.search);
  const root = params.byPath.get('') ?? emptyEmbedParams();
  const ret = r.prefer.return ?? 'minimal';
  const pk = relation.primaryKey;
  const returning: Returning = ret === 'representation' ? 'all' : ret === 'headers-only' && r.method === 'POST' && pk.length > 0 ? pk : 'none';
  const applied: string[] = [];
  if (r.prefer.return) applied.push(`return=${r.prefer.return}`);

  let source: string;
  let status: number;
  switch (r.method) {
    case 'POST': {
      const body = await readJsonBody(c, false);
      const rows = Array.isArray(body) ? body : [body];
      if (!rows.every(isObject)) throw invalidBody('Empty or invalid json');
      const columns = payloadColumns(relation, rows as JsonObject[], params.columns);
      const resolution = r.prefer.resolution;
      if (resolution) applied.push(`resolution=${resolution}`);
      if (r.prefer.missing === 'default') applied.push('missing=default');
      source = rows.length === 0
        ? emptySource(relation, returning)
        : insertSql({
            relation,
            rows: rows as JsonObject[],
            columns,
            onConflict: resolution ? { columns: params.onConflict ?? pk, resolution } : undefined,
            missingDefault: r.prefer.missing === 'default',
            returning,
          });
      status = 201;
      break;
    }
    case 'PATCH': {
      const body = await readJsonBody(c, false);
      if (!isObject(body)) throw invalidBody('Empty or invalid json');
      const columns = payloadColumns(relation, [body], params.columns);
      source = updateSql({ relation, row: body, columns, filters: root.filters, order: root.order ?? [], limit: root.limit, offset: root.offset, returning });
      status = ret === 'representation' ? 200 : 204;
      break;
    }
    case 'PUT': {
      const body = await readJsonBody(c, false);
      const row = Array.isArray(body) && body.length === 1 ? body[0] : body;
      if (!isObject(row)) throw invalidBody('Empty or invalid json');
      checkPut(relation, root.filters, row, root.limit !== undefined || root.offset !== undefined);
      const columns = payloadColumns(relation, [row], params.columns);
      source = insertSql({ relation, rows: [row], columns, onConflict: { columns: pk, resolution: 'merge-duplicates' }, missingDefault: false, returning });
      status = ret === 'representation' ? 200 : 204;
      break;
    }
    case 'DELETE': {
      source = deleteSql({ relation, filters: root.filters, order: root.order ?? [], limit: root.limit, offset: root.offset, returning });
      status = ret === 'representation' ? 200 : 204;
      break;
    }
    default:
      throw new RestError(405, 'PGRST117', `Unsupported HTTP method: ${r.method}`);
  }

  let rows = 'SELECT * FROM pgrst_source';
  let format: BodyFormat = ret === 'headers-only' && returning !== 'none' ? 'json' : 'none';
  if (ret === 'representation') {
    const alias = ident(relation.name);
    const representationParams: QueryParams = { ...params, byPath: new Map(params.byPath) };
    representationParams.byPath.set('', emptyEmbedParams());
    const plan = planRead(cache, { relation, from: `pgrst_source AS ${alias}`, ref: alias }, selectItems(params.select), representationParams,
      { aggregates: state.aggregatesEnabled() });
    rows = readSql(plan);
    format = r.media === 'csv' ? 'csv' : r.media === 'object' ? 'object' : 'json';
  }
  const strict = r.prefer.handling === 'strict' && r.prefer.maxAffected !== undefined && r.method !== 'POST';
  if (strict) applied.push('handling=strict', `max-affected=${r.prefer.maxAffected}`);
  const statement = finalStatement({
    source,
    rows,
    body: format,
    requireSingle: r.media === 'object',
    maxAffected: strict ? r.prefer.maxAffected : undefined,
  });
  const results = await runRequest(state.sql, txContext(state, r, false), [statement]);
  const row = finalRow(results[0]?.[0]);

  const headers: Record<string, string> = {
    'Content-Range': r.method === 'POST' ? '*/*' : contentRange(0, row.pageTotal, undefined),
  };
  if (applied.length > 0) headers['Preference-Applied'] = applied.join(', ');
  if (ret === 'headers-only' && r.method === 'POST' && row.pageTotal === 1 && pk.length > 0) {
    const inserted = (JSON.parse(row.body) as JsonObject[])[0] ?? {};
    headers.Location = `/${name}?${pk.map((col) => `${col}=eq.${String(inserted[col])}`).join('&')}`;
  }
  return respond(r, status, ret === 'representation' ? row.body : null, headers, row, state.schemas);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The columns written: `columns=` when given, else the payload's keys (the same in every object). */
function payloadColumns(relation: Relation, rows: JsonObject[], requested: string[] | undefined): Column[] {
  let names: string[];
  if (requested) {
    names = requested;
  } else {
    names = Object.keys(rows[0] ?? {});
    const first = new Set(names);
    for (const row of rows) {
      const keys = Object.keys(row);
      if (keys.length !== first.size || !keys.every((k) => first.has(k))) throw invalidBody('All object keys must match');
    }
  }
  return names.map((n) => {
    const column = relation.columnsByName.get(n);
    if (!column) throw new RestError(400, 'PGRST204', `Could not find the '${n}' column of '${relation.name}' in the schema cache`);
    return column;
  });
}

function emptySource(relation: Relation, returning: Returning): string {
  const table = `${ident(relation.schema)}.${ident(relation.name)}`;
  return `SELECT ${returning === 'none' ? '1' : `${table}.*`} FROM ${table} WHERE false`;
}

/** PUT replaces one row: filters must be exactly `pk=eq.value` for every key column, matching the body. */
function checkPut(relation: Relation, filters: (Filter | LogicTree)[], row: JsonObject, limited: boolean): void {
  if (limited) throw new RestError(400, 'PGRST114', 'limit/offset querystring parameters are not allowed for PUT');
  const pk = relation.primaryKey;
  const eqs = filters.filter((f): f is Filter => f.kind === 'filter' && f.condition.op === 'eq' && !f.condition.negated && !f.condition.quantifier && f.field.path.length === 0);
  const names = new Set(eqs.map((f) => f.field.name));
  if (pk.length === 0 || eqs.length !== filters.length || eqs.length !== pk.length || !pk.every((k) => names.has(k))) {
    throw new RestError(405, 'PGRST105', "Filters must include all and only primary key columns with 'eq' operators");
  }
  for (const f of eqs) {
    const value = row[f.field.name];
    if (value === undefined || String(value) !== f.condition.value) {
      throw new RestError(400, 'PGRST115', 'Payload values do not match URL in primary key column(s)');
    }
  }
}
