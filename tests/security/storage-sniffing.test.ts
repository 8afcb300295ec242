import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { serviceClient, userClient } from '../helpers/clients.ts';
import { stackEnv } from '../helpers/env.ts';
import { accessToken, createAccount, type TestUser } from '../functions/accounts.ts';

/**
 * An upload is served as what it was declared, and browsers are told not to second-guess it: an HTML
 * page uploaded as `image/png` must never render as a page from the storage origin.
 */
const stack = stackEnv();
const PAGE = '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>';

let user: TestUser;
let token: string;
let storage: SupabaseClient['storage'];
let objectPath: string;
const htmlBucket = `html-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  user = await createAccount();
  token = await accessToken(user);
  storage = userClient(token).storage;
  objectPath = `${user.id}/not-really.png`;
  const { error } = await storage.from('avatars').upload(objectPath, new Blob([PAGE], { type: 'image/png' }), { contentType: 'image/png' });
  if (error) throw error;
  const admin = serviceClient().storage;
  const created = await admin.createBucket(htmlBucket, { public: true });
  if (created.error) throw created.error;
  const uploaded = await admin.from(htmlBucket).upload('page.html', new Blob([PAGE], { type: 'text/html' }), { contentType: 'text/html' });
  if (uploaded.error) throw uploaded.error;
});

afterAll(async () => {
  const admin = serviceClient().storage;
  await storage?.from('avatars').remove([objectPath]);
  await admin.from(htmlBucket).remove(['page.html']);
  await admin.deleteBucket(htmlBucket);
});

const auth = () => ({ apikey: stack.anonKey, Authorization: `Bearer ${token}` });

describe('storage downloads carry X-Content-Type-Options: nosniff', { timeout: 60_000 }, () => {
  it.each([
    ['public URL', () => storage.from('avatars').getPublicUrl(objectPath).data.publicUrl, () => ({})],
    ['authenticated URL', () => `${stack.url}/storage/v1/object/authenticated/avatars/${objectPath}`, auth],
    ['object URL with a token', () => `${stack.url}/storage/v1/object/avatars/${objectPath}`, auth],
  ] as const)('%s (GET and HEAD)', async (_, url, headers) => {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(url(), { method, headers: headers() });
      expect({ method, status: response.status, type: response.headers.get('content-type'), nosniff: response.headers.get('x-content-type-options') })
        .toEqual({ method, status: 200, type: 'image/png', nosniff: 'nosniff' });
      await response.body?.cancel();
    }
  });

  it('signed URL', async () => {
    const { data, error } = await storage.from('avatars').createSignedUrl(objectPath, 60);
    expect(error).toBeNull();
    const response = await fetch(data!.signedUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe(PAGE);
  });

  it('supabase.storage download answers with the header too (304 revalidation included)', async () => {
    const first = await fetch(`${stack.url}/storage/v1/object/authenticated/avatars/${objectPath}`, { headers: auth() });
    const etag = first.headers.get('etag');
    await first.body?.cancel();
    expect(etag).toBeTruthy();
    const revalidated = await fetch(`${stack.url}/storage/v1/object/authenticated/avatars/${objectPath}`, {
      headers: { ...auth(), 'If-None-Match': etag! },
    });
    expect({ status: revalidated.status, nosniff: revalidated.headers.get('x-content-type-options') }).toEqual({ status: 304, nosniff: 'nosniff' });
    const { data, error } = await storage.from('avatars').download(objectPath);
    expect(error).toBeNull();
    expect(await data!.text()).toBe(PAGE);
  });

  it('an upload declared text/html is served as text/plain, as storage-api does', async () => {
    const url = serviceClient().storage.from(htmlBucket).getPublicUrl('page.html').data.publicUrl;
    const response = await fetch(url);
    expect({ type: response.headers.get('content-type'), nosniff: response.headers.get('x-content-type-options') })
      .toEqual({ type: 'text/plain', nosniff: 'nosniff' });
    expect(await response.text()).toBe(PAGE);
  });
});
