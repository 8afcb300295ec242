import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../shared/logger.ts';

/** One JSON line per request (method, path, status, duration); silenced with `--quiet`. */
export function accessLog(log: Logger): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    log.info('request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      duration_ms: Math.round((performance.now() - started) * 100) / 100,
    });
  };
}
