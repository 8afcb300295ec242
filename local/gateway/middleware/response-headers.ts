import type { Context } from 'hono';

/**
 * Sets headers on the response a handler has already returned, overriding any it set itself.
 *
 * Hono's `c.header()` after the handler has answered rebuilds the response around `res.body`,
 * which makes the Node adapter turn its lightweight response into a full one with a streamed
 * body. Setting the headers in place keeps the adapter's fast path (a string body written in one
 * go). Responses whose headers are immutable (a `fetch()` result passed through) still go
 * through `c.header()`, which copies them first.
 */
export function setResponseHeaders(c: Context, headers: ReadonlyArray<readonly [string, string]>): void {
  try {
    for (const [name, value] of headers) c.res.headers.set(name, value);
  } catch {
    for (const [name, value] of headers) c.header(name, value);
  }
}
