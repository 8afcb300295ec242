import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { setResponseHeaders } from './response-headers.ts';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Keeps the caller's request id or makes one, and echoes it on the response. */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const id = c.req.header(REQUEST_ID_HEADER) || randomUUID();
    c.set('requestId', id);
    await next();
    setResponseHeaders(c, [[REQUEST_ID_HEADER, id]]);
  };
}
