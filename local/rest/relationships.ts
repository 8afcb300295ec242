/** Picks the relationship an embed means (`target`, `target!hint`), or PostgREST's PGRST200/PGRST201. */
import { RestError } from './errors.ts';
import { key, type Relation, type Relationship, type SchemaCache } from './schema-cache.ts';

export function findRelationship(cache: SchemaCache, parent: Relation, target: string, hint: string | undefined): Relationship {
  const all = cache.relationships.get(key(parent.schema, parent.name)) ?? [];
  let candidates = all.filter(
    (r) =>
      (r.foreign.name === target && r.foreign.schema === parent.schema) ||
      // `select=client_id(*)` or `select=fk_name(*)`: a many-to-one named by its column or constraint.
      ((r.cardinality === 'm2o' || r.cardinality === 'o2o') && r.columns.length > 0 &&
        (r.constraint === target || (r.columns.length === 1 && r.columns[0]![0] === target)) &&
        r.columns.every(([c]) => parent.columnsByName.has(c))),
  );
  if (hint !== undefined) {
    candidates = candidates.filter(
      (r) =>
        r.constraint === hint ||
        r.columns.some(([a, b]) => a === hint || b === hint) ||
        r.junction?.relation.name === hint ||
        r.junction?.constraintSource === hint,
    );
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) {
    throw new RestError(
      400,
      'PGRST200',
      `Could not find a relationship between '${parent.name}' and '${target}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${target}'${hint ? ` using the hint '${hint}'` : ''} in the schema '${parent.schema}', but no matches were found.`,
      null,
    );
  }
  throw new RestError(
    300,
    'PGRST201',
    `Could not embed because more than one relationship was found for '${parent.name}' and '${target}'`,
    candidates.map(describe),
    `Try changing '${target}' to one of the following: ${candidates.map(hintFor).join(', ')}. Find the desired relationship in the 'details' key.`,
  );
}

const cols = (list: string[]): string => `(${list.join(', ')})`;

function describe(r: Relationship): Record<string, string> {
  const cardinality = { m2o: 'many-to-one', o2m: 'one-to-many', o2o: 'one-to-one', m2m: 'many-to-many' }[r.cardinality];
  const relationship = r.junction
    ? `${r.junction.relation.name} using ${r.junction.constraintSource}${cols(r.junction.sourceColumns.map(([, j]) => j))} and ${r.junction.constraintTarget}${cols(r.junction.targetColumns.map(([, j]) => j))}`
    : `${r.constraint} using ${r.table.name}${cols(r.columns.map(([a]) => a))} and ${r.foreign.name}${cols(r.columns.map(([, b]) => b))}`;
  return { cardinality, embedding: `${r.table.name} with ${r.foreign.name}`, relationship };
}

function hintFor(r: Relationship): string {
  return `'${r.foreign.name}!${r.junction ? r.junction.relation.name : r.constraint}'`;
}

export function isToOne(r: Relationship): boolean {
  return r.cardinality === 'm2o' || r.cardinality === 'o2o';
}
