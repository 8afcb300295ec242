/**
 * Marquee Local Storage: a storage-api-compatible service for `/storage/v1` (buckets, objects,
 * signed URLs, resumable uploads). Rows live in the `storage` schema and are written as the
 * request's role, so `storage.objects` policies decide; bytes live under `.marquee/storage`.
 */
import path from 'node:path';
import { Hono } from 'hono';
import { section } from '../config/index.ts';
import type { Service, ServiceContext } from '../shared/context.ts';
import { FileStore } from './backend/file-store.ts';
import { createStorageDb } from './database.ts';
import { ERRORS } from './errors.ts';
import { parseConfigSizeLimit } from './limits.ts';
import { bucketRoutes } from './routes/buckets.ts';
import type { RouteDeps } from './routes/deps.ts';
import { errorResponse } from './routes/handle.ts';
import { objectOpsRoutes } from './routes/object-ops.ts';
import { objectRoutes } from './routes/objects.ts';
import { signedUrlRoutes } from './routes/signed-urls.ts';
import { tusRoutes } from './routes/tus.ts';
import { UrlSigner } from './signed-urls.ts';

export async function createStorageService(ctx: ServiceContext): Promise<Service> {
  const log = ctx.log.child({ service: 'storage' });
  const db = createStorageDb(ctx.config);
  const deps: RouteDeps = {
    db,
    files: new FileStore(path.join(path.dirname(path.resolve(ctx.config.dataDir)), 'storage')),
    globalSizeLimit: parseConfigSizeLimit(section(ctx.config.toml, 'storage').file_size_limit),
    jwt: ctx.jwt,
    signer: new UrlSigner(ctx.config.jwtSecret),
    log,
  };

  const app = new Hono();
  bucketRoutes(app, deps);
  tusRoutes(app, deps);
  // Fixed paths (`/object/sign/...`, `/object/list/...`) before the `/object/:bucket/...` catch-alls.
  signedUrlRoutes(app, deps);
  objectOpsRoutes(app, deps);
  objectRoutes(app, deps);
  app.get('/status', (c) => c.text(''));
  app.notFound(() => errorResponse(ERRORS.notFoundRoute()));

  return { app, close: () => db.close() };
}
