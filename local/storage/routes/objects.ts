/** `/object/...` routes for one object: upload, download (authenticated and public), info, delete. */
import type { Context, Hono } from 'hono';
import { callerOf, type Caller } from '../auth.ts';
import { ERRORS } from '../errors.ts';
import { bucketForUpload, findObjectAs, removeObjects, storeObject } from '../objects.ts';
import { objectInfo, serveObject } from '../serve-object.ts';
import { readUploadSource } from '../upload-source.ts';
import type { RouteDeps } from './deps.ts';
import { handler, keyParam } from './handle.ts';

const KEY = ':bucket/:key{.+}';

export function objectRoutes(app: Hono, deps: RouteDeps): void {
  const { db, files, jwt, log } = deps;

  const download = (c: Context) => c.req.query('download');

  const serveAuthenticated = handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const object = await findObjectAs(db, caller, 'storage.object.get_authenticated', c.req.param('bucket')!, keyParam(c));
    return serveObject(c.req.raw, files, object, { head: c.req.method === 'HEAD', download: download(c) });
  });

  const servePublic = handler(log, async (c) => {
    const bucket = await bucketForUpload(db, c.req.param('bucket')!, 'storage.object.get_public');
    if (!bucket.public) throw ERRORS.noSuchBucket();
    const object = await findObjectAs(db, 'service', 'storage.object.get_public', bucket.id, keyParam(c));
    return serveObject(c.req.raw, files, object, { head: c.req.method === 'HEAD', download: download(c) });
  });

  const info = (visibility: 'authenticated' | 'public') => handler(log, async (c) => {
    let object;
    if (visibility === 'public') {
      const bucket = await bucketForUpload(db, c.req.param('bucket')!, 'storage.object.info_public');
      if (!bucket.public) throw ERRORS.noSuchBucket();
      object = await findObjectAs(db, 'service', 'storage.object.info_public', bucket.id, keyParam(c));
    } else {
      object = await findObjectAs(db, await callerOf(c, jwt), 'object.get_authenticated_info', c.req.param('bucket')!, keyParam(c));
    }
    const headers: Record<string, string> = {};
    if (object.metadata?.eTag) headers.ETag = object.metadata.eTag;
    if (object.metadata?.cacheControl) headers['Cache-Control'] = object.metadata.cacheControl;
    return c.json(objectInfo(object), 200, headers);
  });

  const upload = (method: 'POST' | 'PUT') => handler(log, async (c) => {
    const caller: Caller = await callerOf(c, jwt);
    const bucketId = c.req.param('bucket')!;
    const result = await storeObject(
      deps,
      {
        writer: caller,
        operation: method === 'POST' ? 'storage.object.upload' : 'storage.object.upload_update',
        bucketId,
        name: keyParam(c),
        owner: caller.owner,
        // storage-js sends PUT (update) without x-upsert: an update replaces the object.
        upsert: method === 'PUT' || c.req.header('x-upsert') === 'true',
      },
      (maxBytes) => readUploadSource(c.req.raw, maxBytes),
    );
    return c.json({ Id: result.id, Key: result.key });
  });

  app.get(`/object/info/public/${KEY}`, info('public'));
  app.get(`/object/info/authenticated/${KEY}`, info('authenticated'));
  app.get(`/object/info/${KEY}`, info('authenticated'));
  app.get(`/object/public/${KEY}`, servePublic);
  app.get(`/object/authenticated/${KEY}`, serveAuthenticated);
  app.get(`/object/${KEY}`, serveAuthenticated);
  app.post(`/object/${KEY}`, upload('POST'));
  app.put(`/object/${KEY}`, upload('PUT'));

  app.delete(`/object/${KEY}`, handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const removed = await removeObjects(deps, caller, 'storage.object.delete', c.req.param('bucket')!, [keyParam(c)]);
    if (removed.length === 0) throw ERRORS.noSuchKey();
    return c.json({ message: 'Successfully deleted' });
  }));
}
