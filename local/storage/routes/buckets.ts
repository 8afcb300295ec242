/** `/bucket` routes: list, get, create, update, empty, delete. */
import type { Hono } from 'hono';
import { callerOf } from '../auth.ts';
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from '../buckets.ts';
import type { RouteDeps } from './deps.ts';
import { handler, jsonBody } from './handle.ts';

const numberParam = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

export function bucketRoutes(app: Hono, deps: RouteDeps): void {
  const { db, files, jwt, log, globalSizeLimit } = deps;

  app.get('/bucket', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const q = c.req.query();
    const buckets = await listBuckets(db, caller, {
      limit: numberParam(q.limit),
      offset: numberParam(q.offset),
      sortColumn: q.sortColumn,
      sortOrder: q.sortOrder,
      search: q.search,
    });
    return c.json(buckets);
  }));

  app.get('/bucket/:id', handler(log, async (c) => c.json(await getBucket(db, await callerOf(c, jwt), c.req.param('id')!))));

  app.post('/bucket', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    return c.json(await createBucket(db, caller, await jsonBody(c), globalSizeLimit));
  }));

  app.put('/bucket/:id', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    await updateBucket(db, caller, c.req.param('id')!, await jsonBody(c), globalSizeLimit);
    return c.json({ message: 'Successfully updated' });
  }));

  app.post('/bucket/:id/empty', handler(log, async (c) => {
    await emptyBucket(db, files, await callerOf(c, jwt), c.req.param('id')!);
    return c.json({ message: 'Empty bucket has been queued. Completion may take up to an hour.' });
  }));

  app.delete('/bucket/:id', handler(log, async (c) => {
    await deleteBucket(db, files, await callerOf(c, jwt), c.req.param('id')!);
    return c.json({ message: 'Successfully deleted' });
  }));
}
