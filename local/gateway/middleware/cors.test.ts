import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cors } from './cors.ts';

const EXPOSED = 'Content-Range,X-Total-Count';

describe('cors', () => {
  const app = new Hono();
  app.use(cors({ allowMethods: ['GET', 'POST', 'OPTIONS'], exposeHeaders: ['Content-Range', 'X-Total-Count'], maxAge: 3600 }));
  app.get('/ok', () => new Response('{}', { headers: { 'content-type': 'application/json', 'access-control-allow-origin': 'https://handler' } }));
  app.get('/json', (c) => c.json({ ok: true }, 202));
  app.get('/boom', () => {
    throw new Error('boom');
  });
  app.notFound((c) => c.json({ message: 'nope' }, 404));
  app.onError((_error, c) => c.json({ message: 'failed' }, 500));

  it.each([
    ['a plain Response', '/ok', 200],
    ['a c.json response', '/json', 202],
    ['an error', '/boom', 500],
    ['a 404', '/missing', 404],
  ])('gives %s the allow-origin and expose headers', async (_name, path, status) => {
    const res = await app.request(path, { headers: { origin: 'http://localhost:3000' } });
    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    expect(res.headers.get('vary')).toBeNull();
  });

  it('keeps the body and content type of the response', async () => {
    const res = await app.request('/json');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers a preflight with 204, the methods, max-age and the requested headers', async () => {
    const res = await app.request('/ok', {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey, prefer' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('apikey,prefer');
    expect(res.headers.get('access-control-max-age')).toBe('3600');
    expect(res.headers.get('access-control-expose-headers')).toBe(EXPOSED);
    expect(res.headers.get('vary')).toBe('Access-Control-Request-Headers');
    expect(await res.text()).toBe('');
  });
});
