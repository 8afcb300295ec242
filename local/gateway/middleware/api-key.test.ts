import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.ts';
import { apiKey, bearerFromKeys } from './api-key.ts';

const config = loadConfig({ env: {} });

function appWith(middleware: ReturnType<typeof apiKey>) {
  const app = new Hono();
  app.use(middleware);
  app.all('*', (c) => c.json({ authorization: c.req.header('authorization') ?? null }));
  return app;
}

describe('apiKey', () => {
  const app = appWith(apiKey(config));

  it.each([
    ['no key', {}, 401, { message: 'No API key found in request' }],
    ['an unknown key', { apikey: 'nope' }, 401, { message: 'Invalid authentication credentials' }],
    ['a JWT signed with the secret that is not a project key', { apikey: config.anonKey + 'x' }, 401, { message: 'Invalid authentication credentials' }],
  ])('refuses %s', async (_name, headers, status, body) => {
    const res = await app.request('/x', { headers });
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
  });

  it.each([
    ['legacy anon', config.anonKey, config.anonKey],
    ['publishable', config.publishableKey, config.anonKey],
    ['legacy service_role', config.serviceRoleKey, config.serviceRoleKey],
    ['secret', config.secretKey, config.serviceRoleKey],
  ])('accepts the %s key and passes its role JWT as bearer', async (_name, key, jwt) => {
    const res = await app.request('/x', { headers: { apikey: key } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ authorization: `Bearer ${jwt}` });
  });

  it('accepts the key as a query parameter and takes it out of the query the services see', async () => {
    const seen = new Hono();
    seen.use(apiKey(config));
    seen.all('*', async (c) => c.json({ url: c.req.url, authorization: c.req.header('authorization'), body: await c.req.text() }));
    const res = await seen.request(`http://gateway/rest/v1/items?id=eq.1&apikey=${config.anonKey}&select=id`, { method: 'POST', body: 'kept' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      url: 'http://gateway/rest/v1/items?id=eq.1&select=id',
      authorization: `Bearer ${config.anonKey}`,
      body: 'kept',
    });
  });

  it("keeps a caller's own bearer token", async () => {
    const res = await app.request('/x', { headers: { apikey: config.anonKey, authorization: 'Bearer user.jwt.here' } });
    expect(await res.json()).toEqual({ authorization: 'Bearer user.jwt.here' });
  });

  it('turns an sb_ key sent as bearer into its role JWT', async () => {
    const res = await app.request('/x', {
      headers: { apikey: config.publishableKey, authorization: `Bearer ${config.secretKey}` },
    });
    expect(await res.json()).toEqual({ authorization: `Bearer ${config.serviceRoleKey}` });
  });
});

describe('bearerFromKeys', () => {
  const app = appWith(bearerFromKeys(config));

  it('lets a request without apikey through untouched', async () => {
    const res = await app.request('/x');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ authorization: null });
  });

  it('maps a publishable apikey to the anon JWT', async () => {
    const res = await app.request('/x', { headers: { apikey: config.publishableKey } });
    expect(await res.json()).toEqual({ authorization: `Bearer ${config.anonKey}` });
  });
});
