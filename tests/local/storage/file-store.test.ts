import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from '../../../local/storage/backend/file-store.ts';
import type { StorageDb } from '../../../local/storage/database.ts';
import { ERRORS } from '../../../local/storage/errors.ts';
import { parseBucketSizeLimit, parseConfigSizeLimit } from '../../../local/storage/limits.ts';
import { storeObject, type StorageDeps } from '../../../local/storage/objects.ts';
import type { UploadSource } from '../../../local/storage/upload-source.ts';

/** The file store and the upload sequence on their own: a failed upload leaves no file behind. */
let root: string;
let files: FileStore;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'marquee-storage-'));
  files = new FileStore(root);
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

const source = (body: string, mimeType = 'text/plain'): UploadSource => ({
  body: chunks(body), mimeType, cacheControl: 'no-cache', userMetadata: undefined, declaredSize: body.length,
});

/** A database whose bucket lookup succeeds and whose row write fails as `failure` says. */
function fakeDb(failure: Error): StorageDb {
  return {
    asService: async () => [{ id: 'b', public: false, file_size_limit: null, allowed_mime_types: null }],
    as: async () => { throw failure; },
    test: async () => undefined,
    close: async () => undefined,
  } as unknown as StorageDb;
}

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('file store', () => {
  it('writes a version atomically and reports size and MD5 ETag', async () => {
    const stored = await files.write('b', 'dir/a.txt', 'v1', chunks('hel', 'lo'), 100);
    expect(stored).toMatchObject({ size: 5, eTag: '"5d41402abc4b2a76b9719d911017c592"' });
    expect(await readFile(path.join(root, 'b', 'dir/a.txt', 'v1'), 'utf8')).toBe('hello');
    expect(await readdir(path.join(root, '.tmp'))).toEqual([]);
  });

  it('stops at the size limit and keeps nothing', async () => {
    await expect(files.write('b', 'big.bin', 'v1', chunks('12345', '678'), 6)).rejects.toThrow('The object exceeded the maximum allowed size');
    expect(await allFiles(root)).toEqual([]);
  });

  it('refuses keys escaping the root', () => {
    expect(() => files.pathOf('b', '../../etc/passwd', 'v1')).toThrow(/Invalid key/);
  });

  it("refuses keys reaching into another bucket's folder", () => {
    expect(() => files.pathOf('a', '../b/secret.txt', 'v1')).toThrow(/Invalid key/);
    expect(files.pathOf('a', 'dir/../ok.txt', 'v1')).toBe(path.join(root, 'a', 'ok.txt', 'v1'));
  });
});

describe('a failed upload', () => {
  it.each([
    ['an RLS refusal', ERRORS.accessDenied('new row violates row-level security policy')],
    ['a duplicate key', ERRORS.resourceAlreadyExists()],
  ])('leaves no file behind after %s', async (_label, failure) => {
    const deps: StorageDeps = { db: fakeDb(failure), files, globalSizeLimit: 1024 };
    const request = { writer: { role: 'authenticated', claims: {}, owner: undefined }, operation: 'storage.object.upload', bucketId: 'b', name: 'x/y.txt', owner: undefined, upsert: false };
    await expect(storeObject(deps, request, async () => source('data'))).rejects.toBe(failure);
    expect(await allFiles(root)).toEqual([]);
  });

  it('over the global limit is refused before any byte is kept', async () => {
    const deps: StorageDeps = { db: fakeDb(new Error('unreached')), files, globalSizeLimit: 3 };
    const request = { writer: { role: 'service_role', claims: {}, owner: undefined }, operation: 'storage.object.upload', bucketId: 'b', name: 'y.txt', owner: undefined, upsert: false };
    await expect(storeObject(deps, request, async () => ({ ...source('data'), declaredSize: undefined }))).rejects.toThrow('maximum allowed size');
    expect(await allFiles(root)).toEqual([]);
  });
});

describe('size units', () => {
  it('reads config.toml sizes as the CLI does (binary units) and bucket sizes as storage-api does (decimal)', () => {
    expect(parseConfigSizeLimit('50MiB')).toBe(50 * 1024 * 1024);
    expect(parseConfigSizeLimit('5MB')).toBe(5 * 1024 * 1024);
    expect(parseConfigSizeLimit('500KB')).toBe(500 * 1024);
    expect(parseConfigSizeLimit(1234)).toBe(1234);
    expect(parseBucketSizeLimit('20MB')).toBe(20_000_000);
    expect(parseBucketSizeLimit('1.5GB')).toBe(1_500_000_000);
    expect(() => parseBucketSizeLimit('20 parsecs')).toThrow('Invalid file size format');
  });
});
