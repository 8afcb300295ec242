import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../shared/logger.ts';
import { accessLog } from './access-log.ts';
import { requestId } from './request-id.ts';

describe('accessLog', () => {
  it('logs method, path, status, request id and duration for each request', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log: Logger = {
      info: (msg, fields) => lines.push({ msg, ...fields }),
      warn: () => {},
      error: () => {},
      child: () => log,
    };
    const app = new Hono<{ Variables: { requestId: string } }>();
    app.use(requestId());
    app.use(accessLog(log));
    app.get('/teapot', (c) => c.text('short and stout', 418));

    await app.request('/teapot', { headers: { 'x-request-id': 'abc' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ msg: 'request', method: 'GET', path: '/teapot', status: 418, request_id: 'abc' });
    expect(typeof lines[0]!.duration_ms).toBe('number');
  });
});
