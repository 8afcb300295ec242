import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageFixture, dropPolicies, ownFolderPolicies, type StorageFixture } from './fixture.ts';

/**
 * Resumable uploads (TUS 1.0.0) as tus-js-client drives them against Supabase: create with
 * Upload-Length and Upload-Metadata, PATCH 6 MiB chunks at Upload-Offset, HEAD to resume.
 */
const CHUNK = 6 * 1024 * 1024;
let f: StorageFixture;
let bucket: string;

const b64 = (s: string) => Buffer.from(s).toString('base64');
const metadataHeader = (meta: Record<string, string>) => Object.entries(meta).map(([k, v]) => `${k} ${b64(v)}`).join(',');

async function create(token: string, name: string, length: number, extra: Record<string, string> = {}): Promise<Response> {
  return fetch(`${f.storageUrl}/upload/resumable`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(length),
      'Upload-Metadata': metadataHeader({ bucketName: bucket, objectName: name, contentType: 'video/mp4', cacheControl: '3600' }),
      ...extra,
    },
  });
}

const patch = (token: string, location: string, offset: number, body: Uint8Array) =>
  fetch(location, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0', 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    body,
  });

beforeAll(async () => {
  f = await createStorageFixture();
  bucket = f.bucketName('videos');
  await f.service.storage.createBucket(bucket, { public: false, allowedMimeTypes: ['video/*'] });
  await ownFolderPolicies(f.db, bucket);
});

afterAll(async () => {
  await dropPolicies(f.db, bucket);
  await f.service.storage.emptyBucket(bucket);
  await f.service.storage.deleteBucket(bucket);
  await f.close();
});

describe('resumable uploads', () => {
  it('uploads a large file in 6 MiB chunks, resuming from HEAD, as the owner', async () => {
    const size = CHUNK * 2 + 1234;
    const data = new Uint8Array(size).map((_, i) => i % 251);
    const name = `${f.ownerId}/movie.mp4`;
    const created = await create(f.ownerToken, name, size);
    expect(created.status).toBe(201);
    expect(created.headers.get('tus-resumable')).toBe('1.0.0');
    const location = created.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^${f.storageUrl}/upload/resumable/[A-Za-z0-9_-]+$`));

    const first = await patch(f.ownerToken, location, 0, data.subarray(0, CHUNK));
    expect(first.status).toBe(204);
    expect(first.headers.get('upload-offset')).toBe(String(CHUNK));

    const head = await fetch(location, { method: 'HEAD', headers: { Authorization: `Bearer ${f.ownerToken}`, 'Tus-Resumable': '1.0.0' } });
    expect(head.headers.get('upload-offset')).toBe(String(CHUNK));
    expect(head.headers.get('upload-length')).toBe(String(size));

    const wrongOffset = await patch(f.ownerToken, location, 0, data.subarray(0, 10));
    expect(wrongOffset.status).toBe(409);

    let offset = CHUNK;
    while (offset < size) {
      const res = await patch(f.ownerToken, location, offset, data.subarray(offset, offset + CHUNK));
      expect(res.status).toBe(204);
      offset = Number(res.headers.get('upload-offset'));
    }
    expect(offset).toBe(size);

    const downloaded = await f.owner.storage.from(bucket).download(name);
    expect(downloaded.error).toBeNull();
    expect(Buffer.from(await downloaded.data!.arrayBuffer()).equals(Buffer.from(data))).toBe(true);
    const { rows } = await f.db.query('select owner_id, metadata from storage.objects where bucket_id = $1 and name = $2', [bucket, name]);
    expect(rows[0]).toMatchObject({ owner_id: f.ownerId, metadata: { size, mimetype: 'video/mp4', cacheControl: 'max-age=3600' } });
  });

  it('is refused at creation by policies, size and MIME limits, and for an existing object without x-upsert', async () => {
    const intruder = await create(f.ownerToken, `${f.otherId}/x.mp4`, 10);
    expect(intruder.status).toBe(403);
    expect(await intruder.json()).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' });

    const tooBig = await create(f.ownerToken, `${f.ownerId}/huge.mp4`, 2 * 1024 * 1024 * 1024); // over the global [storage] limit
    expect(tooBig.status).toBe(413);

    const wrongType = await fetch(`${f.storageUrl}/upload/resumable`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${f.ownerToken}`, 'Tus-Resumable': '1.0.0', 'Upload-Length': '3',
        'Upload-Metadata': metadataHeader({ bucketName: bucket, objectName: `${f.ownerId}/a.txt`, contentType: 'text/plain' }),
      },
    });
    expect(wrongType.status).toBe(415);

    const name = `${f.ownerId}/small.mp4`;
    const first = await create(f.ownerToken, name, 3);
    await patch(f.ownerToken, first.headers.get('location')!, 0, new Uint8Array([1, 2, 3]));
    expect((await create(f.ownerToken, name, 3)).status).toBe(409);
    expect((await create(f.ownerToken, name, 3, { 'x-upsert': 'true' })).status).toBe(201);

    const anonymous = await fetch(`${f.storageUrl}/upload/resumable`, { method: 'POST', headers: { 'Tus-Resumable': '1.0.0', 'Upload-Length': '1' } });
    expect(anonymous.status).toBe(403);
  });

  it('an unknown upload is 404; a terminated upload is gone', async () => {
    const missing = await fetch(`${f.storageUrl}/upload/resumable/bm9wZQ`, { method: 'HEAD', headers: { Authorization: `Bearer ${f.ownerToken}` } });
    expect(missing.status).toBe(404);
    const created = await create(f.ownerToken, `${f.ownerId}/cancelled.mp4`, 100);
    const location = created.headers.get('location')!;
    const terminated = await fetch(location, { method: 'DELETE', headers: { Authorization: `Bearer ${f.ownerToken}`, 'Tus-Resumable': '1.0.0' } });
    expect(terminated.status).toBe(204);
    expect((await fetch(location, { method: 'HEAD', headers: { Authorization: `Bearer ${f.ownerToken}` } })).status).toBe(404);
  });
});
