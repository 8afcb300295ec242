/** SQL for a read plan: one SELECT with a LATERAL subquery per embedded resource (as PostgREST builds it). */
import { RestError } from '../errors.ts';
import type { EmbedPlan, ReadPlan } from '../plan.ts';
import type { OrderTerm } from '../parse/filters.ts';
import type { SelectColumn } from '../parse/select.ts';
import { isToOne } from '../relationships.ts';
import { ident } from '../sql.ts';
import { fieldSql, filterSql } from './filter.ts';

const CAST = /^[A-Za-z_][A-Za-z0-9_ ]*(\[\])?$/;

export function readSql(plan: ReadPlan, joinConditions: string[] = []): string {
  const grouped = isGrouped(plan);
  const selects = [
    ...plan.items.map((item) => (item.kind === 'star' ? `${plan.ref}.*` : columnSql(plan.ref, item))),
    ...plan.embeds.map((e) => embedSelectSql(e, grouped)),
  ];
  const where = [...plan.filters.map((f) => filterSql(plan.ref, f, embedRef(plan))), ...joinConditions];
  return [
    `SELECT ${selects.length > 0 ? selects.join(', ') : 'NULL'}`,
    `FROM ${plan.from}`,
    ...plan.embeds.map((e) => joinSql(plan, e)),
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    grouped ? groupSql(plan) : '',
    orderSql(plan, plan.order),
    limitSql(plan.limit, plan.offset),
  ].filter(Boolean).join(' ');
}

/** PostgREST aggregates rows when any selected column (or a to-one spread's column) applies an aggregate function. */
function isGrouped(plan: ReadPlan): boolean {
  return plan.items.some((i) => i.kind === 'column' && i.aggregate !== undefined)
    || plan.embeds.some((e) => e.spread && e.plan.items.some((i) => i.kind === 'column' && i.aggregate !== undefined));
}

/**
 * GROUP BY every selected column that is not aggregated (by its output name when it has one), every
 * embedded resource (by its key), and a to-one spread's plain columns, as PostgREST's groupF.
 */
function groupSql(plan: ReadPlan): string {
  const terms: string[] = [];
  const plain = (items: ReadPlan['items'], relation: ReadPlan['relation'], star: (column: string) => string, named: (c: SelectColumn) => string) => {
    for (const item of items) {
      if (item.kind === 'star') terms.push(...(relation?.columns ?? []).map((c) => star(c.name)));
      else if (item.aggregate === undefined) terms.push(named(item));
    }
  };
  plain(plan.items, plan.relation, (c) => `${plan.ref}.${ident(c)}`, (c) => {
    const name = outputName(c);
    return name !== undefined ? ident(name) : fieldSql(plan.ref, c);
  });
  for (const e of plan.embeds) {
    if (!e.spread) terms.push(ident(e.name));
    else {
      const agg = ident(e.aggAlias);
      plain(e.plan.items, e.plan.relation, (c) => `${agg}.${ident(c)}`, (c) => `${agg}.${ident(outputName(c) ?? c.name)}`);
    }
  }
  return terms.length > 0 ? `GROUP BY ${terms.join(', ')}` : '';
}

/** The key a column gets beyond Postgres' own naming: its alias, or the last key of a JSON path. */
function outputName(c: SelectColumn): string | undefined {
  if (c.alias !== undefined || c.aggregate !== undefined) return c.alias;
  const lastKey = [...c.path].reverse().find((s) => !s.index)?.key;
  return c.path.length > 0 ? (lastKey ?? c.name) : undefined;
}

/** The rows a read would return, without limit/order/output columns: for `count=exact`. */
export function countSql(plan: ReadPlan, joinConditions: string[] = []): string {
  const referenced = new Set(plan.filters.flatMap(filterNames));
  const embeds = plan.embeds.filter((e) => e.joinType === 'inner' || referenced.has(e.name));
  const where = [...plan.filters.map((f) => filterSql(plan.ref, f, embedRef(plan))), ...joinConditions];
  return [
    'SELECT 1',
    `FROM ${plan.from}`,
    ...embeds.map((e) => joinSql(plan, e)),
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
  ].filter(Boolean).join(' ');
}

function filterNames(f: ReadPlan['filters'][number]): string[] {
  return f.kind === 'logic' ? f.children.flatMap(filterNames) : [f.field.name];
}

export function columnSql(ref: string, c: SelectColumn): string {
  let sql = c.aggregate !== undefined && c.name === '*' && c.path.length === 0 ? `${ref}.*` : fieldSql(ref, c);
  sql = castSql(sql, c.cast);
  // Without an alias an aggregate's key is the function's name, as Postgres labels `SUM(…)` "sum".
  if (c.aggregate !== undefined) sql = castSql(`${c.aggregate.toUpperCase()}(${sql})`, c.aggregateCast);
  const name = outputName(c);
  return name !== undefined ? `${sql} AS ${ident(name)}` : sql;
}

function castSql(sql: string, cast: string | undefined): string {
  if (!cast) return sql;
  if (!CAST.test(cast)) throw new RestError(400, 'PGRST100', `"failed to parse select parameter (${cast})"`, 'invalid cast');
  return `CAST(${sql} AS ${cast})`;
}

