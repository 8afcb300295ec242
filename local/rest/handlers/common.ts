/** Steps shared by the read, write and RPC handlers. */
import { RestError } from '../errors.ts';
import { countSql } from '../build/read.ts';
import type { ReadPlan } from '../plan.ts';
import type { Preferences } from '../parse/prefer.ts';
import { parseSelect, type SelectItem } from '../parse/select.ts';
import { key, type Relation, type SchemaCache } from '../schema-cache.ts';

export function selectItems(text: string | undefined): SelectItem[] {
  return text === undefined || text.trim() === '' ? [{ kind: 'star' }] : parseSelect(text);
}

export function findRelation(cache: SchemaCache, schema: string, name: string): Relation {
  const relation = cache.relations.get(key(schema, name));
  if (relation) return relation;
  const names = [...cache.relations.values()].filter((r) => r.schema === schema).map((r) => r.name);
  const close = names.find((n) => similar(n, name));
  throw new RestError(404, 'PGRST205', `Could not find the table '${schema}.${name}' in the schema cache`, null,
    close ? `Perhaps you meant the table '${schema}.${close}'` : null);
}

/** Cheap stand-in for PostgREST's fuzzy match: same letters give or take one edit. */
function similar(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return a.slice(i + 1) === b.slice(i + 1) || a.slice(i) === b.slice(i + 1) || a.slice(i + 1) === b.slice(i);
}

/** Extra statements and count handling for `Prefer: count=…`. */
export function countStatements(prefer: Preferences, plan: ReadPlan): { exact: string | undefined; planned: string | undefined } {
  if (!prefer.count) return { exact: undefined, planned: undefined };
  const count = countSql({ ...plan, limit: undefined, offset: undefined, order: [] });
  return {
    exact: prefer.count === 'planned' ? undefined : count,
    planned: prefer.count === 'exact' ? undefined : `EXPLAIN (FORMAT JSON) ${count}`,
  };
}

export function plannedRows(rows: Record<string, unknown>[] | undefined): number | undefined {
  const plan = rows?.[0]?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan?: { 'Plan Rows'?: number } }] | undefined;
  return parsed?.[0]?.Plan?.['Plan Rows'];
}

export function singularError(rows: number): RestError {
  return new RestError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`);
}
