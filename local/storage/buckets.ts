/** Buckets in `storage.buckets`, read and written as the caller (RLS decides; service_role bypasses it). */
import type { Caller } from './auth.ts';
import type { StorageDb, Tx } from './database.ts';
import { ERRORS } from './errors.ts';
import { mustBeValidBucketName, mustBeValidMimeTypeList, parseBucketSizeLimit } from './limits.ts';
import type { FileStore } from './backend/file-store.ts';

export interface BucketRow {
  id: string;
  name: string;
  owner: string | null;
  public: boolean;
  file_size_limit: number | null;
  allowed_mime_types: string[] | null;
  created_at: Date;
  updated_at: Date;
  type: string;
}

const BUCKET_COLUMNS = `id, name, owner, public, file_size_limit::float8 as file_size_limit,
  to_jsonb(allowed_mime_types) as allowed_mime_types, created_at, updated_at, type::text as type`;
/** A text[] from a JSON array parameter (the service connects without fetching array types). */
const TEXT_ARRAY_FROM_JSON = (tx: Tx, values: string[] | null) =>
  tx`(select array_agg(v) from jsonb_array_elements_text(${values === null ? null : JSON.stringify(values)}::text::jsonb) v)`;
const SORT_COLUMNS = new Set(['id', 'name', 'created_at', 'updated_at']);

export interface BucketSettings {
  public?: unknown;
  file_size_limit?: unknown;
  allowed_mime_types?: unknown;
}

export interface ListBucketsOptions {
  limit?: number;
  offset?: number;
  sortColumn?: string;
  sortOrder?: string;
  search?: string;
}

export async function listBuckets(db: StorageDb, caller: Caller, options: ListBucketsOptions): Promise<BucketRow[]> {
  const column = options.sortColumn && SORT_COLUMNS.has(options.sortColumn) ? options.sortColumn : 'name';
  const order = options.sortOrder?.toLowerCase() === 'desc' ? 'desc' : 'asc';
  const params: unknown[] = [];
  let where = '';
  if (options.search) {
    params.push(`%${options.search}%`);
    where = `where name ilike $${params.length}`;
  }
  let page = '';
  if (options.limit !== undefined) page += ` limit ${Math.max(0, Math.floor(options.limit))}`;
  if (options.offset !== undefined) page += ` offset ${Math.max(0, Math.floor(options.offset))}`;
  return db.as(caller, 'storage.bucket.list', (tx) =>
    tx.unsafe<BucketRow[]>(`select ${BUCKET_COLUMNS} from storage.buckets ${where} order by ${column} ${order}${page}`, params as never[]),
  );
}

export async function getBucket(db: StorageDb, caller: Caller, id: string): Promise<BucketRow> {
  const [bucket] = await db.as(caller, 'storage.bucket.get', (tx) =>
    tx.unsafe<BucketRow[]>(`select ${BUCKET_COLUMNS} from storage.buckets where id = $1`, [id]),
  );
  if (!bucket) throw ERRORS.noSuchBucket();
  return bucket;
}

/** The size limit a bucket asks for: bytes or storage-api's "20MB" text; never above the global limit. */
function sizeLimitSetting(value: unknown, globalLimit: number): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === null) return null;
  const bytes = typeof value === 'string' ? parseBucketSizeLimit(value) : Number(value);
  if (!Number.isFinite(bytes) || bytes < 0) throw ERRORS.invalidFileSizeLimit();
  if (bytes > globalLimit) throw ERRORS.entityTooLarge();
  return bytes;
}

function mimeTypesSetting(value: unknown): string[] | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Array.isArray(value)) throw ERRORS.invalidParameter('allowed_mime_types');
  const types = value.filter((t): t is string => typeof t === 'string' && t !== '');
  mustBeValidMimeTypeList(types);
  return types;
}

export async function createBucket(
  db: StorageDb,
  caller: Caller,
  body: BucketSettings & { id?: unknown; name?: unknown },
  globalLimit: number,
): Promise<{ name: string }> {
  const name = typeof body.name === 'string' ? body.name : undefined;
  if (name === undefined) throw ERRORS.missingParameter('name');
  const id = typeof body.id === 'string' && body.id ? body.id : name;
  mustBeValidBucketName(name);
  mustBeValidBucketName(id);
  const fileSizeLimit = sizeLimitSetting(body.file_size_limit, globalLimit) ?? null;
  const mimeTypes = mimeTypesSetting(body.allowed_mime_types) ?? null;
  const owner = caller.owner ?? null;
  const ownerUuid = owner && /^[0-9a-f-]{36}$/i.test(owner) ? owner : null;
  await db.as(caller, 'storage.bucket.create', (tx) =>
    tx`insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
      values (${id}, ${name}, ${ownerUuid}, ${owner}, ${body.public === true}, ${fileSizeLimit},
        ${TEXT_ARRAY_FROM_JSON(tx, mimeTypes)})`,
  );
  return { name };
}

export async function updateBucket(db: StorageDb, caller: Caller, id: string, body: BucketSettings, globalLimit: number): Promise<void> {
  const fileSizeLimit = sizeLimitSetting(body.file_size_limit, globalLimit);
  const mimeTypes = mimeTypesSetting(body.allowed_mime_types);
  const sets: string[] = [];
  const params: unknown[] = [id];
  const set = (column: string, value: unknown, wrap = (p: string) => p) => {
    params.push(value);
    sets.push(`${column} = ${wrap(`$${params.length}`)}`);
  };
  if (typeof body.public === 'boolean') set('public', body.public);
  if (fileSizeLimit !== undefined) set('file_size_limit', fileSizeLimit);
  if (mimeTypes !== undefined) {
    set('allowed_mime_types', mimeTypes === null ? null : JSON.stringify(mimeTypes), (p) => `(select array_agg(v) from jsonb_array_elements_text(${p}::text::jsonb) v)`);
  }
  const [row] = await db.as(caller, 'storage.bucket.update', (tx) =>
    sets.length === 0
      ? tx.unsafe(`select id from storage.buckets where id = $1`, [id])
      : tx.unsafe(
          `update storage.buckets set ${sets.join(', ')}, updated_at = now() where id = $1 returning id`,
          params as never[],
        ),
  );
  if (!row) throw ERRORS.noSuchBucket();
}

/** Deletes every object in a bucket the caller may delete, and their files. */
export async function emptyBucket(db: StorageDb, files: FileStore, caller: Caller, id: string): Promise<void> {
  await getBucket(db, caller, id);
  const removed = await db.as(caller, 'storage.bucket.empty', (tx) =>
    tx<{ name: string; version: string | null }[]>`delete from storage.objects where bucket_id = ${id} returning name, version`,
  );
  await Promise.all(removed.map((row) => files.remove(id, row.name, row.version ?? '')));
}

/** Deletes an empty bucket (storage-api refuses one with objects: 409 ResourceNotEmpty). */
export async function deleteBucket(db: StorageDb, files: FileStore, caller: Caller, id: string): Promise<void> {
  const [state] = await db.asService('storage.bucket.delete', (tx) =>
    tx<{ objects: number }[]>`select (select count(*)::int from storage.objects where bucket_id = ${id}) as objects
      from storage.buckets where id = ${id}`,
  );
  if (!state) throw ERRORS.noSuchBucket();
  if (state.objects > 0) throw ERRORS.bucketNotEmpty();
  const deleted = await db.as(caller, 'storage.bucket.delete', (tx) => tx`delete from storage.buckets where id = ${id} returning id`);
  if (deleted.length === 0) throw ERRORS.noSuchBucket();
  await files.removeBucket(id);
}
