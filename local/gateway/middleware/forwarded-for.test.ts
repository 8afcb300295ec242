import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { forwardedFor, REAL_IP_HEADER } from './forwarded-for.ts';

function gateway(trusted: string[], peer: string) {
  const app = new Hono();
  app.use(forwardedFor(trusted, () => peer));
  app.get('/', (c) => c.json({ realIp: c.req.header(REAL_IP_HEADER) ?? null, forwardedFor: c.req.header('x-forwarded-for') ?? null }));
  return async (headers: Record<string, string> = {}) =>
    (await (await app.request('/', { headers })).json()) as { realIp: string | null; forwardedFor: string | null };
}

describe('forwardedFor', () => {
  it('records the socket peer of an untrusted client, whatever it claims', async () => {
    const send = gateway([], '198.51.100.7');
    expect(await send({ 'X-Forwarded-For': '1.2.3.4', 'X-Real-IP': '5.6.7.8' })).toEqual({
      realIp: '198.51.100.7',
      forwardedFor: '1.2.3.4, 198.51.100.7',
    });
    expect(await send()).toEqual({ realIp: '198.51.100.7', forwardedFor: '198.51.100.7' });
  });

  it('takes the rightmost untrusted X-Forwarded-For entry from a trusted proxy', async () => {
    const send = gateway(['10.0.0.0/8', '127.0.0.1'], '127.0.0.1');
    expect(await send({ 'X-Forwarded-For': '1.2.3.4, 203.0.113.9, 10.1.2.3' })).toEqual({
      realIp: '203.0.113.9',
      forwardedFor: '1.2.3.4, 203.0.113.9, 10.1.2.3, 203.0.113.9',
    });
    // A trusted proxy that forwards nothing is the client itself.
    expect((await send()).realIp).toBe('127.0.0.1');
  });

  it('trusts an address only as configured: 127.0.0.2 is not 127.0.0.1', async () => {
    const send = gateway(['127.0.0.1'], '::ffff:127.0.0.2');
    expect((await send({ 'X-Forwarded-For': '1.2.3.4' })).realIp).toBe('127.0.0.2');
  });

  it('drops a client-sent X-Real-IP when there is no peer to record', async () => {
    expect((await gateway([], '')({ 'X-Real-IP': '5.6.7.8' })).realIp).toBeNull();
  });
});
