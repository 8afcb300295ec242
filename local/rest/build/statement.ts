/**
 * The final statement of every request, shaped like PostgREST's: the rows CTE plus one aggregate row
 * (total count, page count, body, response.headers / response.status GUCs).
 */
import { literal } from '../sql.ts';

export type BodyFormat =
  | 'json' // array of rows
  | 'object' // first row (singular media type, or a function returning one composite)
  | 'csv'
  | 'scalar' // first row's pgrst_scalar
  | 'scalar-set' // array of pgrst_scalar
  | 'none';

export interface StatementParts {
  /** Data-modifying or function-calling CTE, read by `rows` as `pgrst_source`. */
  source?: string;
  /** Rows of the response. */
  rows: string;
  /** Rows to count for `count=exact` (without limit/offset). */
  count?: string;
  body: BodyFormat;
  /** Fail (rolling the transaction back) unless exactly one row: singular responses of writes. */
  requireSingle?: boolean;
  /** Fail when more rows than this are affected (`Prefer: max-affected` with handling=strict). */
  maxAffected?: number;
}

/** Errors raised on purpose from SQL (a failed cast), recognised by their text in `statement error`. */
export const SINGULAR_MARK = 'pgrst-singular:';
export const MAX_AFFECTED_MARK = 'pgrst-max-affected:';

export function finalStatement(p: StatementParts): string {
  const ctes = [
    p.source !== undefined ? `pgrst_source AS (${p.source})` : undefined,
    p.count !== undefined ? `pgrst_source_count AS (${p.count})` : undefined,
    `pgrst_rows AS (${p.rows})`,
  ].filter(Boolean);
  const pageTotal = 'pg_catalog.count(_postgrest_t)';
  const checks: string[] = [];
  if (p.requireSingle) {
    checks.push(`CASE WHEN ${pageTotal} <> 1 THEN (${literal(SINGULAR_MARK)} || ${pageTotal})::int END`);
  }
  if (p.maxAffected !== undefined) {
    checks.push(`CASE WHEN ${pageTotal} > ${p.maxAffected} THEN (${literal(MAX_AFFECTED_MARK)} || ${pageTotal})::int END`);
  }
  return [
    `WITH ${ctes.join(', ')}`,
    'SELECT',
    `${p.count !== undefined ? '(SELECT pg_catalog.count(*) FROM pgrst_source_count)' : 'NULL::bigint'} AS total_result_set,`,
    `${pageTotal} AS page_total,`,
    `${bodySql(p.body)} AS body,`,
    checks.length > 0 ? `${checks.map((c) => `(${c})`).join(' + ')} AS pgrst_check,` : '',
    `nullif(current_setting('response.headers', true), '') AS response_headers,`,
    `nullif(current_setting('response.status', true), '') AS response_status`,
    'FROM pgrst_rows _postgrest_t',
  ].filter(Boolean).join(' ');
}

function bodySql(format: BodyFormat): string {
  switch (format) {
    case 'json':
      return `coalesce(json_agg(_postgrest_t), '[]')::text`;
    case 'object':
      return `coalesce((json_agg(_postgrest_t)->0)::text, 'null')`;
    case 'scalar':
      return `coalesce((json_agg(_postgrest_t.pgrst_scalar)->0)::text, 'null')`;
    case 'scalar-set':
      return `coalesce(json_agg(_postgrest_t.pgrst_scalar), '[]')::text`;
    case 'none':
      return `''`;
    case 'csv':
      return (
        `(SELECT coalesce(string_agg(a.k, ','), '') FROM (SELECT json_object_keys(r) AS k FROM ` +
        `(SELECT row_to_json(hh) AS r FROM pgrst_rows AS hh LIMIT 1) AS s) AS a) || chr(10) || ` +
        `coalesce(string_agg(substring(_postgrest_t::text, 2, length(_postgrest_t::text) - 2), chr(10)), '')`
      );
  }
}
