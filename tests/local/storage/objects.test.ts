import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../helpers/wait-for.ts';
import { createStorageFixture, dropPolicies, ownFolderPolicies, text, type StorageFixture } from './fixture.ts';

/** Objects through supabase-js: every row is written as the caller, so storage.objects policies decide. */
let f: StorageFixture;
let privateBucket: string;
let publicBucket: string;

beforeAll(async () => {
  f = await createStorageFixture();
  privateBucket = f.bucketName('private');
  publicBucket = f.bucketName('public');
  await f.service.storage.createBucket(privateBucket, { public: false });
  await f.service.storage.createBucket(publicBucket, { public: true });
  await ownFolderPolicies(f.db, privateBucket);
});

afterAll(async () => {
  await dropPolicies(f.db, privateBucket);
  for (const bucket of [privateBucket, publicBucket]) {
    await f.service.storage.emptyBucket(bucket);
    await f.service.storage.deleteBucket(bucket);
  }
  await f.close();
});

describe('upload as the caller', () => {
  it('the owner uploads into their own folder; the row carries their id', async () => {
    const path = `${f.ownerId}/hello.txt`;
    const { data, error } = await f.owner.storage.from(privateBucket).upload(path, text('hello'));
    expect(error).toBeNull();
    expect(data).toMatchObject({ path, fullPath: `${privateBucket}/${path}` });
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    const { rows } = await f.db.query('select owner, owner_id, metadata from storage.objects where bucket_id = $1 and name = $2', [privateBucket, path]);
    expect(rows[0]).toMatchObject({ owner: f.ownerId, owner_id: f.ownerId });
    expect(rows[0].metadata).toMatchObject({ size: 5, mimetype: 'text/plain', cacheControl: 'max-age=3600', contentLength: 5, httpStatusCode: 200 });
    expect(rows[0].metadata.eTag).toBe('"5d41402abc4b2a76b9719d911017c592"');
    expect(typeof rows[0].metadata.lastModified).toBe('string');
  });

  it('another user cannot upload into the owner\'s folder: 403 new row violates row-level security policy', async () => {
    const { error } = await f.other.storage.from(privateBucket).upload(`${f.ownerId}/intruder.txt`, text('x'));
    expect(error?.message).toBe('new row violates row-level security policy');
    expect((error as unknown as { statusCode: string }).statusCode).toBe('403');
    const { rowCount } = await f.db.query('select 1 from storage.objects where bucket_id = $1 and name = $2', [privateBucket, `${f.ownerId}/intruder.txt`]);
    expect(rowCount).toBe(0);
  });

  it('anon cannot upload without a policy; service role bypasses RLS', async () => {
    expect((await f.anon.storage.from(privateBucket).upload('anon.txt', text('x'))).error?.message).toBe('new row violates row-level security policy');
    expect((await f.service.storage.from(privateBucket).upload('service/admin.txt', text('x'))).error).toBeNull();
  });

  it('an existing object is 409 unless upsert; upsert and update replace it', async () => {
    const path = `${f.ownerId}/twice.txt`;
    await f.owner.storage.from(privateBucket).upload(path, text('one'));
    const again = await f.owner.storage.from(privateBucket).upload(path, text('two'));
    expect(again.error?.message).toBe('The resource already exists');
    expect((again.error as unknown as { statusCode: string }).statusCode).toBe('409');
    expect((await f.owner.storage.from(privateBucket).upload(path, text('three'), { upsert: true })).error).toBeNull();
    expect(await (await f.owner.storage.from(privateBucket).download(path)).data?.text()).toBe('three');
    expect((await f.owner.storage.from(privateBucket).update(path, text('four'))).error).toBeNull();
    expect(await (await f.owner.storage.from(privateBucket).download(path)).data?.text()).toBe('four');
  });

  it('a raw body keeps its content type, cache control and user metadata', async () => {
    const path = `${f.ownerId}/raw.json`;
    const { error } = await f.owner.storage.from(privateBucket).upload(path, Buffer.from('{"a":1}'), {
      contentType: 'application/json', cacheControl: '60', metadata: { label: 'raw' },
    });
    expect(error).toBeNull();
    const info = await f.owner.storage.from(privateBucket).info(path);
    expect(info.error).toBeNull();
    expect(info.data).toMatchObject({ name: path, size: 7, contentType: 'application/json', cacheControl: 'max-age=60', metadata: { label: 'raw' } });
    expect((await f.owner.storage.from(privateBucket).exists(path)).data).toBe(true);
    expect((await f.owner.storage.from(privateBucket).exists(`${f.ownerId}/nope.json`)).data).toBe(false);
  });
});

