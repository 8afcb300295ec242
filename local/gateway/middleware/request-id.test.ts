import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER, requestId } from './request-id.ts';

describe('requestId', () => {
  const app = new Hono<{ Variables: { requestId: string } }>();
  app.use(requestId());
  app.get('/', (c) => c.text(c.get('requestId')));

  it('makes a fresh id for each request and echoes it', async () => {
    const [a, b] = [await app.request('/'), await app.request('/')];
    expect(a.headers.get(REQUEST_ID_HEADER)).toMatch(/^[0-9a-f-]{36}$/);
    expect(await a.text()).toBe(a.headers.get(REQUEST_ID_HEADER));
    expect(a.headers.get(REQUEST_ID_HEADER)).not.toBe(b.headers.get(REQUEST_ID_HEADER));
  });

  it("keeps the caller's id", async () => {
    const res = await app.request('/', { headers: { [REQUEST_ID_HEADER]: 'trace-1' } });
    expect(res.headers.get(REQUEST_ID_HEADER)).toBe('trace-1');
  });
});
