import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** The header the gateway sets to the client address it accepted; Auth keys its rate limits on it. */
export const REAL_IP_HEADER = 'x-real-ip';

/** The socket peer of a request served by @hono/node-server ('' for in-process `app.request`). */
export function socketPeer(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? '';
  } catch {
    return '';
  }
}