describe('download', () => {
  it('private objects: the owner downloads, others and anon get Object not found', async () => {
    const path = `${f.ownerId}/secret.txt`;
    await f.owner.storage.from(privateBucket).upload(path, text('secret'));
    expect(await (await f.owner.storage.from(privateBucket).download(path)).data?.text()).toBe('secret');
    const res = await fetch(`${f.storageUrl}/object/authenticated/${privateBucket}/${path}`, { headers: { Authorization: `Bearer ${f.ownerToken}` } });
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(res.headers.get('etag')).toBe('"5ebe2294ecd0e0f08eab7690d2a6ee69"');
    expect(res.headers.get('cache-control')).toBe('max-age=3600');
    expect((await f.other.storage.from(privateBucket).download(path)).error).not.toBeNull();
    const anon = await fetch(`${f.storageUrl}/object/public/${privateBucket}/${path}`);
    expect(anon.status).toBe(400);
    expect(await anon.json()).toMatchObject({ statusCode: '404', error: 'Bucket not found', message: 'Bucket not found' });
  });

  it('a missing object is storage-api\'s 404 not_found body (HTTP 400)', async () => {
    const res = await fetch(`${f.storageUrl}/object/${privateBucket}/nothing/here.txt`, { headers: { Authorization: `Bearer ${f.ownerToken}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ statusCode: '404', code: 'NoSuchKey', error: 'not_found', message: 'Object not found' });
  });

  it('public objects download without a token via getPublicUrl', async () => {
    await f.service.storage.from(publicBucket).upload('pics/cat.txt', text('meow'));
    const { data } = f.anon.storage.from(publicBucket).getPublicUrl('pics/cat.txt');
    const res = await fetch(data.publicUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('meow');
    const download = await fetch(f.anon.storage.from(publicBucket).getPublicUrl('pics/cat.txt', { download: 'kitty.txt' }).data.publicUrl);
    expect(download.headers.get('content-disposition')).toContain('attachment; filename=kitty.txt');
  });

  it('Range requests answer 206 with Content-Range; a bad range is 416', async () => {
    await f.service.storage.from(publicBucket).upload('range.txt', text('0123456789'));
    const url = f.anon.storage.from(publicBucket).getPublicUrl('range.txt').data.publicUrl;
    const part = await fetch(url, { headers: { Range: 'bytes=2-5' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 2-5/10');
    expect(await part.text()).toBe('2345');
    const suffix = await fetch(url, { headers: { Range: 'bytes=-3' } });
    expect(await suffix.text()).toBe('789');
    const bad = await fetch(url, { headers: { Range: 'bytes=20-30' } });
    expect(bad.status).toBe(416);
  });
});

describe('signed URLs', () => {
  it('a signed URL downloads a private object, and expires', async () => {
    const path = `${f.ownerId}/signed.txt`;
    await f.owner.storage.from(privateBucket).upload(path, text('signed'));
    const { data, error } = await f.owner.storage.from(privateBucket).createSignedUrl(path, 1);
    expect(error).toBeNull();
    expect(data?.signedUrl).toContain(`/storage/v1/object/sign/${privateBucket}/${path}?token=`);
    const res = await fetch(data!.signedUrl);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('signed');
    // Bounded wait for the 1 s expiry rather than a fixed sleep.
    const expired = await waitFor(
      async () => {
        const res = await fetch(data!.signedUrl);
        if (res.status === 400) return res;
        await res.body?.cancel();
        return undefined;
      },
      { timeoutMs: 10_000, what: 'the signed URL to expire' },
    );
    expect(expired.status).toBe(400);
    expect(await expired.json()).toMatchObject({ statusCode: '400', error: 'InvalidJWT', message: 'jwt expired' });
  });

  it('a token for one object does not open another; a bad token is InvalidJWT', async () => {
    const a = `${f.ownerId}/a.txt`;
    await f.owner.storage.from(privateBucket).upload(a, text('a'));
    const { data } = await f.owner.storage.from(privateBucket).createSignedUrl(a, 60);
    const token = new URL(data!.signedUrl).searchParams.get('token');
    const other = await fetch(`${f.storageUrl}/object/sign/${privateBucket}/${f.ownerId}/b.txt?token=${token}`);
    expect(await other.json()).toMatchObject({ statusCode: '400', code: 'InvalidSignature' });
    const bad = await fetch(`${f.storageUrl}/object/sign/${privateBucket}/${a}?token=nope`);
    expect(await bad.json()).toMatchObject({ statusCode: '400', error: 'InvalidJWT' });
  });

  it('signing needs read access; bulk signing reports objects it cannot see', async () => {
    const path = `${f.ownerId}/bulk.txt`;
    await f.owner.storage.from(privateBucket).upload(path, text('bulk'));
    expect((await f.other.storage.from(privateBucket).createSignedUrl(path, 60)).error?.message).toBe('Object not found');
    const { data } = await f.owner.storage.from(privateBucket).createSignedUrls([path, `${f.ownerId}/missing.txt`], 60);
    expect(data?.[0]?.signedUrl).toContain('token=');
    expect(data?.[1]).toMatchObject({ error: 'Either the object does not exist or you do not have access to it', signedUrl: null });
  });

  it('a signed upload URL lets anyone holding it upload once, as the signer', async () => {
    const path = `${f.ownerId}/via-token.txt`;
    const { data, error } = await f.owner.storage.from(privateBucket).createSignedUploadUrl(path);
    expect(error).toBeNull();
    const uploaded = await f.anon.storage.from(privateBucket).uploadToSignedUrl(path, data!.token, text('by token'));
    expect(uploaded.error).toBeNull();
    expect(uploaded.data?.fullPath).toBe(`${privateBucket}/${path}`);
    const { rows } = await f.db.query('select owner_id from storage.objects where bucket_id = $1 and name = $2', [privateBucket, path]);
    expect(rows[0].owner_id).toBe(f.ownerId);
    expect((await f.other.storage.from(privateBucket).createSignedUploadUrl(`${f.ownerId}/x.txt`)).error?.message)
      .toBe('new row violates row-level security policy');
  });
});

describe('list, move, copy, remove', () => {
  it('lists folders (id null) and files one level down, with limit, offset, sortBy and search', async () => {
    const base = `${f.ownerId}/tree`;
    for (const name of ['b.txt', 'a.txt', 'sub/one.txt', 'sub/two.txt']) {
      await f.owner.storage.from(privateBucket).upload(`${base}/${name}`, text(name));
    }
    const { data, error } = await f.owner.storage.from(privateBucket).list(base);
    expect(error).toBeNull();
    expect(data?.map((e) => e.name)).toEqual(['a.txt', 'b.txt', 'sub']);
    const folder = data?.find((e) => e.name === 'sub');
    expect(folder).toMatchObject({ id: null, metadata: null });
    expect(data?.find((e) => e.name === 'a.txt')?.metadata).toMatchObject({ size: 5, mimetype: 'text/plain' });

    expect((await f.owner.storage.from(privateBucket).list(base, { limit: 1, offset: 1 })).data?.map((e) => e.name)).toEqual(['b.txt']);
    expect((await f.owner.storage.from(privateBucket).list(base, { sortBy: { column: 'name', order: 'desc' } })).data?.map((e) => e.name))
      .toEqual(['sub', 'b.txt', 'a.txt']);
    expect((await f.owner.storage.from(privateBucket).list(base, { search: 'b' })).data?.map((e) => e.name)).toEqual(['b.txt']);
    // Another user's policies hide the owner's folder.
    expect((await f.other.storage.from(privateBucket).list(base)).data).toEqual([]);
  });

  it('moves and copies within the caller\'s folder; the source bytes follow', async () => {
    const src = `${f.ownerId}/move-src.txt`;
    await f.owner.storage.from(privateBucket).upload(src, text('payload'));
    const moved = await f.owner.storage.from(privateBucket).move(src, `${f.ownerId}/moved.txt`);
    expect(moved.error).toBeNull();
    expect(moved.data).toMatchObject({ message: 'Successfully moved' });
    expect((await f.owner.storage.from(privateBucket).download(src)).error).not.toBeNull();
    expect(await (await f.owner.storage.from(privateBucket).download(`${f.ownerId}/moved.txt`)).data?.text()).toBe('payload');

    const copied = await f.owner.storage.from(privateBucket).copy(`${f.ownerId}/moved.txt`, `${f.ownerId}/copied.txt`);
    expect(copied.error).toBeNull();
    expect(copied.data).toEqual({ path: `${privateBucket}/${f.ownerId}/copied.txt` });
    expect(await (await f.owner.storage.from(privateBucket).download(`${f.ownerId}/copied.txt`)).data?.text()).toBe('payload');

    const outside = await f.owner.storage.from(privateBucket).move(`${f.ownerId}/copied.txt`, `${f.otherId}/stolen.txt`);
    expect(outside.error?.message).toBe('new row violates row-level security policy');
    expect(await (await f.owner.storage.from(privateBucket).download(`${f.ownerId}/copied.txt`)).data?.text()).toBe('payload');
  });

  it('removes what the caller may delete and returns the removed rows', async () => {
    const a = `${f.ownerId}/rm-a.txt`;
    const b = `${f.ownerId}/rm-b.txt`;
    await f.owner.storage.from(privateBucket).upload(a, text('a'));
    await f.owner.storage.from(privateBucket).upload(b, text('b'));
    expect((await f.other.storage.from(privateBucket).remove([a])).data).toEqual([]);
    const { data, error } = await f.owner.storage.from(privateBucket).remove([a, b, `${f.ownerId}/never.txt`]);
    expect(error).toBeNull();
    expect(data?.map((o) => o.name).sort()).toEqual([a, b]);
    expect((await f.owner.storage.from(privateBucket).exists(a)).data).toBe(false);
  });
});

describe('limits', () => {
  it('the bucket file_size_limit refuses a larger file with 413 Payload too large', async () => {
    const bucket = f.bucketName('small');
    await f.service.storage.createBucket(bucket, { public: false, fileSizeLimit: 10 });
    const ok = await f.service.storage.from(bucket).upload('ok.txt', text('0123456789'));
    expect(ok.error).toBeNull();
    const big = await f.service.storage.from(bucket).upload('big.txt', text('0123456789A'));
    expect(big.error?.message).toBe('The object exceeded the maximum allowed size');
    expect((big.error as unknown as { statusCode: string }).statusCode).toBe('413');
    const raw = await fetch(`${f.storageUrl}/object/${bucket}/raw-big.bin`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${f.serviceKey}`, 'Content-Type': 'application/octet-stream' },
      body: new Uint8Array(11),
    });
    expect(await raw.json()).toEqual({ statusCode: '413', code: 'EntityTooLarge', error: 'Payload too large', message: 'The object exceeded the maximum allowed size' });
    const { rows } = await f.db.query('select name from storage.objects where bucket_id = $1 order by name', [bucket]);
    expect(rows.map((r) => r.name)).toEqual(['ok.txt']);
    await f.service.storage.emptyBucket(bucket);
    await f.service.storage.deleteBucket(bucket);
  });

  it('allowed_mime_types (with wildcards) refuses other types with 415 invalid_mime_type', async () => {
    const bucket = f.bucketName('images');
    await f.service.storage.createBucket(bucket, { public: false, allowedMimeTypes: ['image/*', 'application/pdf'] });
    expect((await f.service.storage.from(bucket).upload('a.png', new Blob(['x'], { type: 'image/png' }))).error).toBeNull();
    expect((await f.service.storage.from(bucket).upload('a.pdf', Buffer.from('x'), { contentType: 'application/pdf' })).error).toBeNull();
    const refused = await f.service.storage.from(bucket).upload('a.txt', text('x'));
    expect(refused.error?.message).toBe('mime type text/plain is not supported');
    expect((refused.error as unknown as { statusCode: string }).statusCode).toBe('415');
    await f.service.storage.emptyBucket(bucket);
    await f.service.storage.deleteBucket(bucket);
  });

  it('uploads into a missing bucket are Bucket not found; a bad token is 403', async () => {
    expect((await f.service.storage.from('no-such-bucket-x').upload('a.txt', text('x'))).error?.message).toBe('Bucket not found');
    const res = await fetch(`${f.storageUrl}/object/${privateBucket}/a.txt`, { method: 'POST', headers: { Authorization: 'Bearer not-a-jwt' }, body: 'x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ statusCode: '403', error: 'Unauthorized' });
  });
});
