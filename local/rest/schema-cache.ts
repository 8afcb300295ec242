/**
 * PostgREST's schema cache: relations, columns, keys, relationships and routines of the exposed
 * schemas, read from pg_catalog at start and again on `NOTIFY pgrst, 'reload schema'`.
 */
import type { Sql } from 'postgres';
import { arrayLiteral } from './sql.ts';

export interface Column {
  name: string;
  /** format_type() with an empty search_path, so usable in any request's SQL. */
  type: string;
  /** Base type name (pg_type.typname) for OpenAPI. */
  typeName: string;
  /** Postgres category: 'b' base, 'e' enum, 'c' composite, 'A' array, … (pg_type.typcategory). */
  category: string;
  nullable: boolean;
  default: string | null;
  identity: '' | 'a' | 'd';
  generated: boolean;
  description: string | null;
  enumValues: string[];
  maxLength: number | null;
}

export interface Relation {
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'matview' | 'foreign' | 'partitioned';
  description: string | null;
  insertable: boolean;
  updatable: boolean;
  deletable: boolean;
  columns: Column[];
  columnsByName: Map<string, Column>;
  primaryKey: string[];
}

export type Cardinality = 'm2o' | 'o2m' | 'o2o' | 'm2m';

export interface Relationship {
  /** The relation the request embeds from. */
  table: Relation;
  /** The embedded relation. */
  foreign: Relation;
  cardinality: Cardinality;
  constraint: string;
  /** Pairs (column on table, column on foreign); for m2m, table↔junction. */
  columns: [string, string][];
  junction?: {
    relation: Relation;
    constraintSource: string;
    constraintTarget: string;
    /** (table column, junction column) */
    sourceColumns: [string, string][];
    /** (foreign column, junction column) */
    targetColumns: [string, string][];
  };
}

export interface RoutineParam {
  name: string;
  type: string;
  hasDefault: boolean;
  variadic: boolean;
}

export interface Routine {
  schema: string;
  name: string;
  description: string | null;
  params: RoutineParam[];
  returnType: string;
  returnsSet: boolean;
  /** Returns rows with columns (a table type, `returns table`, OUT params) rather than a scalar. */
  returnsComposite: boolean;
  returnsVoid: boolean;
  /** The exposed relation whose row type it returns, for embedding from its result. */
  returnRelation: Relation | undefined;
  volatility: 'i' | 's' | 'v';
}

export interface SchemaCache {
  schemas: string[];
  relations: Map<string, Relation>;
  /** Keyed by `schema.relation`. */
  relationships: Map<string, Relationship[]>;
  routines: Map<string, Routine[]>;
  loadedAt: Date;
}

export const key = (schema: string, name: string): string => `${schema}.${name}`;

interface RelationRow {
  schema: string;
  name: string;
  kind: string;
  description: string | null;
  updatable_mask: number;
}
interface ColumnRow {
  schema: string;
  table: string;
  name: string;
  type: string;
  type_name: string;
  category: string;
  nullable: boolean;
  default: string | null;
  identity: '' | 'a' | 'd';
  generated: string;
  description: string | null;
  enum_values: string[] | null;
  max_length: number | null;
}
interface ConstraintRow {
  name: string;
  type: 'p' | 'u' | 'f';
  schema: string;
  table: string;
  columns: string[];
  foreign_schema: string | null;
  foreign_table: string | null;
  foreign_columns: string[] | null;
}
interface ViewColumnRow {
  schema: string;
  view: string;
  base_schema: string;
  base_table: string;
  column: string;
}
interface RoutineRow {
  schema: string;
  name: string;
  description: string | null;
  arg_names: string[] | null;
  arg_modes: string[] | null;
  arg_types: string[];
  n_defaults: number;
  return_type: string;
  returns_set: boolean;
  return_relid: number;
  return_schema: string | null;
  return_relation: string | null;
  return_type_kind: string;
  has_out_params: boolean;
  volatility: 'i' | 's' | 'v';
}

const RELATIONS_SQL = `
select n.nspname as schema, c.relname as name, c.relkind::text as kind,
  obj_description(c.oid, 'pg_class') as description,
  case when c.relkind in ('r', 'p') then 28 else pg_relation_is_updatable(c.oid::regclass, true) end as updatable_mask
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'v', 'm', 'f', 'p') and n.nspname = any($1::text[])
order by n.nspname, c.relname`;

