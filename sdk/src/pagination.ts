/**
 * Page-numbered lists in the shape every Marquee list returns:
 * `{ count, page, page_size, total_pages, next, previous, results }`.
 *
 * @module
 */
import { MarqueeError, toMarqueeError } from './errors.ts';

/**
 * One page of a list.
 *
 * `next` and `previous` are **page numbers** (or `null` at either end), not URLs: the reference
 * APIs return absolute URLs because they are HTTP endpoints, while an SDK caller asks for a page by
 * number (`list({ page: p.next })`), so a number is the useful, transport-independent form.
 */
export interface Page<T> {
  /** Total number of matching rows across all pages. */
  count: number;
  /** This page's number, from 1. */
  page: number;
  /** Rows per page requested. */
  page_size: number;
  /** Number of pages; at least 1, as an empty list still has one (empty) page. */
  total_pages: number;
  /** The next page's number, or `null` on the last page. */
  next: number | null;
  /** The previous page's number, or `null` on the first page. */
  previous: number | null;
  /** This page's rows. */
  results: T[];
}

/** Which page to fetch. */
export interface PageParams {
  /** Page number from 1; default 1. */
  page?: number;
  /** Rows per page; default {@link PaginateOptions.defaultPageSize}, at most {@link PaginateOptions.maxPageSize}. */
  page_size?: number;
}

/** Per-list limits (the reference APIs give each list its own default and maximum). */
export interface PaginateOptions {
  /** Default 10. */
  defaultPageSize?: number;
  /** Default 100. */
  maxPageSize?: number;
}

/** The result of awaiting a ranged supabase-js query. */
export interface RangeResult<T> {
  data: T[] | null;
  error: unknown;
  count: number | null;
  status: number;
}

/**
 * Anything with supabase-js's `.range(from, to)`, such as the builder returned by
 * `supabase.from('posts').select('*', { count: 'exact' })` (with any filters and ordering).
 */
export interface RangeableQuery<T> {
  /**
   * Rows `from` to `to` (0-based, inclusive), with the total when selected with `{ count: 'exact' }`.
   *
   * @example
   * ```ts
   * import type { RangeableQuery } from '@marquee/sdk';
   *
   * const query: RangeableQuery<{ id: number; message: string }> = supabase
   *   .from('notifications')
   *   .select('id, message', { count: 'exact' })
   *   .order('created_at', { ascending: false });
   * const { data, count } = await query.range(0, 9); // the ten newest, and how many there are
   * ```
   */
  range(from: number, to: number): PromiseLike<RangeResult<T>>;
}

/**
 * Validates page parameters: 400 with `fields` when `page` or `page_size` is not a positive integer.
 *
 * @example
 * ```ts
 * const { page, page_size } = pageParams({ page: 2 }); // { page: 2, page_size: 10 }
 * ```
 */
export function pageParams(params: PageParams = {}, options: PaginateOptions = {}): { page: number; page_size: number } {
  const defaultPageSize = options.defaultPageSize ?? 10;
  const maxPageSize = options.maxPageSize ?? 100;
  const page = params.page ?? 1;
  const requested = params.page_size ?? defaultPageSize;
  const fields: Record<string, string[]> = {};
  if (!Number.isInteger(page) || page < 1) fields.page = ['A valid integer greater than or equal to 1 is required.'];
  if (!Number.isInteger(requested) || requested < 1) {
    fields.page_size = ['A valid integer greater than or equal to 1 is required.'];
  }
  if (Object.keys(fields).length > 0) {
    throw new MarqueeError({ status: 400, code: 'validation_failed', detail: 'Invalid pagination parameters.', fields });
  }
  // Like Django REST framework's max_page_size: a larger request is capped, not refused.
  return { page, page_size: Math.min(requested, maxPageSize) };
}

/**
 * Builds a {@link Page} from a row count and one page's rows.
 *
 * @example
 * ```ts
 * toPage([{ id: 1 }], 21, 3, 10); // { count: 21, page: 3, page_size: 10, total_pages: 3, next: null, previous: 2, … }
 * ```
 */
export function toPage<T>(results: T[], count: number, page: number, page_size: number): Page<T> {
  const total_pages = Math.max(1, Math.ceil(count / page_size));
  return {
    count,
    page,
    page_size,
    total_pages,
    next: page < total_pages ? page + 1 : null,
    previous: page > 1 ? Math.min(page - 1, total_pages) : null,
    results,
  };
}

/**
 * Fetches one page of a supabase-js query with `.range()` and returns it as a {@link Page}.
 * The query **must** be selected with `{ count: 'exact' }` so the total is known, and should be
 * ordered so pages are stable. A page past the last one is `404 {"detail": "Invalid page."}` (as in
 * Django REST framework); page 1 of an empty list is an empty page.
 *
 * @example
 * ```ts
 * const page = await paginate(
 *   supabase.from('notifications').select('id, message', { count: 'exact' }).order('created_at', { ascending: false }),
 *   { page: 2, page_size: 20 },
 * );
 * page.results; // rows 21–40
 * page.next;    // 3, or null on the last page
 * ```
 */
export async function paginate<T>(
  query: RangeableQuery<T>,
  params: PageParams = {},
  options: PaginateOptions = {},
): Promise<Page<T>> {
  const { page, page_size } = pageParams(params, options);
  const from = (page - 1) * page_size;
  const result = await Promise.resolve(query.range(from, from + page_size - 1)).then(
    (r) => r,
    async (thrown: unknown) => {
      throw await toMarqueeError(thrown);
    },
  );
  if (result.error) {
    const error = await toMarqueeError(result.error, result.status > 0 ? { status: result.status } : {});
    // PostgREST refuses a range that starts past the last row (PGRST103, 416).
    if (error.code === 'PGRST103' || error.status === 416) {
      throw new MarqueeError({ status: 404, code: 'not_found', detail: 'Invalid page.', cause: error });
    }
    throw error;
  }
  if (typeof result.count !== 'number') {
    throw new MarqueeError({
      status: 500,
      code: 'count_missing',
      detail: "paginate() needs a query selected with { count: 'exact' }.",
    });
  }
  const rows = result.data ?? [];
  if (rows.length === 0 && page > 1) {
    throw new MarqueeError({ status: 404, code: 'not_found', detail: 'Invalid page.' });
  }
  return toPage(rows, result.count, page, page_size);
}
