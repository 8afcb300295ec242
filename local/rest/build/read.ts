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
  const selects = [
    ...plan.items.map((item) => (item.kind === 'star' ? `${plan.ref}.*` : columnSql(plan.ref, item))),
    ...plan.embeds.map(embedSelectSql),
  ];
  const where = [...plan.filters.map((f) => filterSql(plan.ref, f, embedRef(plan))), ...joinConditions];
  return [
    `SELECT ${selects.length > 0 ? selects.join(', ') : 'NULL'}`,
    `FROM ${plan.from}`,
    ...plan.embeds.map((e) => joinSql(plan, e)),
    where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    orderSql(plan, plan.order),
    limitSql(plan.limit, plan.offset),
  ].filter(Boolean).join(' ');
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
  let sql = fieldSql(ref, c);
  if (c.cast) {
    if (!CAST.test(c.cast)) throw new RestError(400, 'PGRST100', `"failed to parse select parameter (${c.cast})"`, 'invalid cast');
    sql = `CAST(${sql} AS ${c.cast})`;
  }
  const lastKey = [...c.path].reverse().find((s) => !s.index)?.key;
  const name = c.alias ?? (c.path.length > 0 ? (lastKey ?? c.name) : undefined);
  return name !== undefined ? `${sql} AS ${ident(name)}` : sql;
}

function embedRef(plan: ReadPlan): (name: string) => string | undefined {
  return (name) => {
    const embed = plan.embeds.find((e) => e.name === name);
    return embed ? ident(embed.aggAlias) : undefined;
  };
}

function embedSelectSql(e: EmbedPlan): string {
  const agg = ident(e.aggAlias);
  if (isToOne(e.relationship)) return e.spread ? `${agg}.*` : `row_to_json(${agg}.*) AS ${ident(e.name)}`;
  return `COALESCE(${agg}.${agg}, '[]') AS ${ident(e.name)}`;
}

function joinSql(parent: ReadPlan, e: EmbedPlan): string {
  const rel = e.relationship;
  const child = ident(e.alias);
  const conditions: string[] = [];
  let plan = e.plan;
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
