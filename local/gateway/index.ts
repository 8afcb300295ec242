import { Hono } from 'hono';
import type { LocalConfig } from '../config/index.ts';
import type { Service } from '../shared/context.ts';
import type { Logger } from '../shared/logger.ts';
import { accessLog } from './middleware/access-log.ts';
import { apiKey, bearerFromKeys } from './middleware/api-key.ts';
import { bodyLimit } from './middleware/body-limit.ts';
import { cors } from './middleware/cors.ts';
import { forwardedFor } from './middleware/forwarded-for.ts';
import { REQUEST_ID_HEADER, requestId } from './middleware/request-id.ts';

export interface GatewayServices {
  auth: Service;
  rest: Service;
  functions: Service;
  storage: Service;
  realtime: Service;
}

/** Auth routes Supabase's gateway leaves open: links in emails, OAuth redirects, public keys. */
const OPEN_AUTH_PATHS = ['/auth/v1/verify', '/auth/v1/callback', '/auth/v1/authorize', '/auth/v1/.well-known/jwks.json'];

/** The API gateway on 54321: request ids, the client's address, access logs, CORS, apikey checks, then each service. */
export function createGateway(config: LocalConfig, log: Logger, services: GatewayServices, maxBodyBytes: number) {
  const app = new Hono<{ Variables: { requestId: string } }>();
  app.use(requestId());
  app.use(forwardedFor(config.trustedProxies));
  if (!config.quiet) app.use(accessLog(log));
  app.use(
    cors({
      allowMethods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: [
        'Content-Range', 'Content-Profile', 'Content-Location', 'Location', 'Preference-Applied', 'Range-Unit',
        'X-Total-Count', 'Link', 'X-Supabase-Api-Version', REQUEST_ID_HEADER,
        // storage: downloads and resumable (TUS) uploads
        'ETag', 'Content-Disposition', 'Upload-Offset', 'Upload-Length', 'Tus-Resumable', 'Tus-Version', 'Tus-Extension', 'Tus-Max-Size',
      ],
      maxAge: 3600,
    }),
  );
  // Storage enforces its buckets' own size limits on uploads; functions set their own (Supabase's
  // gateway does not cap function bodies).
  const limitBody = bodyLimit(maxBodyBytes);
  for (const prefix of ['/auth/v1', '/rest/v1']) app.use(`${prefix}/*`, limitBody);

  const requireKey = apiKey(config);
  app.use('/auth/v1/*', async (c, next) =>
    OPEN_AUTH_PATHS.some((p) => c.req.path.startsWith(p)) ? next() : requireKey(c, next),
  );
  app.use('/rest/v1/*', requireKey);
  app.use('/rest/v1', requireKey);
  app.use('/functions/v1/*', bearerFromKeys(config));
  // Like the CLI's gateway, storage needs no apikey (public objects are plain links); it checks
  // the bearer token itself. Realtime's HTTP API needs the key; its WebSocket upgrades never reach
  // this app (local/stack.ts routes them) and check the apikey of their URL themselves.
  app.use('/storage/v1/*', bearerFromKeys(config));
  app.use('/realtime/v1/*', requireKey);

  app.route('/auth/v1', services.auth.app);
  app.route('/rest/v1', services.rest.app);
  app.route('/functions/v1', services.functions.app);
  app.route('/storage/v1', services.storage.app);
  app.route('/realtime/v1', services.realtime.app);

  app.notFound((c) => c.json({ message: 'no Route matched with those values' }, 404));
  app.onError((error, c) => {
    log.error('unhandled gateway error', { request_id: c.get('requestId'), error: error.message, stack: error.stack });
    return c.json({ message: 'An unexpected error occurred' }, 500);
  });
  return app;
}
