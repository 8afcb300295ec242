/**
 * Objects: their rows in `storage.objects` (written as the caller, so policies decide) and their
 * bytes in the file store. A row is written only after its file is complete, and a file whose row
 * could not be written is removed again.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from './auth.ts';
import type { FileStore, StoredFile } from './backend/file-store.ts';
import type { StorageDb, Tx } from './database.ts';
import { ERRORS } from './errors.ts';
import { mustBeAllowedMimeType, mustBeValidKey } from './limits.ts';
import type { UploadSource } from './upload-source.ts';

export interface StorageDeps {
  db: StorageDb;
  files: FileStore;
  /** `[storage] file_size_limit`: no upload may exceed it, whatever its bucket says. */
  globalSizeLimit: number;
}

export interface BucketLimits {
  id: string;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
}

export interface ObjectRow {
  id: string;
  bucket_id: string;
  name: string;
  owner: string | null;
  owner_id: string | null;
  version: string | null;
  metadata: ObjectMetadata | null;
  user_metadata: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
  last_accessed_at: Date;
}

export interface ObjectMetadata {
  eTag: string;
  size: number;
  mimetype: string;
  cacheControl: string;
  lastModified: string;
  contentLength: number;
  httpStatusCode: number;
}

const OBJECT_COLUMNS = 'id, bucket_id, name, owner, owner_id, version, metadata, user_metadata, created_at, updated_at, last_accessed_at';

const isUuid = (value: string | undefined): value is string =>
  !!value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** The bucket an upload goes to, looked up past RLS as storage-api does (asSuperUser). */
export async function bucketForUpload(db: StorageDb, bucketId: string, operation: string): Promise<BucketLimits> {
  const [bucket] = await db.asService(operation, (tx) =>
    tx<BucketLimits[]>`select id, public, file_size_limit::float8 as file_size_limit, to_jsonb(allowed_mime_types) as allowed_mime_types
      from storage.buckets where id = ${bucketId}`,
  );
  if (!bucket) throw ERRORS.noSuchBucket();
  return bucket;
}

/** The largest upload a bucket takes: its own limit, capped by the global one. */
export function sizeLimitOf(deps: StorageDeps, bucket: BucketLimits): number {
  return bucket.file_size_limit ? Math.min(bucket.file_size_limit, deps.globalSizeLimit) : deps.globalSizeLimit;
}

export function metadataOf(stored: StoredFile, mimeType: string, cacheControl: string): ObjectMetadata {
  return {
    eTag: stored.eTag,
    size: stored.size,
    mimetype: mimeType,
    cacheControl,
    lastModified: stored.lastModified.toISOString(),
    contentLength: stored.size,
    httpStatusCode: 200,
  };
}

/** Inserts (or with `upsert`, inserts or replaces) an object row as whoever `tx` runs as. */
export async function writeObjectRow(
  tx: Tx,
  row: { bucketId: string; name: string; owner: string | undefined; version: string; metadata: object | null; userMetadata: object | null | undefined },
  upsert: boolean,
): Promise<{ id: string }> {
  const owner = isUuid(row.owner) ? row.owner : null;
  const metadata = row.metadata ? JSON.stringify(row.metadata) : null;
  const userMetadata = row.userMetadata ? JSON.stringify(row.userMetadata) : null;
  const [written] = upsert
    ? await tx<{ id: string }[]>`insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
        values (${row.bucketId}, ${row.name}, ${owner}, ${row.owner ?? null}, ${row.version}, ${metadata}::text::jsonb, ${userMetadata}::text::jsonb)
        on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id,
          version = excluded.version, metadata = excluded.metadata, user_metadata = excluded.user_metadata
        returning id`
    : await tx<{ id: string }[]>`insert into storage.objects (bucket_id, name, owner, owner_id, version, metadata, user_metadata)
        values (${row.bucketId}, ${row.name}, ${owner}, ${row.owner ?? null}, ${row.version}, ${metadata}::text::jsonb, ${userMetadata}::text::jsonb)
        returning id`;
  return written!;
}

export interface StoreRequest {
  /** Whose role writes the row (the caller; service_role for a signed upload URL). */
  writer: Caller;
  operation: string;
  bucketId: string;
  name: string;
  owner: string | undefined;
  upsert: boolean;
}

/**
 * Checks the bucket's limits, writes the bytes, then the row as `writer`; on any failure the new
 * file is removed, and after an overwrite the previous version's file is.
 */
export async function storeObject(
  deps: StorageDeps,
  request: StoreRequest,
  readSource: (maxBytes: number) => Promise<UploadSource>,
): Promise<{ id: string; key: string }> {
  mustBeValidKey(request.name);
  const bucket = await bucketForUpload(deps.db, request.bucketId, request.operation);
  const maxBytes = sizeLimitOf(deps, bucket);
  const source = await readSource(maxBytes);
  mustBeAllowedMimeType(source.mimeType, bucket.allowed_mime_types);
  if (source.declaredSize !== undefined && source.declaredSize > maxBytes) throw ERRORS.entityTooLarge();
  // Ask the policies before taking the bytes, as storage-api's canUpload does.
  if (request.writer.role !== 'service_role') {
    await deps.db.test(request.writer, request.operation, (tx) =>
      writeObjectRow(tx, {
        bucketId: request.bucketId, name: request.name, owner: request.owner, version: '1',
        metadata: { mimetype: source.mimeType, contentLength: source.declaredSize }, userMetadata: source.userMetadata,
      }, request.upsert),
    );
  }

  const version = randomUUID();
  const stored = await deps.files.write(bucket.id, request.name, version, source.body, maxBytes);
  return commitObject(deps, request, version, metadataOf(stored, source.mimeType, source.cacheControl), source.userMetadata);
}

