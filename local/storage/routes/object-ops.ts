/** `/object/list`, `/object/move`, `/object/copy` and bulk `DELETE /object/:bucket`. */
import type { Hono } from 'hono';
import { callerOf } from '../auth.ts';
import { ERRORS } from '../errors.ts';
import { copyObject, moveObject, removeObjects } from '../objects.ts';
import { parseUserMetadata } from '../upload-source.ts';
import type { RouteDeps } from './deps.ts';
import { handler, jsonBody, requireString } from './handle.ts';

interface ListBody {
  prefix: string;
  limit: number;
  offset: number;
  search: string;
  sortBy: { column?: string; order?: string };
}

interface MoveBody {
  bucketId: string;
  sourceKey: string;
  destinationKey: string;
  destinationBucket: string;
  copyMetadata: boolean;
  metadata: { cacheControl?: string; mimetype?: string };
}

const SORT_COLUMNS = new Set(['name', 'updated_at', 'created_at', 'last_accessed_at']);

export function objectOpsRoutes(app: Hono, deps: RouteDeps): void {
  const { db, jwt, log } = deps;

  app.post('/object/list/:bucket', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const body = await jsonBody<ListBody>(c);
    if (typeof body.prefix !== 'string') throw ERRORS.invalidParameter('prefix', "body must have required property 'prefix'");
    let prefix = body.prefix;
    // storage-api treats the prefix as a folder.
    if (prefix.length > 0 && !prefix.endsWith('/')) prefix = `${prefix}/`;
    const column = body.sortBy?.column ?? 'name';
    if (!SORT_COLUMNS.has(column)) throw ERRORS.invalidParameter('sortBy.column');
    const order = body.sortBy?.order === 'desc' ? 'desc' : 'asc';
    const limit = Number.isInteger(body.limit) && body.limit! >= 1 ? body.limit! : 100;
    const offset = Number.isInteger(body.offset) && body.offset! >= 0 ? body.offset! : 0;
    const rows = await db.as(caller, 'storage.object.list', (tx) =>
      tx`select name, id, updated_at, created_at, last_accessed_at, metadata
        from storage.search(${prefix}, ${c.req.param('bucket')!}, ${limit}, 1, ${offset}, ${body.search ?? ''}, ${column}, ${order})`,
    );
    return c.json(rows);
  }));

  app.post('/object/move', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const body = await jsonBody<MoveBody>(c);
    const bucketId = requireString(body.bucketId, 'bucketId');
    const moved = await moveObject(
      deps,
      caller,
      { bucketId, name: requireString(body.sourceKey, 'sourceKey') },
      { bucketId: body.destinationBucket || bucketId, name: requireString(body.destinationKey, 'destinationKey') },
    );
    return c.json({ message: 'Successfully moved', Id: moved.id, Key: moved.name });
  }));

  app.post('/object/copy', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const body = await jsonBody<MoveBody>(c);
    const bucketId = requireString(body.bucketId, 'bucketId');
    const destinationBucket = body.destinationBucket || bucketId;
    const destinationKey = requireString(body.destinationKey, 'destinationKey');
    const metadataHeader = c.req.header('x-metadata');
    const copied = await copyObject(
      deps,
      caller,
      { bucketId, name: requireString(body.sourceKey, 'sourceKey') },
      { bucketId: destinationBucket, name: destinationKey },
      {
        upsert: c.req.header('x-upsert') === 'true',
        copyMetadata: body.copyMetadata ?? true,
        metadata: body.metadata,
        userMetadata: metadataHeader ? parseUserMetadata(Buffer.from(metadataHeader, 'base64').toString('utf8')) : undefined,
      },
    );
    return c.json({ Id: copied.id, Key: `${destinationBucket}/${destinationKey}`, ...copied });
  }));

  app.delete('/object/:bucket', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const body = await jsonBody<{ prefixes: string[] }>(c);
    if (!Array.isArray(body.prefixes) || body.prefixes.length === 0) throw ERRORS.invalidParameter('prefixes', "body must have required property 'prefixes'");
    const names = body.prefixes.filter((p): p is string => typeof p === 'string');
    return c.json(await removeObjects(deps, caller, 'storage.object.delete_many', c.req.param('bucket')!, names));
  }));
}