function embedRef(plan: ReadPlan): (name: string) => string | undefined {
  return (name) => {
    const embed = plan.embeds.find((e) => e.name === name);
    return embed ? ident(embed.aggAlias) : undefined;
  };
}

/** In a grouped read an embed is a GROUP BY term, so jsonb (json has no equality), as PostgREST's. */
function embedSelectSql(e: EmbedPlan, grouped: boolean): string {
  const agg = ident(e.aggAlias);
  const type = grouped ? '::jsonb' : '';
  if (isToOne(e.relationship)) return e.spread ? spreadSelectSql(e) : `row_to_json(${agg}.*)${type} AS ${ident(e.name)}`;
  return `COALESCE(${agg}.${agg}${type}, '[]') AS ${ident(e.name)}`;
}

/** A to-one spread's columns; its aggregates apply at the parent's level, as PostgREST's. */
function spreadSelectSql(e: EmbedPlan): string {
  const agg = ident(e.aggAlias);
  if (!e.plan.items.some((i) => i.kind === 'column' && i.aggregate !== undefined)) return `${agg}.*`;
  return e.plan.items.flatMap((i, k) => {
    if (i.kind === 'star') return (e.plan.relation?.columns ?? []).map((c) => `${agg}.${ident(c.name)}`);
    if (i.aggregate === undefined) return [`${agg}.${ident(outputName(i) ?? i.name)}`];
    const input = i.name === '*' && i.path.length === 0 ? `${agg}.*` : `${agg}.${ident(spreadInput(k))}`;
    return [`${castSql(`${i.aggregate.toUpperCase()}(${input})`, i.aggregateCast)} AS ${ident(i.alias ?? i.aggregate)}`];
  }).join(', ');
}

const spreadInput = (k: number): string => `pgrst_spread_${k}`;

/** The spread's own rows: its aggregated columns as plain inputs (cast, not aggregated) for the parent. */
function spreadChild(plan: ReadPlan): ReadPlan {
  if (!plan.items.some((i) => i.kind === 'column' && i.aggregate !== undefined)) return plan;
  const items = plan.items.flatMap((i, k): ReadPlan['items'] => {
    if (i.kind === 'star' || i.aggregate === undefined) return [i];
    if (i.name === '*' && i.path.length === 0) return [];
    return [{ ...i, aggregate: undefined, aggregateCast: undefined, alias: spreadInput(k) }];
  });
  return { ...plan, items };
}

function joinSql(parent: ReadPlan, e: EmbedPlan): string {
  const rel = e.relationship;
  const child = ident(e.alias);
  const conditions: string[] = [];
  let plan = e.spread ? spreadChild(e.plan) : e.plan;
  if (rel.junction) {
    const j = ident(`${e.alias}_junction`);
    plan = { ...plan, from: `${plan.from}, ${ident(rel.junction.relation.schema)}.${ident(rel.junction.relation.name)} AS ${j}` };
    for (const [parentCol, jCol] of rel.junction.sourceColumns) conditions.push(`${j}.${ident(jCol)} = ${parent.ref}.${ident(parentCol)}`);
    for (const [childCol, jCol] of rel.junction.targetColumns) conditions.push(`${j}.${ident(jCol)} = ${child}.${ident(childCol)}`);
  } else {
    for (const [parentCol, childCol] of rel.columns) conditions.push(`${child}.${ident(childCol)} = ${parent.ref}.${ident(parentCol)}`);
  }
  const sub = readSql(plan, conditions);
  const agg = ident(e.aggAlias);
  const join = e.joinType === 'inner' ? 'INNER JOIN LATERAL' : 'LEFT JOIN LATERAL';
  if (isToOne(rel)) return `${join} (${sub}) AS ${agg} ON TRUE`;
  return `${join} (SELECT json_agg(${agg}) AS ${agg} FROM (${sub}) AS ${agg}) AS ${agg} ON ${e.joinType === 'inner' ? `${agg} IS NOT NULL` : 'TRUE'}`;
}

function orderSql(plan: ReadPlan, terms: OrderTerm[]): string {
  if (terms.length === 0) return '';
  const parts = terms.map((t) => {
    let expr: string;
    if (t.relation !== undefined) {
      const embed = plan.embeds.find((e) => e.name === t.relation);
      if (!embed) {
        throw new RestError(400, 'PGRST108', `'${t.relation}' is not an embedded resource in this request`, null,
          `Verify that '${t.relation}' is included in the 'select' query parameter.`);
      }
      if (!isToOne(embed.relationship)) {
        throw new RestError(400, 'PGRST118', `A related order on '${t.relation}' is not possible`,
          `'${plan.relation?.name ?? ''}' and '${t.relation}' do not form a many-to-one or one-to-one relationship`);
      }
      expr = fieldSql(ident(embed.aggAlias), t.field);
    } else {
      expr = fieldSql(plan.ref, t.field);
    }
    return [expr, t.direction?.toUpperCase(), t.nulls ? `NULLS ${t.nulls.toUpperCase()}` : undefined].filter(Boolean).join(' ');
  });
  return `ORDER BY ${parts.join(', ')}`;
}

export function limitSql(limit: number | undefined, offset: number | undefined): string {
  return [limit !== undefined ? `LIMIT ${limit}` : '', offset ? `OFFSET ${offset}` : ''].filter(Boolean).join(' ');
}
