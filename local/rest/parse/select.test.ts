import { describe, expect, it } from 'vitest';
import { hasAggregate, parseSelect } from './select.ts';

const column = (extra: object) => ({ kind: 'column', alias: undefined, cast: undefined, aggregate: undefined, aggregateCast: undefined, path: [], ...extra });

describe('aggregates in select', () => {
  it.each([
    ['count()', column({ name: '*', aggregate: 'count' })],
    ['n:count()::text', column({ name: '*', alias: 'n', aggregate: 'count', aggregateCast: 'text' })],
    ['amount.sum()', column({ name: 'amount', aggregate: 'sum' })],
    ['total:amount::int.avg()::text', column({ name: 'amount', alias: 'total', cast: 'int', aggregate: 'avg', aggregateCast: 'text' })],
    ['amount.count()', column({ name: 'amount', aggregate: 'count' })],
    ['amount::text', column({ name: 'amount', cast: 'text' })],
  ])('%s', (text, item) => {
    expect(parseSelect(text)).toEqual([item]);
  });

  it('finds them beside columns and inside embeds', () => {
    const items = parseSelect('category, amount.max(), orders(qty.min())');
    expect(items[0]).toEqual(column({ name: 'category' }));
    expect(items[1]).toEqual(column({ name: 'amount', aggregate: 'max' }));
    expect(hasAggregate(items)).toBe(true);
    expect(hasAggregate(parseSelect('id, orders(qty), count'))).toBe(false);
  });

  it('rejects an unknown function', () => {
    expect(() => parseSelect('amount.median()')).toThrow(/failed to parse select parameter/);
  });
});
