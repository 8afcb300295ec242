/** Resolves a parsed select + query parameters against the schema cache into a tree of read plans. */
import { RestError } from './errors.ts';
import type { Filter, LogicTree, OrderTerm } from './parse/filters.ts';
import { emptyEmbedParams, type QueryParams } from './parse/query.ts';
import { hasAggregate, type SelectColumn, type SelectItem, type SelectStar } from './parse/select.ts';
import { findRelationship, isToOne } from './relationships.ts';
import type { Relation, Relationship, SchemaCache } from './schema-cache.ts';

export interface ReadPlan {
  /** Known for tables, views and functions returning a table type; drives embedding. */
  relation: Relation | undefined;
  /** The FROM item, e.g. `"public"."posts"` or `pgrst_source AS "posts"`. */
  from: string;
  /** How this level's columns are qualified in SQL. */
  ref: string;
  items: (SelectColumn | SelectStar)[];
  embeds: EmbedPlan[];
  filters: (Filter | LogicTree)[];
  order: OrderTerm[];
  limit: number | undefined;
  offset: number | undefined;
}

export interface EmbedPlan {
  relationship: Relationship;
  /** Key of the JSON field in the parent. */
  name: string;
  /** Alias of the lateral subquery. */
  aggAlias: string;
  /** Alias of the embedded relation inside the subquery. */
  alias: string;
  joinType: 'inner' | 'left';
  spread: boolean;
  plan: ReadPlan;
}

export interface RootSource {
  relation: Relation | undefined;
  from: string;
  ref: string;
}

export interface PlanOptions {
  /** PostgREST's `db-aggregates-enabled` (off by default, as on Supabase). */
  aggregates: boolean;
}

export function planRead(cache: SchemaCache, root: RootSource, select: SelectItem[], params: QueryParams, options: PlanOptions): ReadPlan {
  let counter = 0;
  const used = new Set<string>();

  const build = (source: RootSource, items: SelectItem[], path: string[]): ReadPlan => {
    const key = path.join('.');
    used.add(key);
    const p = params.byPath.get(key) ?? emptyEmbedParams();
    const plan: ReadPlan = {
      relation: source.relation,
      from: source.from,
      ref: source.ref,
      items: [],
      embeds: [],
      filters: p.filters,
      order: p.order ?? [],
      limit: p.limit,
      offset: p.offset,
    };
    for (const item of items) {
      if (item.kind !== 'embed') {
        plan.items.push(item);
        continue;
      }
      if (!source.relation) {
        throw new RestError(400, 'PGRST200', `Could not find a relationship between the function result and '${item.name}' in the schema cache`);
      }
      const relationship = findRelationship(cache, source.relation, item.name, item.hint);
      if (item.spread && !isToOne(relationship)) {
        throw new RestError(400, 'PGRST119', `A spread operation on '${item.name}' is not possible`,
          `'${source.relation.name}' and '${item.name}' do not form a many-to-one or one-to-one relationship`);
      }
      const name = item.alias ?? item.name;
      counter++;
      const alias = `${relationship.foreign.name}_${counter}`;
      const aggAlias = `${source.relation.name}_${name}_${counter}`;
      const child = build(
        { relation: relationship.foreign, from: `${quoteQi(relationship.foreign)} AS ${q(alias)}`, ref: q(alias) },
        item.select.length > 0 ? item.select : [{ kind: 'star' }],
        [...path, name],
      );
      plan.embeds.push({ relationship, name, aggAlias, alias, joinType: item.joinType ?? 'left', spread: item.spread, plan: child });
    }
    return plan;
  };

  const plan = build(root, select, []);
  for (const k of params.byPath.keys()) {
    if (!used.has(k)) {
      const resource = k.split('.').find((_, i, all) => !used.has(all.slice(0, i + 1).join('.'))) ?? k;
      throw new RestError(400, 'PGRST108', `'${resource}' is not an embedded resource in this request`, null,
        `Verify that '${resource}' is included in the 'select' query parameter.`);
    }
  }
  // Checked once the plan resolves (as PostgREST's validateAggFunctions), before any SQL runs.
  if (!options.aggregates && hasAggregate(select)) {
    throw new RestError(400, 'PGRST123', 'Use of aggregate functions is not allowed');
  }
  return plan;
}

const q = (name: string): string => '"' + name.replace(/"/g, '""') + '"';
const quoteQi = (r: Relation): string => `${q(r.schema)}.${q(r.name)}`;
