/**
 * Signed URLs: `POST /object/sign/...` (one or many) issue download tokens, `GET /object/sign/...`
 * serves with one; `POST /object/upload/sign/...` issues an upload token and `PUT` uploads with it.
 */
import type { Hono } from 'hono';
import { callerOf, type Caller } from '../auth.ts';
import { ERRORS } from '../errors.ts';
import { findObject, findObjectAs, storeObject, writeObjectRow } from '../objects.ts';
import { serveObject } from '../serve-object.ts';
import { readUploadSource } from '../upload-source.ts';
import type { RouteDeps } from './deps.ts';
import { handler, jsonBody, keyParam } from './handle.ts';
import { mustBeValidKey } from '../limits.ts';

const KEY = ':bucket/:key{.+}';
/** storage-api's default lifetime of a signed upload URL (UPLOAD_SIGNED_URL_EXPIRATION_TIME). */
const UPLOAD_URL_SECONDS = 2 * 60 * 60;
const SERVICE: Caller = { role: 'service_role', claims: { role: 'service_role' }, owner: undefined };

function expiresInOf(value: unknown): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1) throw ERRORS.invalidParameter('expiresIn', "body/expiresIn must be >= 1");
  return seconds;
}

export function signedUrlRoutes(app: Hono, deps: RouteDeps): void {
  const { db, files, jwt, log, signer } = deps;

  app.post('/object/sign/:bucket', handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const bucketId = c.req.param('bucket')!;
    const body = await jsonBody<{ expiresIn: number; paths: string[] }>(c);
    const expiresIn = expiresInOf(body.expiresIn);
    if (!Array.isArray(body.paths)) throw ERRORS.missingParameter('paths');
    const paths = body.paths.map(String);
    const visible = await db.as(caller, 'storage.object.sign_many', (tx) =>
      tx<{ name: string }[]>`select name from storage.objects where bucket_id = ${bucketId}
        and name in (select jsonb_array_elements_text(${JSON.stringify(paths)}::text::jsonb))`,
    );
    const names = new Set(visible.map((r) => r.name));
    const results = await Promise.all(paths.map(async (path) => {
      if (!names.has(path)) return { error: 'Either the object does not exist or you do not have access to it', path, signedURL: null };
      const url = `${bucketId}/${path}`;
      const token = await signer.sign({ url, scope: 'download' }, expiresIn);
      return { error: null, path, signedURL: `/object/sign/${url}?token=${token}` };
    }));
    return c.json(results);
  }));

  app.post(`/object/sign/${KEY}`, handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const bucketId = c.req.param('bucket')!;
    const name = keyParam(c);
    const body = await jsonBody<{ expiresIn: number }>(c);
    const expiresIn = expiresInOf(body.expiresIn);
    await findObjectAs(db, caller, 'storage.object.sign', bucketId, name);
    const url = `${bucketId}/${name}`;
    const token = await signer.sign({ url, scope: 'download' }, expiresIn);
    return c.json({ signedURL: `/object/sign/${url}?token=${token}` });
  }));

  app.get(`/object/sign/${KEY}`, handler(log, async (c) => {
    const bucketId = c.req.param('bucket')!;
    const name = keyParam(c);
    const token = await signer.verify(c.req.query('token'), 'download', bucketId, name);
    const object = await findObjectAs(db, 'service', 'storage.object.get_signed', bucketId, name);
    return serveObject(c.req.raw, files, object, {
      head: c.req.method === 'HEAD',
      download: c.req.query('download'),
      expires: new Date(token.exp * 1000),
    });
  }));

  app.post(`/object/upload/sign/${KEY}`, handler(log, async (c) => {
    const caller = await callerOf(c, jwt);
    const bucketId = c.req.param('bucket')!;
    const name = keyParam(c);
    mustBeValidKey(name);
    const upsert = c.req.header('x-upsert') === 'true';
    const [bucket] = await db.asService('storage.object.sign_upload_url', (tx) => tx`select 1 from storage.buckets where id = ${bucketId}`);
    if (!bucket) throw ERRORS.noSuchBucket();
    // Would the policies let the caller write this object? (storage-api's canUpload)
    await db.test(caller, 'storage.object.sign_upload_url', async (tx) => {
      if (!upsert) {
        const existing = await findObject(tx, bucketId, name).catch(() => undefined);
        if (existing) throw ERRORS.resourceAlreadyExists();
      }
      await writeObjectRow(tx, { bucketId, name, owner: caller.owner, version: '1', metadata: null, userMetadata: null }, upsert);
    });
    const url = `${bucketId}/${name}`;
    const token = await signer.sign({ url, scope: 'upload', owner: caller.owner, upsert }, UPLOAD_URL_SECONDS);
    return c.json({ url: `/object/upload/sign/${url}?token=${token}`, token });
  }));

  app.put(`/object/upload/sign/${KEY}`, handler(log, async (c) => {
    const bucketId = c.req.param('bucket')!;
    const name = keyParam(c);
    const token = await signer.verify(c.req.query('token'), 'upload', bucketId, name);
    const result = await storeObject(
      deps,
      { writer: SERVICE, operation: 'storage.object.upload_signed', bucketId, name, owner: token.owner, upsert: Boolean(token.upsert) },
      (maxBytes) => readUploadSource(c.req.raw, maxBytes),
    );
    return c.json({ Key: result.key, Id: result.id });
  }));
}
