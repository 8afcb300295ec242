/** Sorts a request's query parameters into select, per-embed filters/order/limit/offset and the rest. */
import { parseError } from '../errors.ts';
import { parseCondition, parseLogicTree, parseOrder, type Filter, type LogicTree, type OrderTerm } from './filters.ts';
import { Scanner } from './scanner.ts';

export interface EmbedParams {
  filters: (Filter | LogicTree)[];
  order: OrderTerm[] | undefined;
  limit: number | undefined;
  offset: number | undefined;
}

export interface QueryParams {
  select: string | undefined;
  columns: string[] | undefined;
  onConflict: string[] | undefined;
  /** Keyed by embed path (`''` for the root, `clients.projects` for nested). */
  byPath: Map<string, EmbedParams>;
  /** Parameters that are not reserved words, in order: RPC GET arguments come from here. */
  raw: [string, string][];
}

const RESERVED = new Set(['select', 'columns', 'on_conflict']);

export function emptyEmbedParams(): EmbedParams {
  return { filters: [], order: undefined, limit: undefined, offset: undefined };
}

/**
 * @param isArgument for RPC GET: names that are function arguments, so not filters.
 */
export function parseQuery(search: URLSearchParams, isArgument: (name: string) => boolean = () => false): QueryParams {
  const result: QueryParams = { select: undefined, columns: undefined, onConflict: undefined, byPath: new Map(), raw: [] };
  const at = (path: string[]): EmbedParams => {
    const k = path.join('.');
    let params = result.byPath.get(k);
    if (!params) result.byPath.set(k, (params = emptyEmbedParams()));
    return params;
  };
  for (const [name, value] of search) {
    if (name === 'select') result.select = value;
    else if (name === 'columns') result.columns = splitColumns(value, 'columns');
    else if (name === 'on_conflict') result.onConflict = splitColumns(value, 'on_conflict');
    if (RESERVED.has(name)) continue;
    if (isArgument(name)) {
      result.raw.push([name, value]);
      continue;
    }
    const parts = name.split('.');
    const last = parts[parts.length - 1]!;
    let path = parts.slice(0, -1);
    if (last === 'order') at(path).order = parseOrder(value);
    else if (last === 'limit') at(path).limit = nonNegative(value, 'limit');
    else if (last === 'offset') at(path).offset = nonNegative(value, 'offset');
    else if (last === 'or' || last === 'and') {
      const negated = path[path.length - 1] === 'not';
      if (negated) path = path.slice(0, -1);
      at(path).filters.push(parseLogicTree(last, negated, value));
    } else {
      const field = new Scanner(last, `filter (${name})`).field();
      at(path).filters.push({ kind: 'filter', field, condition: parseCondition(value) });
    }
  }
  return result;
}

function splitColumns(value: string, what: string): string[] {
  const cols = value.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  if (cols.some((c) => c === '')) throw parseError(`"failed to parse ${what} parameter (${value})"`, 'unexpected "," expecting column name');
  return cols;
}

function nonNegative(value: string, what: string): number {
  if (!/^\d+$/.test(value)) {
    throw parseError(`"failed to parse ${what} parameter (${value})"`, `unexpected "${value.slice(0, 1)}" expecting digit`);
  }
  return Number(value);
}
