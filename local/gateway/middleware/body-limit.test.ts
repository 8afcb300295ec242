import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit } from './body-limit.ts';

describe('bodyLimit', () => {
  const app = new Hono();
  app.use(bodyLimit(1024));
  app.post('/', async (c) => c.json({ length: (await c.req.text()).length }));

  it('refuses a body over the limit with 413', async () => {
    const res = await app.request('/', { method: 'POST', body: 'x'.repeat(2048) });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request body is too large', max_bytes: 1024 });
  });

  it('lets a body within the limit through', async () => {
    const res = await app.request('/', { method: 'POST', body: 'x'.repeat(1000) });
    expect(await res.json()).toEqual({ length: 1000 });
  });
});
