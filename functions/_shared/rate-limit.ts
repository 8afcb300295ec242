/**
 * The functions' own rate limits, kept in the database (rpc `take_rate_limits`) so they hold across
 * workers. The client address is the X-Forwarded-For entry the platform's gateway appended: the
 * last one by default (Kong, and Marquee Local's gateway, append the address they accepted);
 * `CLIENT_IP_FORWARDED_INDEX` counts from the right when more proxies append after it. Entries
 * further left are the client's own words and never used.
 */
import { tooManyRequests } from './errors.ts';
import type { Limit } from './limits.ts';
import { callService } from './supabase.ts';

export const TOO_MANY_REQUESTS = 'Too many requests. Please try again later.';

/** The address the platform's proxy recorded for this request ('unknown' without one). */
export function clientAddress(req: Request): string {
  const fromRight = Math.max(1, Number(Deno.env.get('CLIENT_IP_FORWARDED_INDEX') ?? 1) || 1);
  const entries = (req.headers.get('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  return entries[entries.length - fromRight] ?? 'unknown';
}

export type Hit = readonly [Limit, string];

const rows = (hits: readonly Hit[]) =>
  hits.map(([limit, key]) => ({ bucket: limit.bucket, key, limit: limit.limit, window_seconds: limit.windowSeconds }));

/** Counts one hit per [limit, key] in order; the 429 to answer when one is over its limit. */
export async function takeLimits(hits: readonly Hit[], detail = TOO_MANY_REQUESTS): Promise<Response | undefined> {
  const wait = await callService('take_rate_limits', { p_limits: rows(hits) });
  return typeof wait === 'number' && wait > 0 ? tooManyRequests(detail, wait) : undefined;
}

/** Gives back one hit per [limit, key] (a request that turned out not to count). */
export async function returnLimits(hits: readonly Hit[]): Promise<void> {
  await callService('return_rate_limits', { p_limits: rows(hits) });
}

/** Seconds until every [limit, key] is under its limit again (0 when they are), counting nothing. */
export async function retryAfter(hits: readonly Hit[]): Promise<number> {
  const wait = await callService('rate_limit_retry_after', { p_limits: rows(hits) });
  return typeof wait === 'number' ? wait : 0;
}
