import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

const BODILESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses request bodies over the limit with 413 before any service reads them. Bodiless methods
 * skip the check: looking for a body makes the Node adapter build a full Request per call.
 */
export function bodyLimit(maxSize: number): MiddlewareHandler {
  const limit = honoBodyLimit({
    maxSize,
    onError: (c) => c.json({ message: 'Request body is too large', max_bytes: maxSize }, 413),
  });
  return (c, next) => (BODILESS.has(c.req.method) ? next() : limit(c, next));
}
