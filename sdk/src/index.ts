/**
 * `@marquee/sdk`: a typed client for Marquee over `@supabase/supabase-js`.
 *
 * @example
 * ```ts
 * import { createMarquee, isMarqueeError } from '@marquee/sdk';
 * const marquee = createMarquee({ url, key });
 * ```
 *
 * @module
 */
export { createMarquee } from './client.ts';
export type { CreateMarqueeOptions, Marquee, MarqueeNamespaces, MarqueeSupabaseClient, NamespaceFactory } from './client.ts';
export { MarqueeError, fromZodIssues, isMarqueeError, toMarqueeError, unwrap } from './errors.ts';
export type { ErrorContext, FieldErrors, MarqueeErrorInit, ZodIssueLike } from './errors.ts';
export { pageParams, paginate, toPage } from './pagination.ts';
export type { Page, PageParams, PaginateOptions, RangeResult, RangeableQuery } from './pagination.ts';
export type { CompositeTypes, Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from './database.types.ts';
