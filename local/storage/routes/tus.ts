/**
 * Resumable uploads at `/upload/resumable`: TUS 1.0.0 core (POST create, HEAD offset, PATCH append)
 * with the creation and termination extensions, as storage-api serves them to tus-js-client. No
 * installed package speaks TUS, so the protocol is hand-written here. Upload-Metadata carries
 * bucketName, objectName, contentType, cacheControl and metadata; the object row is written as the
 * caller when the last byte arrives, so storage.objects policies decide (and are checked at creation).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Context, Hono } from 'hono';
import { callerOf, type Caller } from '../auth.ts';
import { ERRORS, StorageError, toStorageError } from '../errors.ts';
import { mustBeAllowedMimeType, mustBeValidKey } from '../limits.ts';
import { bucketForUpload, commitObject, findObject, metadataOf, sizeLimitOf, writeObjectRow } from '../objects.ts';
import { parseUserMetadata } from '../upload-source.ts';
import type { RouteDeps } from './deps.ts';

const TUS_VERSION = '1.0.0';
const BASE = '/upload/resumable';

interface PendingUpload {
  bucketId: string;
  name: string;
  version: string;
  length: number;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
  owner: string | undefined;
  upsert: boolean;
}

const tusHeaders = (extra: Record<string, string> = {}) => ({ 'Tus-Resumable': TUS_VERSION, ...extra });

function tusError(error: unknown): Response {
  const storageError = toStorageError(error);
  const status = storageError.statusCode >= 400 && storageError.statusCode < 600 ? storageError.statusCode : 500;
  return Response.json(storageError.render(), { status, headers: tusHeaders() });
}

/** `key base64,key base64` (TUS Upload-Metadata). */
function parseTusMetadata(header: string | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of (header ?? '').split(',')) {
    const [key, value] = pair.trim().split(' ');
    if (key) result[key] = value ? Buffer.from(value, 'base64').toString('utf8') : '';
  }
  return result;
}

/** The public URL of an upload, as the client reached the gateway. */
function locationOf(c: Context, id: string): string {
  const url = new URL(c.req.url);
  const proto = c.req.header('x-forwarded-proto') ?? url.protocol.replace(':', '');
  const host = c.req.header('x-forwarded-host') ?? url.host;
  const prefix = url.pathname.slice(0, url.pathname.indexOf(BASE));
  return `${proto}://${host}${prefix}${BASE}/${id}`;
}

