import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Refuses request bodies over the limit with 413 before any service reads them. */
export function bodyLimit(maxSize: number): MiddlewareHandler {
  return honoBodyLimit({
    maxSize,
    onError: (c) => c.json({ message: 'Request body is too large', max_bytes: maxSize }, 413),
  });
}
