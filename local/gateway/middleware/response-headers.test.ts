import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { setResponseHeaders } from './response-headers.ts';

function appWith(handler: () => Response | Promise<Response>) {
  const app = new Hono();
  app.use(async (c, next) => {
    await next();
    setResponseHeaders(c, [['x-one', '1'], ['x-two', '2']]);
  });
  app.get('/', handler);
  return app;
}

describe('setResponseHeaders', () => {
  it("sets headers on the handler's own response, overriding its values, body and status untouched", async () => {
    let returned: Response | undefined;
    const app = appWith(() => (returned = new Response('body', { status: 201, headers: { 'x-one': 'handler', 'content-type': 'text/x' } })));
    const res = await app.request('/');
    expect(res).toBe(returned);
    expect(res.status).toBe(201);
    expect(res.headers.get('x-one')).toBe('1');
    expect(res.headers.get('x-two')).toBe('2');
    expect(res.headers.get('content-type')).toBe('text/x');
    expect(await res.text()).toBe('body');
  });

  it('copies a response whose headers are immutable (a fetch result passed through)', async () => {
    const app = appWith(() => fetch('data:text/plain,passed%20through'));
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-one')).toBe('1');
    expect(res.headers.get('x-two')).toBe('2');
    expect(res.headers.get('content-type')).toBe('text/plain');
    expect(await res.text()).toBe('passed through');
  });
});