export function tusRoutes(app: Hono, deps: RouteDeps): void {
  const { db, files, jwt, log } = deps;
  const dir = path.join(files.root, '.uploads');
  const stateFile = (id: string) => path.join(dir, `${id}.json`);
  const partFile = (id: string) => path.join(dir, `${id}.part`);
  const validId = (id: string) => /^[A-Za-z0-9_-]+$/.test(id);

  const load = async (id: string): Promise<PendingUpload | undefined> => {
    if (!validId(id)) return undefined;
    return readFile(stateFile(id), 'utf8').then((t) => JSON.parse(t) as PendingUpload, () => undefined);
  };
  const forget = async (id: string) => {
    await rm(stateFile(id), { force: true });
    await rm(partFile(id), { force: true });
  };

  // storage-api checks the caller's right to write the object on every TUS request, not only at
  // creation: another user holding the upload URL can neither read its offset, append nor cancel it.
  const mustMayWrite = (caller: Caller, pending: PendingUpload) =>
    db.test(caller, 'storage.object.upload', (tx) =>
      writeObjectRow(tx, { bucketId: pending.bucketId, name: pending.name, owner: caller.owner, version: '1', metadata: null, userMetadata: null }, true));

  app.options(BASE, () => new Response(null, {
    status: 204,
    headers: tusHeaders({ 'Tus-Version': TUS_VERSION, 'Tus-Extension': 'creation,termination', 'Tus-Max-Size': String(deps.globalSizeLimit) }),
  }));

  app.post(BASE, async (c) => {
    try {
      const caller: Caller = await callerOf(c, jwt);
      const length = Number(c.req.header('upload-length'));
      if (!Number.isSafeInteger(length) || length < 0) throw new StorageError(400, 'InvalidRequest', 'Upload-Length header is required');
      const meta = parseTusMetadata(c.req.header('upload-metadata'));
      const bucketId = meta.bucketName ?? '';
      const name = meta.objectName ?? '';
      if (!bucketId) throw ERRORS.missingParameter('bucketName');
      mustBeValidKey(name);
      const bucket = await bucketForUpload(db, bucketId, 'storage.object.upload');
      const mimeType = meta.contentType || 'application/octet-stream';
      mustBeAllowedMimeType(mimeType, bucket.allowed_mime_types);
      if (length > sizeLimitOf(deps, bucket)) throw ERRORS.entityTooLarge();
      const upsert = c.req.header('x-upsert') === 'true';
      // Would the policies let the caller write it? (storage-api's canUpload at creation)
      await db.test(caller, 'storage.object.upload', async (tx) => {
        if (!upsert && (await findObject(tx, bucketId, name).catch(() => undefined))) throw ERRORS.resourceAlreadyExists();
        await writeObjectRow(tx, { bucketId, name, owner: caller.owner, version: '1', metadata: null, userMetadata: null }, upsert);
      });
      const version = randomUUID();
      const id = Buffer.from(`${bucketId}/${name}/${version}`).toString('base64url');
      const pending: PendingUpload = {
        bucketId, name, version, length, mimeType,
        cacheControl: meta.cacheControl ? `max-age=${meta.cacheControl}` : 'no-cache',
        userMetadata: parseUserMetadata(meta.metadata), owner: caller.owner, upsert,
      };
      await mkdir(dir, { recursive: true });
      await writeFile(partFile(id), '');
      await writeFile(stateFile(id), JSON.stringify(pending));
      return new Response(null, { status: 201, headers: tusHeaders({ Location: locationOf(c, id) }) });
    } catch (error) {
      return tusError(error);
    }
  });

  // Hono answers HEAD with the GET route, without its body.
  app.get(`${BASE}/:id`, async (c) => {
    try {
      const caller = await callerOf(c, jwt);
      const id = c.req.param('id')!;
      const pending = await load(id);
      if (!pending) return new Response(null, { status: 404, headers: tusHeaders() });
      await mustMayWrite(caller, pending);
      const offset = await files.sizeOf(partFile(id));
      return new Response(null, {
        status: 200,
        headers: tusHeaders({ 'Upload-Offset': String(offset), 'Upload-Length': String(pending.length), 'Cache-Control': 'no-store' }),
      });
    } catch (error) {
      return tusError(error);
    }
  });

  app.patch(`${BASE}/:id`, async (c) => {
    try {
      const caller = await callerOf(c, jwt);
      const id = c.req.param('id')!;
      const pending = await load(id);
      if (!pending) return new Response(null, { status: 404, headers: tusHeaders() });
      await mustMayWrite(caller, pending);
      if (c.req.header('content-type') !== 'application/offset+octet-stream') {
        return new Response('Invalid Content-Type', { status: 415, headers: tusHeaders() });
      }
      const offset = Number(c.req.header('upload-offset'));
      const current = await files.sizeOf(partFile(id));
      if (offset !== current) return new Response('Upload-Offset conflict', { status: 409, headers: tusHeaders() });
      const body = (c.req.raw.body ?? []) as AsyncIterable<Uint8Array>;
      const size = await files.append(partFile(id), body, pending.length);
      if (size < pending.length) {
        return new Response(null, { status: 204, headers: tusHeaders({ 'Upload-Offset': String(size) }) });
      }
      const stored = await files.adopt(partFile(id), pending.bucketId, pending.name, pending.version);
      await rm(stateFile(id), { force: true });
      await commitObject(
        deps,
        { writer: caller, operation: 'storage.object.upload', bucketId: pending.bucketId, name: pending.name, owner: pending.owner, upsert: pending.upsert },
        pending.version,
        metadataOf(stored, pending.mimeType, pending.cacheControl),
        pending.userMetadata,
      );
      return new Response(null, { status: 204, headers: tusHeaders({ 'Upload-Offset': String(size) }) });
    } catch (error) {
      if (!(error instanceof StorageError)) log.error('resumable upload failed', { error: (error as Error).message });
      return tusError(error);
    }
  });

  app.delete(`${BASE}/:id`, async (c) => {
    try {
      const caller = await callerOf(c, jwt);
      const id = c.req.param('id')!;
      const pending = await load(id);
      if (!pending) return new Response(null, { status: 404, headers: tusHeaders() });
      await mustMayWrite(caller, pending);
      await forget(id);
      return new Response(null, { status: 204, headers: tusHeaders() });
    } catch (error) {
      return tusError(error);
    }
  });
}
