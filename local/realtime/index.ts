import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { Hono } from 'hono';
import postgres from 'postgres';
import { WebSocketServer } from 'ws';
import { dbUrl, roleJwtByApiKey } from '../config/index.ts';
import { SUPERUSER } from '../postgres/server.ts';
import type { DurableListener } from '../shared/listen.ts';
import type { Service, ServiceContext } from '../shared/context.ts';
import { broadcastApi } from './broadcast-api.ts';
import type { RealtimeDeps } from './channel.ts';
import { RealtimeConnection } from './connection.ts';
import { startDatabaseBroadcast } from './database-broadcast.ts';
import { ENSURE_MESSAGE_PARTITIONS, PARTITION_UPKEEP_MS } from '../postgres/realtime-partitions.ts';
import { PostgresChangesHub } from './postgres-changes.ts';
import { PresenceTracker } from './presence.ts';
import { SUPPORTED_VSNS, type Vsn } from './protocol.ts';
import { ChannelRegistry } from './registry.ts';

/**
 * Marquee Local's Realtime: Phoenix channels over WebSocket at `/realtime/v1/websocket` (broadcast,
 * presence, postgres_changes, private channels authorised by realtime.messages policies, broadcast
 * from the database) and REST broadcast at `/realtime/v1/api/broadcast`. It connects as
 * supabase_admin, as the Realtime service does.
 */
export async function createRealtimeService(ctx: ServiceContext): Promise<Service> {
  const log = ctx.log.child({ service: 'realtime' });
  const sql = postgres(dbUrl(ctx.config, SUPERUSER), { max: 8, idle_timeout: 60, onnotice: () => undefined });
  const registry = new ChannelRegistry();
  const changes = new PostgresChangesHub(sql, log);
  const deps: RealtimeDeps = { sql, jwt: ctx.jwt, registry, presence: new PresenceTracker(), changes, log };
  let broadcasts: DurableListener | undefined;
  try {
    broadcasts = await startDatabaseBroadcast(sql, registry, log);
    await changes.start();
  } catch (error) {
    await sql.end({ timeout: 1 });
    throw error;
  }

  const upkeep = setInterval(() => {
    sql.unsafe(ENSURE_MESSAGE_PARTITIONS).catch((error: Error) => log.warn('partition upkeep failed', { error: error.message }));
  }, PARTITION_UPKEEP_MS);
  upkeep.unref();

  const keys = roleJwtByApiKey(ctx.config);
  const wss = new WebSocketServer({ noServer: true });

  const app = new Hono();
  app.get('/api/health', (c) => c.json({ healthy: true }));
  app.get('/api/ping', (c) => c.json({ message: 'Success' }));
  app.route('/api/broadcast', broadcastApi(sql, ctx.jwt, registry));

  return {
    app,

    upgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== '/realtime/v1/websocket' && url.pathname !== '/realtime/v1/websocket/') {
        return refuse(socket, 404, { message: 'no Route matched with those values' });
      }
      // As the CLI's gateway (key-auth) does before Realtime sees the socket.
      const apiKey = url.searchParams.get('apikey') ?? headerValue(request.headers.apikey);
      if (!apiKey) return refuse(socket, 401, { message: 'No API key found in request' });
      const apiKeyToken = keys.get(apiKey);
      if (!apiKeyToken) return refuse(socket, 401, { message: 'Invalid authentication credentials' });
      const vsn = (url.searchParams.get('vsn') ?? '1.0.0') as Vsn;
      if (!SUPPORTED_VSNS.includes(vsn)) return refuse(socket, 400, { message: `unsupported vsn ${vsn}` });
      wss.handleUpgrade(request, socket, head, (ws) => new RealtimeConnection(ws, vsn, apiKeyToken, deps));
    },

    async close() {
      clearInterval(upkeep);
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await Promise.all([broadcasts?.unlisten(), changes.stop()]);
      await sql.end({ timeout: 2 });
    },
  };
}

function refuse(socket: Duplex, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
