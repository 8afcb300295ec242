/** The `select` parameter: columns, renames, casts, JSON paths, embeds with hints, spreads. */
import { Scanner, type Field } from './scanner.ts';

export interface SelectColumn extends Field {
  kind: 'column';
  alias: string | undefined;
  cast: string | undefined;
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
  let field = s.field();
  if (field.path.length === 0 && s.peek() === ':' && s.peek(1) !== ':') {
    s.pos++;
    alias = field.name;
    if (s.eat('...')) s.fail('expecting field name');
    field = s.field();
  }
  if (field.path.length === 0 && (s.peek() === '!' || s.peek() === '(')) {
    const { hint, joinType } = parseHints(s);
    return { kind: 'embed', alias, name: field.name, hint, joinType, spread: false, select: parseSubSelect(s) };
  }
  let cast: string | undefined;
  if (s.eat('::')) cast = s.identifier();
  return { kind: 'column', alias, cast, ...field };
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