// Columns of every user relation (not only exposed ones): views map onto base tables anywhere.
const COLUMNS_SQL = `
select n.nspname as schema, c.relname as table, a.attname as name,
  format_type(a.atttypid, a.atttypmod) as type,
  case when bt.typtype = 'd' then format_type(bt.typbasetype, null) else bt.typname::text end as type_name,
  bt.typcategory::text as category,
  not (a.attnotnull or (bt.typtype = 'd' and bt.typnotnull)) as nullable,
  coalesce(pg_get_expr(d.adbin, d.adrelid), case when bt.typtype = 'd' then bt.typdefault end) as default,
  a.attidentity::text as identity, a.attgenerated::text as generated,
  col_description(c.oid, a.attnum) as description,
  case when bt.typtype = 'e' then to_json(array(select e.enumlabel::text from pg_enum e where e.enumtypid = bt.oid order by e.enumsortorder)) end as enum_values,
  information_schema._pg_char_max_length(a.atttypid, a.atttypmod) as max_length
from pg_attribute a
join pg_class c on c.oid = a.attrelid
join pg_namespace n on n.oid = c.relnamespace
join pg_type bt on bt.oid = a.atttypid
left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where a.attnum > 0 and not a.attisdropped and c.relkind in ('r', 'v', 'm', 'f', 'p')
  and n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')
order by n.nspname, c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
select con.conname as name, con.contype::text as type, n.nspname as schema, c.relname as table,
  to_json(array(select a.attname::text from unnest(con.conkey) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.num order by k.ord)) as columns,
  fn.nspname as foreign_schema, fc.relname as foreign_table,
  case when con.contype = 'f' then to_json(array(select a.attname::text from unnest(con.confkey) with ordinality k(num, ord)
        join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.num order by k.ord)) end as foreign_columns
from pg_constraint con
join pg_class c on c.oid = con.conrelid
join pg_namespace n on n.oid = c.relnamespace
left join pg_class fc on fc.oid = con.confrelid
left join pg_namespace fn on fn.oid = fc.relnamespace
where con.contype in ('p', 'u', 'f') and n.nspname not in ('pg_catalog', 'information_schema')
order by con.conname`;

// Base-table columns each exposed view reads (through its rewrite rule's dependencies).
const VIEW_COLUMNS_SQL = `
select distinct vn.nspname as schema, v.relname as view, tn.nspname as base_schema, t.relname as base_table, a.attname as column
from pg_class v
join pg_namespace vn on vn.oid = v.relnamespace
join pg_rewrite r on r.ev_class = v.oid
join pg_depend d on d.objid = r.oid and d.classid = 'pg_rewrite'::regclass and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0
join pg_class t on t.oid = d.refobjid and t.oid <> v.oid
join pg_namespace tn on tn.oid = t.relnamespace
join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
where v.relkind in ('v', 'm') and vn.nspname = any($1::text[])`;

const ROUTINES_SQL = `
select n.nspname as schema, p.proname as name, obj_description(p.oid, 'pg_proc') as description,
  to_json(p.proargnames) as arg_names, to_json(p.proargmodes::text[]) as arg_modes,
  to_json(array(select format_type(t, null) from unnest(p.proargtypes) t)) as arg_types,
  p.pronargdefaults as n_defaults,
  format_type(p.prorettype, null) as return_type, p.proretset as returns_set,
  rt.typrelid::int as return_relid, rn.nspname as return_schema, rc.relname as return_relation,
  rt.typtype::text as return_type_kind,
  coalesce('t' = any(p.proargmodes::text[]), false) as has_out_params,
  p.provolatile::text as volatility
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type rt on rt.oid = p.prorettype
left join pg_class rc on rc.oid = rt.typrelid
left join pg_namespace rn on rn.oid = rc.relnamespace
where n.nspname = any($1::text[]) and p.prokind = 'f'
order by n.nspname, p.proname`;

