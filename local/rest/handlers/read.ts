/** GET / HEAD on a table or view. */
import { finalStatement } from '../build/statement.ts';
import { readSql } from '../build/read.ts';
import { parseQuery } from '../parse/query.ts';
import { planRead } from '../plan.ts';
import { effectiveRange, txContext, type RestRequest, type RestState } from '../request.ts';
import { contentRange, finalRow, preferenceApplied, rangeStatus, respond } from '../response.ts';
import { qualified } from '../sql.ts';
import { runRequest } from '../tx.ts';
import { countStatements, findRelation, plannedRows, selectItems, singularError } from './common.ts';

export async function handleRead(state: RestState, r: RestRequest, name: string): Promise<Response> {
  const cache = state.cache();
  const relation = findRelation(cache, r.schema, name);
  const params = parseQuery(r.search);
  const ref = qualified(relation.schema, relation.name);
  const plan = planRead(cache, { relation, from: ref, ref }, selectItems(params.select), params,
    { aggregates: state.aggregatesEnabled() });
  const range = effectiveRange(r.rangeHeader, plan.limit, plan.offset, state.maxRows);
  plan.limit = range.limit;
  plan.offset = range.offset;

  const { exact, planned } = countStatements(r.prefer, plan);
  const statement = finalStatement({
    rows: readSql(plan),
    count: exact,
    body: r.media === 'csv' ? 'csv' : r.media === 'object' ? 'object' : 'json',
  });
  const results = await runRequest(state.sql, txContext(state, r, true), planned ? [planned, statement] : [statement]);
  const row = finalRow(results[results.length - 1]?.[0]);
  const plannedTotal = planned ? plannedRows(results[0]) : undefined;
  const total =
    r.prefer.count === 'planned' ? plannedTotal
    : r.prefer.count === 'estimated' && state.maxRows !== undefined && (row.total ?? 0) > state.maxRows ? plannedTotal
    : row.total;

  if (r.media === 'object' && row.pageTotal !== 1) throw singularError(row.pageTotal);
  const status = rangeStatus(range.offset, row.pageTotal, total);
  return respond(r, status, row.body, {
    'Content-Range': contentRange(range.offset, row.pageTotal, total),
    ...preferenceApplied(r, r.prefer.count ? [`count=${r.prefer.count}`] : []),
  }, row, state.schemas);
}
