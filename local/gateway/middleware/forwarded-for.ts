import type { Context, MiddlewareHandler } from 'hono';
import proxyaddr from 'proxy-addr';
import { REAL_IP_HEADER, socketPeer } from '../../shared/client-address.ts';

export { REAL_IP_HEADER };

const withoutV4Prefix = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/**
 * Records the real client as Kong does in front of Supabase's services: `X-Real-IP` becomes the
 * client address (whatever the client sent is overwritten) and that address is appended to
 * `X-Forwarded-For`. The client address is the socket peer, unless the peer is one of
 * `trustedProxies` (Kong's `trusted_ips`, addresses or CIDRs): then it is the rightmost
 * X-Forwarded-For entry that is not a trusted proxy (nginx's `real_ip_recursive`).
 */
export function forwardedFor(trustedProxies: readonly string[], peerOf: (c: Context) => string = socketPeer): MiddlewareHandler {
  const trust = proxyaddr.compile([...trustedProxies]);
  return async (c, next) => {
    const headers = c.req.raw.headers;
    const forwarded = headers.get('x-forwarded-for')?.trim();
    const peer = withoutV4Prefix(peerOf(c));
    const client = peer
      ? withoutV4Prefix(proxyaddr({ socket: { remoteAddress: peer }, headers: forwarded ? { 'x-forwarded-for': forwarded } : {} } as never, trust))
      : '';
    if (client) {
      headers.set(REAL_IP_HEADER, client);
      headers.set('x-forwarded-for', forwarded ? `${forwarded}, ${client}` : client);
    } else {
      headers.delete(REAL_IP_HEADER);
    }
    await next();
  };
}