/** Reads the catalog as the connection's role with an empty search_path (types come out qualified). */
export async function loadSchemaCache(sql: Sql, schemas: string[]): Promise<SchemaCache> {
  const [relationRows, columnRows, constraintRows, viewRows, routineRows] = await sql.begin('read only', async (tx) => {
    await tx.unsafe(`set local search_path = ''`);
    return Promise.all([
      tx.unsafe<RelationRow[]>(RELATIONS_SQL, [arrayLiteral(schemas)]),
      tx.unsafe<ColumnRow[]>(COLUMNS_SQL),
      tx.unsafe<ConstraintRow[]>(CONSTRAINTS_SQL),
      tx.unsafe<ViewColumnRow[]>(VIEW_COLUMNS_SQL, [arrayLiteral(schemas)]),
      tx.unsafe<RoutineRow[]>(ROUTINES_SQL, [arrayLiteral(schemas)]),
    ]);
  });

  const columnsOf = new Map<string, Column[]>();
  for (const row of columnRows) {
    const list = columnsOf.get(key(row.schema, row.table)) ?? [];
    list.push({
      name: row.name,
      type: row.type,
      typeName: row.type_name,
      category: row.category,
      nullable: row.nullable,
      default: row.default,
      identity: row.identity,
      generated: row.generated !== '',
      description: row.description,
      enumValues: row.enum_values ?? [],
      maxLength: row.max_length,
    });
    columnsOf.set(key(row.schema, row.table), list);
  }

  const primaryKeys = new Map<string, string[]>();
  const uniqueKeys = new Map<string, string[][]>();
  for (const con of constraintRows) {
    const k = key(con.schema, con.table);
    if (con.type === 'p') primaryKeys.set(k, con.columns);
    if (con.type === 'p' || con.type === 'u') uniqueKeys.set(k, [...(uniqueKeys.get(k) ?? []), con.columns]);
  }

  const kinds: Record<string, Relation['kind']> = { r: 'table', v: 'view', m: 'matview', f: 'foreign', p: 'partitioned' };
  const relations = new Map<string, Relation>();
  for (const row of relationRows) {
    const columns = columnsOf.get(key(row.schema, row.name)) ?? [];
    relations.set(key(row.schema, row.name), {
      schema: row.schema,
      name: row.name,
      kind: kinds[row.kind] ?? 'table',
      description: row.description,
      insertable: (row.updatable_mask & 8) === 8,
      updatable: (row.updatable_mask & 4) === 4,
      deletable: (row.updatable_mask & 16) === 16,
      columns,
      columnsByName: new Map(columns.map((c) => [c.name, c])),
      primaryKey: primaryKeys.get(key(row.schema, row.name)) ?? [],
    });
  }

  const baseColumns = mapViewColumns(relations, viewRows);
  for (const relation of relations.values()) {
    if (relation.kind === 'view' || relation.kind === 'matview') {
      relation.primaryKey = inferViewKey(relation, baseColumns, primaryKeys);
    }
  }

  const relationships = deriveRelationships(relations, constraintRows, baseColumns, uniqueKeys);

  const routines = new Map<string, Routine[]>();
  for (const row of routineRows) {
    const routine = toRoutine(row, relations);
    const k = key(row.schema, row.name);
    routines.set(k, [...(routines.get(k) ?? []), routine]);
  }

  return { schemas, relations, relationships, routines, loadedAt: new Date() };
}

/** For each exposed relation: its column → (base relation key, base column). Tables map to themselves. */
type BaseColumns = Map<string, Map<string, [string, string]>>;

function mapViewColumns(relations: Map<string, Relation>, viewRows: ViewColumnRow[]): BaseColumns {
  const candidates = new Map<string, Map<string, [string, string][]>>();
  for (const row of viewRows) {
    const viewKey = key(row.schema, row.view);
    const byColumn = candidates.get(viewKey) ?? new Map<string, [string, string][]>();
    byColumn.set(row.column, [...(byColumn.get(row.column) ?? []), [key(row.base_schema, row.base_table), row.column]]);
    candidates.set(viewKey, byColumn);
  }
  const result: BaseColumns = new Map();
  for (const [k, relation] of relations) {
    const mapping = new Map<string, [string, string]>();
    if (relation.kind === 'view' || relation.kind === 'matview') {
      // A view column maps to a base column of the same name when exactly one base table supplies it.
      const byColumn = candidates.get(k);
      for (const column of relation.columns) {
        const bases = byColumn?.get(column.name);
        if (bases?.length === 1) mapping.set(column.name, bases[0]!);
      }
    } else {
      for (const column of relation.columns) mapping.set(column.name, [k, column.name]);
    }
    result.set(k, mapping);
  }
  return result;
}

function inferViewKey(view: Relation, baseColumns: BaseColumns, primaryKeys: Map<string, string[]>): string[] {
  const mapping = baseColumns.get(key(view.schema, view.name));
  if (!mapping) return [];
  for (const [baseKey, pk] of primaryKeys) {
    const viewCols = pk.map((col) => [...mapping].find(([, [b, c]]) => b === baseKey && c === col)?.[0]);
    if (pk.length > 0 && viewCols.every((c) => c !== undefined)) return viewCols as string[];
  }
  return [];
}

