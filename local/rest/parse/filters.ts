/** Filters (`col=op.value`), logic trees (`or=(…)`) and `order`, as PostgREST's URL grammar defines them. */
import { parseError } from '../errors.ts';
import { Scanner, splitTopLevel, type Field } from './scanner.ts';

export const OPERATORS = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=',
  like: 'like', ilike: 'ilike', match: '~', imatch: '~*',
  cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-',
  in: 'in', is: 'is', isdistinct: 'is distinct from',
  fts: '@@', plfts: '@@', phfts: '@@', wfts: '@@',
} as const;
export type Operator = keyof typeof OPERATORS;

/** Operators that take `(any)` / `(all)` modifiers. */
const QUANTIFIABLE = new Set<Operator>(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch']);
const FTS = new Set<Operator>(['fts', 'plfts', 'phfts', 'wfts']);
const IS_VALUES = new Set(['null', 'not_null', 'true', 'false', 'unknown']);

export interface Condition {
  negated: boolean;
  op: Operator;
  quantifier: 'any' | 'all' | undefined;
  language: string | undefined;
  /** Raw value; for `in` the parsed list is in `list`. */
  value: string;
  list: string[] | undefined;
}

export interface Filter {
  kind: 'filter';
  field: Field;
  condition: Condition;
}

export interface LogicTree {
  kind: 'logic';
  negated: boolean;
  operator: 'and' | 'or';
  children: (LogicTree | Filter)[];
}

/** `[not.]op[(any|all)|(language)].value` — the right side of `col=…`. */
export function parseCondition(text: string, what = 'filter'): Condition {
  let rest = text;
  let negated = false;
  if (rest.startsWith('not.')) {
    negated = true;
    rest = rest.slice(4);
  }
  const match = /^([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/.exec(rest);
  const fail = (details: string): never => {
    throw parseError(`"failed to parse ${what} (${text})"`, details);
  };
  if (!match) return fail(`unexpected "${rest.slice(0, 1) || 'end of input'}" expecting operator (eq, gt, ...)`);
  const [, name, modifier, value = ''] = match;
  if (!(name! in OPERATORS)) return fail(`unexpected "${name}" expecting operator (eq, gt, ...)`);
  const op = name as Operator;
  let quantifier: 'any' | 'all' | undefined;
  let language: string | undefined;
  if (modifier !== undefined) {
    if (FTS.has(op)) language = modifier;
    else if (QUANTIFIABLE.has(op) && (modifier === 'any' || modifier === 'all')) quantifier = modifier;
    else return fail(`unexpected "(" expecting "."`);
  }
  let list: string[] | undefined;
  if (op === 'in') list = parseList(value, fail);
  if (op === 'is' && !IS_VALUES.has(value.toLowerCase())) {
    return fail(`unexpected "${value.slice(0, 1)}" expecting null or trilean value (unknown, true, false)`);
  }
  if (quantifier) parseList(value.replace(/^\{/, '(').replace(/\}$/, ')'), fail);
  return { negated, op, quantifier, language, value, list };
}

/** `(a,"b,c",d)` → ['a', 'b,c', 'd']. */
function parseList(value: string, fail: (d: string) => never): string[] {
  if (!value.startsWith('(') || !value.endsWith(')')) fail('unexpected end of input expecting "("');
  const inner = value.slice(1, -1);
  if (inner === '') return [];
  return splitTopLevel(inner).map((item) => {
    const t = item;
    if (t.startsWith('"') && t.endsWith('"') && t.length >= 2) return t.slice(1, -1).replace(/\\(.)/g, '$1');
    return t;
  });
}

/** The value of `or=` / `and=`: `(cond,cond,and(cond,…),not.or(…))`. */
export function parseLogicTree(operator: 'and' | 'or', negated: boolean, text: string): LogicTree {
  const what = 'logic tree';
  if (!text.startsWith('(') || !text.endsWith(')')) {
    throw parseError(`"failed to parse ${what} (${text})"`, 'unexpected end of input expecting "("');
  }
  const children = splitTopLevel(text.slice(1, -1)).map((part) => parseLogicItem(part, text));
  return { kind: 'logic', negated, operator, children };
}

function parseLogicItem(part: string, whole: string): LogicTree | Filter {
  const nested = /^(not\.)?(and|or)(\([\s\S]*\))$/.exec(part);
  if (nested) return parseLogicTree(nested[2] as 'and' | 'or', Boolean(nested[1]), nested[3]!);
  const scanner = new Scanner(part, `logic tree (${whole})`);
  const field = scanner.field();
  if (!scanner.eat('.')) scanner.fail('expecting "."');
  const rest = part.slice(scanner.pos);
  const condition = parseCondition(rest.replace(/^(not\.)?(\w+(?:\([^)]*\))?\.)"([\s\S]*)"$/, (_m, n = '', op, v: string) =>
    `${n}${op}${v.replace(/\\(.)/g, '$1')}`), `logic tree (${whole})`);
  return { kind: 'filter', field, condition };
}

export interface OrderTerm {
  /** Set for `order=embed(col)`: ordering by a to-one embedded resource's column. */
  relation: string | undefined;
  field: Field;
  direction: 'asc' | 'desc' | undefined;
  nulls: 'first' | 'last' | undefined;
}

export function parseOrder(text: string): OrderTerm[] {
  return splitTopLevel(text).map((term) => {
    const s = new Scanner(term, `order (${text})`);
    let relation: string | undefined;
    let field = s.field();
    if (field.path.length === 0 && s.eat('(')) {
      relation = field.name;
      field = s.field();
      s.expect(')');
    }
    let direction: OrderTerm['direction'];
    let nulls: OrderTerm['nulls'];
    while (s.eat('.')) {
      if (s.eat('asc')) direction = 'asc';
      else if (s.eat('desc')) direction = 'desc';
      else if (s.eat('nullsfirst')) nulls = 'first';
      else if (s.eat('nullslast')) nulls = 'last';
      else s.fail('expecting "asc", "desc", "nullsfirst" or "nullslast"');
    }
    if (!s.done) s.fail('expecting "," or end of input');
    return { relation, field, direction, nulls };
  });
}
