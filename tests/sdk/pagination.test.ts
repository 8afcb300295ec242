import { PostgrestError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { isMarqueeError, pageParams, paginate, toPage, type RangeableQuery, type RangeResult } from '../../sdk/src/index.ts';

/** A stand-in for a supabase-js builder selected with { count: 'exact' } over `total` rows. */
function fakeQuery(total: number, opts: { withCount?: boolean } = {}) {
  const rows = Array.from({ length: total }, (_, i) => ({ id: i + 1 }));
  const calls: [number, number][] = [];
  const query: RangeableQuery<{ id: number }> = {
    range(from, to) {
      calls.push([from, to]);
      // PostgREST: a range starting past the last row (except 0 on an empty table) is 416 PGRST103.
      if (from > 0 && from >= total) {
        const error = new PostgrestError({ code: 'PGRST103', message: 'Requested range not satisfiable', details: '', hint: '' });
        return Promise.resolve<RangeResult<{ id: number }>>({ data: null, error, count: null, status: 416 });
      }
      return Promise.resolve({ data: rows.slice(from, to + 1), error: null, count: opts.withCount === false ? null : total, status: 200 });
    },
  };
  return { query, calls };
}

describe('toPage', () => {
  it.each([
    // count, page, size → total_pages, next, previous
    [0, 1, 10, 1, null, null],
    [1, 1, 10, 1, null, null],
    [10, 1, 10, 1, null, null],
    [11, 1, 10, 2, 2, null],
    [11, 2, 10, 2, null, 1],
    [50, 3, 10, 5, 4, 2],
  ])('count %s page %s size %s → %s pages, next %s, previous %s', (count, page, size, pages, next, previous) => {
    expect(toPage([], count, page, size)).toEqual({ count, page, page_size: size, total_pages: pages, next, previous, results: [] });
  });
});

describe('pageParams', () => {
  it('defaults and caps', () => {
    expect(pageParams()).toEqual({ page: 1, page_size: 10 });
    expect(pageParams({ page_size: 500 })).toEqual({ page: 1, page_size: 100 });
    expect(pageParams({}, { defaultPageSize: 30, maxPageSize: 30 })).toEqual({ page: 1, page_size: 30 });
  });

  it.each([{ page: 0 }, { page: 1.5 }, { page_size: 0 }, { page: -1, page_size: -1 }])('rejects %j with 400 fields', (params) => {
    try {
      pageParams(params);
      expect.unreachable();
    } catch (e) {
      expect(isMarqueeError(e) && e.status === 400 && Object.keys(e.fields ?? {}).length > 0).toBe(true);
    }
  });
});

describe('paginate', () => {
  it('asks for the right range and builds the page', async () => {
    const { query, calls } = fakeQuery(25);
    const page = await paginate(query, { page: 2, page_size: 10 });
    expect(calls).toEqual([[10, 19]]);
    expect(page).toMatchObject({ count: 25, page: 2, page_size: 10, total_pages: 3, next: 3, previous: 1 });
    expect(page.results.map((r) => r.id)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('last partial page', async () => {
    const page = await paginate(fakeQuery(25).query, { page: 3, page_size: 10 });
    expect(page).toMatchObject({ next: null, previous: 2 });
    expect(page.results).toHaveLength(5);
  });

  it('empty list: page 1 is an empty page', async () => {
    expect(await paginate(fakeQuery(0).query)).toEqual({ count: 0, page: 1, page_size: 10, total_pages: 1, next: null, previous: null, results: [] });
  });

  it('a page past the end is 404 Invalid page.', async () => {
    await expect(paginate(fakeQuery(25).query, { page: 4, page_size: 10 })).rejects.toMatchObject({ status: 404, detail: 'Invalid page.' });
    await expect(paginate(fakeQuery(0).query, { page: 2 })).rejects.toMatchObject({ status: 404, detail: 'Invalid page.' });
  });

  it('a query without count is a programming error', async () => {
    await expect(paginate(fakeQuery(5, { withCount: false }).query)).rejects.toMatchObject({ code: 'count_missing' });
  });

  it('other errors pass through as MarqueeError', async () => {
    const query: RangeableQuery<never> = {
      range: () =>
        Promise.resolve({
          data: null,
          error: new PostgrestError({ code: '42501', message: 'permission denied', details: '', hint: '' }),
          count: null,
          status: 401,
        }),
    };
    await expect(paginate(query)).rejects.toMatchObject({ status: 401, code: '42501' });
  });
});
