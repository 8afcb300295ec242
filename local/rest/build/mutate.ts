/** INSERT / UPDATE / DELETE statements whose RETURNING rows feed `pgrst_source`. */
import type { Filter, LogicTree, OrderTerm } from '../parse/filters.ts';
import type { Column, Relation } from '../schema-cache.ts';
import { ident, literal, qualified } from '../sql.ts';
import { filterSql } from './filter.ts';
import { limitSql } from './read.ts';
import { fieldSql } from './filter.ts';

/** `none`: RETURNING 1 (no SELECT privilege or policy needed, as PostgREST); `all`; or named columns. */
export type Returning = 'none' | 'all' | string[];

export interface InsertOptions {
  relation: Relation;
  rows: Record<string, unknown>[];
  columns: Column[];
  onConflict?: { columns: string[]; resolution: 'merge-duplicates' | 'ignore-duplicates' };
  missingDefault: boolean;
  /** PUT: the row must match these primary key filters. */
  returning: Returning;
}

export function insertSql(o: InsertOptions): string {
  const table = qualified(o.relation.schema, o.relation.name);
  const names = o.columns.map((c) => ident(c.name)).join(', ');
  let sql: string;
  if (o.columns.length === 0) {
    sql = `INSERT INTO ${table} DEFAULT VALUES`;
  } else if (o.missingDefault) {
    // A key missing from an object takes the column default: VALUES lists can say DEFAULT per cell.
    const values = o.rows.map((row) => {
      const record = literal(JSON.stringify(row));
      const cells = o.columns.map((c) =>
        Object.hasOwn(row, c.name) ? `(SELECT pgrst_r.${ident(c.name)} FROM json_populate_record(NULL::${table}, ${record}::json) pgrst_r)` : 'DEFAULT',
      );
      return `(${cells.join(', ')})`;
    });
    sql = `INSERT INTO ${table} (${names}) VALUES ${values.join(', ')}`;
  } else {
    sql =
      `INSERT INTO ${table} (${names}) SELECT ${names} FROM json_to_recordset(${literal(JSON.stringify(o.rows))}::json) ` +
      `AS pgrst_body(${o.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})`;
  }
  if (o.onConflict && o.onConflict.columns.length > 0) {
    const target = o.onConflict.columns.map(ident).join(', ');
    const action =
      o.onConflict.resolution === 'ignore-duplicates' || o.columns.length === 0
        ? 'DO NOTHING'
        : `DO UPDATE SET ${o.columns.map((c) => `${ident(c.name)} = EXCLUDED.${ident(c.name)}`).join(', ')}`;
    sql += ` ON CONFLICT (${target}) ${action}`;
  }
  return `${sql} ${returningSql(o.relation, o.returning)}`;
}

export interface UpdateOptions {
  relation: Relation;
  row: Record<string, unknown>;
  columns: Column[];
  filters: (Filter | LogicTree)[];
  order: OrderTerm[];
  limit: number | undefined;
  offset: number | undefined;
  returning: Returning;
}

export function updateSql(o: UpdateOptions): string {
  const table = qualified(o.relation.schema, o.relation.name);
  if (o.columns.length === 0) {
    return `SELECT ${o.returning === 'none' ? '1' : `${table}.*`} FROM ${table} WHERE false`;
  }
  const sets = o.columns.map((c) => `${ident(c.name)} = pgrst_body.${ident(c.name)}`).join(', ');
  const body =
    `(SELECT * FROM json_to_record(${literal(JSON.stringify(o.row))}::json) ` +
    `AS pgrst_r(${o.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ')})) pgrst_body`;
  const where = whereSql(table, o);
  return `UPDATE ${table} SET ${sets} FROM ${body}${where} ${returningSql(o.relation, o.returning)}`;
}

export interface DeleteOptions {
  relation: Relation;
  filters: (Filter | LogicTree)[];
  order: OrderTerm[];
  limit: number | undefined;
  offset: number | undefined;
  returning: Returning;
}

export function deleteSql(o: DeleteOptions): string {
  const table = qualified(o.relation.schema, o.relation.name);
  return `DELETE FROM ${table}${whereSql(table, o)} ${returningSql(o.relation, o.returning)}`;
}

function whereSql(table: string, o: Pick<DeleteOptions, 'filters' | 'order' | 'limit' | 'offset'>): string {
  const conditions = o.filters.map((f) => filterSql(table, f, () => undefined));
  if (o.limit !== undefined || o.offset !== undefined) {
    // A limited update/delete picks its rows by ctid, ordered as requested.
    const order = o.order.length > 0
      ? ' ORDER BY ' + o.order.map((t) => [fieldSql('pgrst_limited', t.field), t.direction?.toUpperCase(), t.nulls ? `NULLS ${t.nulls.toUpperCase()}` : ''].filter(Boolean).join(' ')).join(', ')
      : '';
    const inner = o.filters.map((f) => filterSql('pgrst_limited', f, () => undefined));
    conditions.push(
      `${table}.ctid = ANY(ARRAY(SELECT pgrst_limited.ctid FROM ${table} AS pgrst_limited` +
        `${inner.length > 0 ? ` WHERE ${inner.join(' AND ')}` : ''}${order} ${limitSql(o.limit, o.offset)}))`,
    );
  }
  return conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : '';
}

function returningSql(relation: Relation, returning: Returning): string {
  const table = qualified(relation.schema, relation.name);
  if (returning === 'none') return 'RETURNING 1';
  if (returning === 'all') return `RETURNING ${table}.*`;
  return `RETURNING ${returning.map((c) => `${table}.${ident(c)}`).join(', ')}`;
}
