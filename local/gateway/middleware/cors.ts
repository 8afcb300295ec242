import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { setResponseHeaders } from './response-headers.ts';

export interface CorsOptions {
  allowMethods: string[];
  exposeHeaders: string[];
  maxAge: number;
}

/**
 * CORS for any origin, as the CLI stack's Kong answers: a preflight (`OPTIONS`) gets 204 with the
 * allowed methods and the requested headers (Hono's own CORS middleware answers it); every other
 * response, errors and 404s included, gets `Access-Control-Allow-Origin: *` and the exposed
 * headers, set over whatever the handler sent once it has answered.
 */
export function cors(options: CorsOptions): MiddlewareHandler {
  const preflight = honoCors({ origin: '*', ...options });
  const headers = [
    ['Access-Control-Allow-Origin', '*'],
    ...(options.exposeHeaders.length > 0 ? [['Access-Control-Expose-Headers', options.exposeHeaders.join(',')] as const] : []),
  ] as const;
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    setResponseHeaders(c, headers);
  };
}
