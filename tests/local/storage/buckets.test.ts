import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStorageFixture, type StorageFixture } from './fixture.ts';

/** Buckets through supabase-js as storage-api answers them: service_role administers, RLS decides otherwise. */
let f: StorageFixture;
beforeAll(async () => {
  f = await createStorageFixture();
});
afterAll(async () => {
  await f.close();
});

describe('buckets', () => {
  it('service role creates, gets, lists, updates and deletes a bucket', async () => {
    const id = f.bucketName('admin');
    const created = await f.service.storage.createBucket(id, { public: false, fileSizeLimit: '1MB', allowedMimeTypes: ['image/*'] });
    expect(created.error).toBeNull();
    expect(created.data).toEqual({ name: id });

    const got = await f.service.storage.getBucket(id);
    expect(got.error).toBeNull();
    expect(got.data).toMatchObject({ id, name: id, public: false, file_size_limit: 1_000_000, allowed_mime_types: ['image/*'] });

    const listed = await f.service.storage.listBuckets();
    expect(listed.data?.map((b) => b.id)).toContain(id);

    const updated = await f.service.storage.updateBucket(id, { public: true, fileSizeLimit: 2048, allowedMimeTypes: null });
    expect(updated.data).toEqual({ message: 'Successfully updated' });
    const after = await f.service.storage.getBucket(id);
    expect(after.data).toMatchObject({ public: true, file_size_limit: 2048, allowed_mime_types: null });

    const deleted = await f.service.storage.deleteBucket(id);
    expect(deleted.data).toEqual({ message: 'Successfully deleted' });
    const gone = await f.service.storage.getBucket(id);
    expect(gone.error?.message).toBe('Bucket not found');
  });

  it('a duplicate bucket is 409 The resource already exists', async () => {
    const id = f.bucketName('dup');
    await f.service.storage.createBucket(id);
    const res = await fetch(`${f.storageUrl}/bucket`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${f.serviceKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: id }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: '409', error: 'Duplicate', message: 'The resource already exists' });
    await f.service.storage.deleteBucket(id);
  });

  it('anon and users cannot create buckets without a policy; they see none', async () => {
    const denied = await f.owner.storage.createBucket(f.bucketName('user'));
    expect(denied.error?.message).toBe('new row violates row-level security policy');
    const anonList = await f.anon.storage.listBuckets();
    expect(anonList.error).toBeNull();
    expect(anonList.data).toEqual([]);
  });

  it('a bucket limit above the global [storage] file_size_limit is refused', async () => {
    const { error } = await f.service.storage.createBucket(f.bucketName('huge'), { public: false, fileSizeLimit: '2GB' });
    expect(error?.message).toBe('The object exceeded the maximum allowed size');
  });

  it('invalid names and MIME types are refused', async () => {
    expect((await f.service.storage.createBucket('bad/name')).error?.message).toBe('Bucket name invalid');
    expect((await f.service.storage.createBucket(f.bucketName('mime'), { public: false, allowedMimeTypes: ['not a type'] })).error?.message)
      .toBe('mime type not a type is not supported');
  });

  it('a bucket with objects cannot be deleted until emptied', async () => {
    const id = f.bucketName('full');
    await f.service.storage.createBucket(id);
    await f.service.storage.from(id).upload('a.txt', 'hello');
    const refused = await f.service.storage.deleteBucket(id);
    expect(refused.error?.message).toBe('The bucket you tried to delete is not empty');
    const emptied = await f.service.storage.emptyBucket(id);
    expect(emptied.error).toBeNull();
    expect((await f.service.storage.from(id).list()).data).toEqual([]);
    expect((await f.service.storage.deleteBucket(id)).error).toBeNull();
  });

  it('an unknown bucket is 404 Bucket not found', async () => {
    const { error } = await f.service.storage.getBucket('no-such-bucket-here');
    expect(error?.message).toBe('Bucket not found');
    expect((error as { statusCode?: string } | null)?.statusCode).toBe('404');
  });
});
