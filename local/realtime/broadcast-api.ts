import { Hono } from 'hono';
import type { Sql } from 'postgres';
import { z } from 'zod';
import { bearerToken, type JwtClaims, type JwtKeys } from '../shared/jwt.ts';
import { writePolicies } from './authorization.ts';
import { channelKey, type ChannelRegistry } from './registry.ts';
import { TokenRejected, verifyChannelToken } from './tokens.ts';

/**
 * Realtime's REST broadcast: `POST /api/broadcast` with `{ messages: [{ topic, event, payload,
 * private?, id? }] }`, and `POST /api/broadcast/:topic/events/:event` (realtime-js `httpSend`),
 * both answering 202. Public messages always go out; private ones only when the bearer is
 * service_role or the topic's broadcast write policy lets the bearer's claims insert.
 * The gateway has already checked the apikey and put a role JWT in Authorization.
 */

const Message = z.object({
  topic: z.string().min(1),
  event: z.string().min(1),
  payload: z.record(z.string(), z.unknown()),
  private: z.boolean().optional(),
  id: z.string().optional(),
});
const Batch = z.object({ messages: z.array(Message).min(1) });
type Message = z.infer<typeof Message>;

export function broadcastApi(sql: Sql, jwt: JwtKeys, registry: ChannelRegistry): Hono {
  const app = new Hono();

  const send = async (authorization: string | undefined, messages: Message[]): Promise<Response | undefined> => {
    let claims: JwtClaims;
    try {
      claims = await verifyChannelToken(jwt, bearerToken(authorization) ?? '');
    } catch (error) {
      const message = error instanceof TokenRejected ? error.detail : 'Unauthorized';
      return Response.json({ message }, { status: 401 });
    }
    const allowedTopics = new Map<string, boolean>();
    for (const message of messages) {
      if (message.private && claims.role !== 'service_role') {
        if (!allowedTopics.has(message.topic)) {
          const policies = await writePolicies(sql, { topic: message.topic, claims }, ['broadcast']).catch(() => undefined);
          allowedTopics.set(message.topic, policies?.broadcast.write === true);
        }
        if (!allowedTopics.get(message.topic)) continue;
      }
      registry.broadcast(channelKey(message.topic, message.private ?? false), {
        event: message.event,
        payload: message.payload,
        ...(message.id ? { meta: { id: message.id } } : {}),
        userPush: false,
      });
    }
    return undefined;
  };

  app.post('/', async (c) => {
    const parsed = Batch.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) return c.json({ errors: z.flattenError(parsed.error).fieldErrors }, 422);
    return (await send(c.req.header('authorization'), parsed.data.messages)) ?? c.body(null, 202);
  });

  app.post('/:topic/events/:event', async (c) => {
    const payload: unknown = await c.req.json().catch(() => undefined);
    const parsed = Message.safeParse({
      topic: c.req.param('topic'),
      event: c.req.param('event'),
      payload,
      private: c.req.query('private') === 'true',
    });
    if (!parsed.success) return c.json({ errors: z.flattenError(parsed.error).fieldErrors }, 422);
    return (await send(c.req.header('authorization'), [parsed.data])) ?? c.body(null, 202);
  });

  return app;
}
