/** The `select` parameter: columns, renames, casts, JSON paths, aggregates, embeds with hints, spreads. */
import { Scanner, type Field } from './scanner.ts';

/** PostgREST's aggregate functions (`amount.sum()`, `count()`). */
export const AGGREGATES = ['sum', 'avg', 'max', 'min', 'count'] as const;
export type AggregateFunction = (typeof AGGREGATES)[number];

export interface SelectColumn extends Field {
  kind: 'column';
  alias: string | undefined;
  /** Cast of the column, applied before any aggregate (`amount::int.sum()`). */
  cast: string | undefined;
  /** `count()` alone is a count of rows: name `*`, no path. */
  aggregate: AggregateFunction | undefined;
  /** Cast of the aggregate's result (`amount.sum()::text`). */
  aggregateCast: string | undefined;
}

export interface SelectStar {
  kind: 'star';
}

export interface SelectEmbed {
  kind: 'embed';
  alias: string | undefined;
  /** Target: a relation name, a foreign key column or a constraint name. */
  name: string;
  hint: string | undefined;
  joinType: 'inner' | 'left' | undefined;
  spread: boolean;
  select: SelectItem[];
}

export type SelectItem = SelectColumn | SelectStar | SelectEmbed;

export function parseSelect(text: string): SelectItem[] {
  const scanner = new Scanner(text.replace(/\s+(?=(?:[^"]*"[^"]*")*[^"]*$)/g, ''), 'select parameter');
  const items = parseList(scanner);
  if (!scanner.done) scanner.fail('expecting "," or end of input');
  return items;
}

function parseList(s: Scanner): SelectItem[] {
  const items: SelectItem[] = [];
  if (s.done || s.peek() === ')') return items;
  do {
    items.push(parseItem(s));
  } while (s.eat(','));
  return items;
}

function parseItem(s: Scanner): SelectItem {
  if (s.eat('*')) return { kind: 'star' };
  if (s.eat('...')) {
    const name = s.identifier();
    const { hint, joinType } = parseHints(s);
    return { kind: 'embed', alias: undefined, name, hint, joinType, spread: true, select: parseSubSelect(s) };
  }
  let alias: string | undefined;
  if (atCount(s)) return countItem(s, undefined);
  let field = s.field();
  if (field.path.length === 0 && s.peek() === ':' && s.peek(1) !== ':') {
    s.pos++;
    alias = field.name;
    if (s.eat('...')) s.fail('expecting field name');
    if (atCount(s)) return countItem(s, alias);
    field = s.field();
  }
  if (field.path.length === 0 && (s.peek() === '!' || s.peek() === '(')) {
    const { hint, joinType } = parseHints(s);
    return { kind: 'embed', alias, name: field.name, hint, joinType, spread: false, select: parseSubSelect(s) };
  }
  let cast: string | undefined;
  if (s.eat('::')) cast = s.identifier();
  let aggregate: AggregateFunction | undefined;
  const call = /^\.(sum|avg|max|min|count)\(\)/.exec(s.text.slice(s.pos));
  if (call) {
    s.pos += call[0].length;
    aggregate = call[1] as AggregateFunction;
  }
  let aggregateCast: string | undefined;
  if (aggregate && s.eat('::')) aggregateCast = s.identifier();
  return { kind: 'column', alias, cast, aggregate, aggregateCast, ...field };
}

/** `count()` as a whole item (PostgREST tries it before a field named `count`). */
function atCount(s: Scanner): boolean {
  if (!s.startsWith('count()')) return false;
  const next = s.text.slice(s.pos + 'count()'.length);
  return next === '' || next.startsWith(',') || next.startsWith(')') || next.startsWith('::');
}

function countItem(s: Scanner, alias: string | undefined): SelectColumn {
  s.pos += 'count()'.length;
  const aggregateCast = s.eat('::') ? s.identifier() : undefined;
  return { kind: 'column', alias, cast: undefined, aggregate: 'count', aggregateCast, name: '*', path: [] };
}

/** Whether any item, at any embedding depth, applies an aggregate function. */
export function hasAggregate(items: SelectItem[]): boolean {
  return items.some((i) => (i.kind === 'column' ? i.aggregate !== undefined : i.kind === 'embed' && hasAggregate(i.select)));
}

function parseHints(s: Scanner): { hint: string | undefined; joinType: 'inner' | 'left' | undefined } {
  let hint: string | undefined;
  let joinType: 'inner' | 'left' | undefined;
  while (s.eat('!')) {
    const word = s.identifier();
    if (word === 'inner' || word === 'left') joinType = word;
    else hint = word;
  }
  return { hint, joinType };
}

function parseSubSelect(s: Scanner): SelectItem[] {
  s.expect('(');
  const items = parseList(s);
  s.expect(')');
  return items;
}