/** Writes the row for a version already on disk; removes the file if the row cannot be written. */
export async function commitObject(
  deps: StorageDeps,
  request: StoreRequest,
  version: string,
  metadata: ObjectMetadata,
  userMetadata: Record<string, unknown> | undefined,
): Promise<{ id: string; key: string }> {
  let written: { id: string };
  try {
    written = await deps.db.as(request.writer, request.operation, (tx) =>
      writeObjectRow(tx, { bucketId: request.bucketId, name: request.name, owner: request.owner, version, metadata, userMetadata }, request.upsert),
    );
  } catch (error) {
    await deps.files.remove(request.bucketId, request.name, version);
    throw error;
  }
  if (request.upsert) await deps.files.removeOtherVersions(request.bucketId, request.name, version);
  return { id: written.id, key: `${request.bucketId}/${request.name}` };
}

/** One object as `tx`'s role sees it; NoSuchKey when it is absent or hidden by policies. */
export async function findObject(tx: Tx, bucketId: string, name: string, forUpdate = false): Promise<ObjectRow> {
  const rows = forUpdate
    ? await tx.unsafe<ObjectRow[]>(`select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2 for update`, [bucketId, name])
    : await tx.unsafe<ObjectRow[]>(`select ${OBJECT_COLUMNS} from storage.objects where bucket_id = $1 and name = $2`, [bucketId, name]);
  if (!rows[0]) throw ERRORS.noSuchKey();
  return rows[0];
}

export async function findObjectAs(db: StorageDb, caller: Caller | 'service', operation: string, bucketId: string, name: string): Promise<ObjectRow> {
  const work = (tx: Tx) => findObject(tx, bucketId, name);
  return caller === 'service' ? db.asService(operation, work) : db.as(caller, operation, work);
}

/** Moves an object (rename, or to another bucket) as the caller: select and update policies decide. */
export async function moveObject(
  deps: StorageDeps,
  caller: Caller,
  from: { bucketId: string; name: string },
  to: { bucketId: string; name: string },
): Promise<{ id: string; name: string }> {
  mustBeValidKey(to.name);
  await bucketForUpload(deps.db, to.bucketId, 'storage.object.move');
  const version = randomUUID();
  let previous: ObjectRow | undefined;
  let copied = false;
  try {
    const moved = await deps.db.as(caller, 'storage.object.move', async (tx) => {
      previous = await findObject(tx, from.bucketId, from.name, true);
      await deps.files.copy({ bucket: from.bucketId, key: from.name, version: previous.version ?? '' }, { bucket: to.bucketId, key: to.name, version });
      copied = true;
      const [row] = await tx<{ id: string }[]>`update storage.objects set bucket_id = ${to.bucketId}, name = ${to.name},
          version = ${version}, owner = ${isUuid(caller.owner) ? caller.owner : null}, owner_id = ${caller.owner ?? null}
        where bucket_id = ${from.bucketId} and name = ${from.name} returning id`;
      if (!row) throw ERRORS.noSuchKey();
      return row;
    });
    if (previous) await deps.files.remove(from.bucketId, from.name, previous.version ?? '');
    return { id: moved.id, name: to.name };
  } catch (error) {
    if (copied) await deps.files.remove(to.bucketId, to.name, version);
    throw error;
  }
}

/**
 * Copies an object as the caller: reading the source needs a select policy, writing the
 * destination an insert (and with `upsert`, update) policy.
 */
export async function copyObject(
  deps: StorageDeps,
  caller: Caller,
  from: { bucketId: string; name: string },
  to: { bucketId: string; name: string },
  options: { upsert: boolean; copyMetadata: boolean; metadata?: { cacheControl?: string; mimetype?: string }; userMetadata?: Record<string, unknown> },
): Promise<ObjectRow> {
  mustBeValidKey(to.name);
  await bucketForUpload(deps.db, to.bucketId, 'storage.object.copy');
  const version = randomUUID();
  let copied = false;
  try {
    const row = await deps.db.as(caller, 'storage.object.copy', async (tx) => {
      const source = await findObject(tx, from.bucketId, from.name);
      const stored = await deps.files.copy({ bucket: from.bucketId, key: from.name, version: source.version ?? '' }, { bucket: to.bucketId, key: to.name, version });
      copied = true;
      const metadata = { ...source.metadata, ...(options.copyMetadata ? {} : options.metadata), eTag: stored.eTag, lastModified: stored.lastModified.toISOString() };
      const userMetadata = options.copyMetadata ? source.user_metadata : options.userMetadata;
      const { id } = await writeObjectRow(tx, { bucketId: to.bucketId, name: to.name, owner: caller.owner, version, metadata, userMetadata }, options.upsert);
      return findObject(tx, to.bucketId, to.name).catch(() => ({ ...source, id, bucket_id: to.bucketId, name: to.name, version, metadata }) as ObjectRow);
    });
    if (options.upsert) await deps.files.removeOtherVersions(to.bucketId, to.name, version);
    return row;
  } catch (error) {
    if (copied) await deps.files.remove(to.bucketId, to.name, version);
    throw error;
  }
}

/** Deletes the named objects the caller may delete (delete policies decide); returns their rows. */
export async function removeObjects(deps: StorageDeps, caller: Caller, operation: string, bucketId: string, names: string[]): Promise<ObjectRow[]> {
  const rows = await deps.db.as(caller, operation, (tx) =>
    tx.unsafe<ObjectRow[]>(
      `delete from storage.objects where bucket_id = $1 and name in (select jsonb_array_elements_text($2::text::jsonb)) returning ${OBJECT_COLUMNS}`,
      [bucketId, JSON.stringify(names)],
    ),
  );
  await Promise.all(rows.map((row) => deps.files.remove(bucketId, row.name, row.version ?? '')));
  return rows;
}