/** View columns (in the FK's order) that carry the given base columns, or undefined if any is missing. */
function columnsCovering(mapping: Map<string, [string, string]>, baseKey: string, baseCols: string[]): string[] | undefined {
  const out: string[] = [];
  for (const col of baseCols) {
    const found = [...mapping].find(([, [b, c]]) => b === baseKey && c === col);
    if (!found) return undefined;
    out.push(found[0]);
  }
  return out;
}

function deriveRelationships(
  relations: Map<string, Relation>,
  constraints: ConstraintRow[],
  baseColumns: BaseColumns,
  uniqueKeys: Map<string, string[][]>,
): Map<string, Relationship[]> {
  const result = new Map<string, Relationship[]>();
  const add = (rel: Relationship) => {
    const k = key(rel.table.schema, rel.table.name);
    result.set(k, [...(result.get(k) ?? []), rel]);
  };
  const direct: Relationship[] = [];

  for (const fk of constraints) {
    if (fk.type !== 'f' || !fk.foreign_schema || !fk.foreign_table || !fk.foreign_columns) continue;
    const sourceBase = key(fk.schema, fk.table);
    const targetBase = key(fk.foreign_schema, fk.foreign_table);
    const isUnique = (uniqueKeys.get(sourceBase) ?? []).some(
      (u) => u.length === fk.columns.length && u.every((c) => fk.columns.includes(c)),
    );
    for (const [sourceKey, sourceMap] of baseColumns) {
      const sourceCols = columnsCovering(sourceMap, sourceBase, fk.columns);
      if (!sourceCols) continue;
      for (const [targetKey, targetMap] of baseColumns) {
        const targetCols = columnsCovering(targetMap, targetBase, fk.foreign_columns);
        if (!targetCols) continue;
        const table = relations.get(sourceKey)!;
        const foreign = relations.get(targetKey)!;
        const pairs = sourceCols.map((c, i): [string, string] => [c, targetCols[i]!]);
        const m2o: Relationship = { table, foreign, cardinality: isUnique ? 'o2o' : 'm2o', constraint: fk.name, columns: pairs };
        add(m2o);
        direct.push(m2o);
        add({
          table: foreign,
          foreign: table,
          cardinality: isUnique ? 'o2o' : 'o2m',
          constraint: fk.name,
          columns: pairs.map(([a, b]): [string, string] => [b, a]),
        });
      }
    }
  }

  // Many-to-many: a junction with foreign keys to both sides, each part of the junction's primary key.
  const byJunction = new Map<Relation, Relationship[]>();
  for (const rel of direct) byJunction.set(rel.table, [...(byJunction.get(rel.table) ?? []), rel]);
  for (const [junction, fks] of byJunction) {
    const pk = junction.primaryKey;
    const eligible = fks.filter((fk) => fk.columns.every(([c]) => pk.includes(c)));
    for (const a of eligible) {
      for (const b of eligible) {
        if (a.constraint === b.constraint) continue;
        add({
          table: a.foreign,
          foreign: b.foreign,
          cardinality: 'm2m',
          constraint: b.constraint,
          columns: [],
          junction: {
            relation: junction,
            constraintSource: a.constraint,
            constraintTarget: b.constraint,
            sourceColumns: a.columns.map(([j, t]): [string, string] => [t, j]),
            targetColumns: b.columns.map(([j, t]): [string, string] => [t, j]),
          },
        });
      }
    }
  }
  return result;
}

function toRoutine(row: RoutineRow, relations: Map<string, Relation>): Routine {
  const modes = row.arg_modes;
  const names = row.arg_names ?? [];
  const inputNames = modes ? names.filter((_, i) => ['i', 'b', 'v'].includes(modes[i] ?? 'i')) : names.slice(0, row.arg_types.length);
  const inputModes = modes ? modes.filter((m) => ['i', 'b', 'v'].includes(m)) : [];
  const firstDefault = row.arg_types.length - row.n_defaults;
  const params = row.arg_types.map((type, i) => ({
    name: inputNames[i] ?? '',
    type,
    hasDefault: i >= firstDefault,
    variadic: inputModes[i] === 'v',
  }));
  const returnRelation =
    row.return_schema && row.return_relation ? relations.get(key(row.return_schema, row.return_relation)) : undefined;
  return {
    schema: row.schema,
    name: row.name,
    description: row.description,
    params,
    returnType: row.return_type,
    returnsSet: row.returns_set,
    returnsComposite: row.return_relid !== 0 || row.has_out_params || row.return_type === 'record',
    returnsVoid: row.return_type === 'void',
    returnRelation,
    volatility: row.volatility,
  };
}
