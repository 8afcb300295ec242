/** SQL for filters and logic trees, values as quoted literals of unknown type (Postgres infers them). */
import { arrayLiteral, ident, literal } from '../sql.ts';
import { OPERATORS, type Condition, type Filter, type LogicTree } from '../parse/filters.ts';
import type { Field } from '../parse/scanner.ts';

export function fieldSql(ref: string, field: Field): string {
  let sql = `${ref}.${ident(field.name)}`;
  for (const step of field.path) sql += step.arrow + (step.index ? step.key : literal(step.key));
  return sql;
}

export function conditionSql(expr: string, c: Condition): string {
  const sql = positiveConditionSql(expr, c);
  return c.negated ? `NOT (${sql})` : sql;
}

function positiveConditionSql(expr: string, c: Condition): string {
  const like = c.op === 'like' || c.op === 'ilike';
  const value = like ? c.value.replace(/\*/g, '%') : c.value;
  switch (c.op) {
    case 'in':
      return `${expr} = ANY (${literal(arrayLiteral(c.list ?? []))})`;
    case 'is': {
      const v = c.value.toLowerCase();
      return `${expr} IS ${v === 'not_null' ? 'NOT NULL' : v.toUpperCase()}`;
    }
    case 'fts':
    case 'plfts':
    case 'phfts':
    case 'wfts': {
      const fn = { fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery' }[c.op];
      const args = c.language ? `${literal(c.language)}, ${literal(value)}` : literal(value);
      return `${expr} @@ ${fn}(${args})`;
    }
    default: {
      const op = OPERATORS[c.op].toUpperCase();
      if (c.quantifier) return `${expr} ${op} ${c.quantifier.toUpperCase()}(${literal(value)})`;
      return `${expr} ${op} ${literal(value)}`;
    }
  }
}

/**
 * @param embedRef for `embed=is.null` filters: the SQL of an embed's lateral alias at this level.
 */
export function filterSql(ref: string, f: Filter | LogicTree, embedRef: (name: string) => string | undefined): string {
  if (f.kind === 'logic') {
    const inner = f.children.map((child) => filterSql(ref, child, embedRef)).join(f.operator === 'and' ? ' AND ' : ' OR ');
    return `${f.negated ? 'NOT ' : ''}(${inner})`;
  }
  const embed = f.field.path.length === 0 && f.condition.op === 'is' ? embedRef(f.field.name) : undefined;
  if (embed !== undefined) {
    const isNull = f.condition.value.toLowerCase() === 'null';
    const notNull = isNull === f.condition.negated;
    return notNull ? `NOT (${embed} IS NULL)` : `(${embed} IS NULL)`;
  }
  return conditionSql(fieldSql(ref, f.field), f.condition);
}
