import type { MiddlewareHandler } from 'hono';
import { roleJwtByApiKey, type LocalConfig } from '../../config/index.ts';

/**
 * Checks the `apikey` header (or query parameter) as the Supabase gateway's key-auth does: only
 * the project's anon and service_role keys are accepted. The services behind only ever see JWTs:
 * an sb_ key sent as bearer becomes its role JWT, and a request without `Authorization` gets the
 * JWT of its apikey. A key given in the query string is taken out of it (key-auth's
 * hide_credentials), so REST does not read it as a filter.
 */
export function apiKey(config: LocalConfig): MiddlewareHandler {
  const keys = roleJwtByApiKey(config);
  return async (c, next) => {
    const header = c.req.header('apikey');
    const key = header ?? c.req.query('apikey');
    if (!key) return c.json({ message: 'No API key found in request' }, 401);
    const roleJwt = keys.get(key);
    if (!roleJwt) return c.json({ message: 'Invalid authentication credentials' }, 401);
    if (header === undefined) c.req.raw = withoutQueryKey(c.req.raw);
    normaliseBearer(c.req.raw.headers, keys, roleJwt);
    await next();
  };
}

function withoutQueryKey(request: Request): Request {
  const url = new URL(request.url);
  url.searchParams.delete('apikey');
  const hasBody = request.body !== null;
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: request.body,
    signal: request.signal,
    ...(hasBody ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Functions need no apikey (verify_jwt decides), but sb_ keys still become role JWTs. */
export function bearerFromKeys(config: LocalConfig): MiddlewareHandler {
  const keys = roleJwtByApiKey(config);
  return async (c, next) => {
    const key = c.req.header('apikey');
    normaliseBearer(c.req.raw.headers, keys, key ? keys.get(key) : undefined);
    await next();
  };
}

function normaliseBearer(headers: Headers, keys: Map<string, string>, fallback: string | undefined): void {
  const authorization = headers.get('authorization');
  const bearer = authorization ? /^Bearer\s+(.+)$/i.exec(authorization)?.[1] : undefined;
  const mapped = bearer?.startsWith('sb_') ? keys.get(bearer) : undefined;
  if (mapped) headers.set('authorization', `Bearer ${mapped}`);
  else if (!authorization && fallback) headers.set('authorization', `Bearer ${fallback}`);
}
