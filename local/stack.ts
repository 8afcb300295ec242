import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { apiUrl, dbUrl, loadConfig, type ConfigOverrides, type LocalConfig } from './config/index.ts';
import { createAuthService } from './auth/index.ts';
import { createFunctionsService } from './functions/index.ts';
import { createGateway } from './gateway/index.ts';
import { DEFAULT_MAX_BODY_BYTES } from './gateway/middleware/body-limit.ts';
import { startMailCapture } from './mail/index.ts';
import { prepareDatabase } from './postgres/migrate.ts';
import { startPostgres } from './postgres/server.ts';
import { createRealtimeService } from './realtime/index.ts';
import { createRestService } from './rest/index.ts';
import { createStorageService } from './storage/index.ts';
import { startVideoProcessor } from './video-processor/index.ts';
import type { Service, ServiceContext } from './shared/context.ts';
import { createJwtKeys } from './shared/jwt.ts';
import { createLogger, type Logger } from './shared/logger.ts';
import { createMailer } from './shared/mailer.ts';

export interface StackOptions extends ConfigOverrides {
  /** Rebuild the database from migrations and seed.sql even if it already exists. */
  reset?: boolean;
  /** Largest request body the gateway lets through. */
  maxBodyBytes?: number;
  log?: Logger;
}

export interface RunningStack {
  config: LocalConfig;
  /** What `supabase status` prints, by the same names. */
  status: StackStatus;
  /** Milliseconds from the call to ready. */
  startupMs: number;
  stop(): Promise<void>;
}

export interface StackStatus {
  apiUrl: string;
  restUrl: string;
  functionsUrl: string;
  storageUrl: string;
  realtimeUrl: string;
  dbUrl: string;
  mailpitUrl: string;
  smtpPort: number;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
}

/**
 * Starts Marquee Local: Postgres, platform bootstrap, migrations (and seed on a new or reset
 * database) through the real Supabase CLI, mail capture, then the gateway with auth, rest and
 * functions. Everything started is stopped by `stop()`, also when a later step fails.
 */
export async function startStack(options: StackOptions = {}): Promise<RunningStack> {
  const started = performance.now();
  const config = loadConfig(options);
  const log = options.log ?? createLogger({ quiet: config.quiet });
  const cleanups: Array<() => Promise<void> | void> = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve(cleanup()).catch((error: Error) => log.warn('stop failed', { error: error.message }));
    }
  };

  try {
    const postgres = await startPostgres(config, log);
    cleanups.push(() => postgres.stop());
    await prepareDatabase(config, postgres.created || Boolean(options.reset));

    const mail = await startMailCapture(config, log);
    cleanups.push(() => mail.close());
    const mailer = createMailer(config);
    cleanups.push(() => mailer.close());

    const ctx: ServiceContext = { config, jwt: await createJwtKeys(config), log, mailer };
    const auth = await createAuthService(ctx);
    cleanups.push(() => auth.close());
    const rest = await createRestService(ctx);
    cleanups.push(() => rest.close());
    const functions = await createFunctionsService(ctx);
    cleanups.push(() => functions.close());

    const storage = await createStorageService(ctx);
    cleanups.push(() => storage.close());
    const realtime = await createRealtimeService(ctx);
    cleanups.push(() => realtime.close());

    const services = { auth, rest, functions, storage, realtime };
    const gateway = createGateway(config, log, services, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
    const server = await listen(gateway.fetch, config);
    routeUpgrades(server, { '/realtime/v1/': realtime });
    cleanups.push(() => closeServer(server));
    // Not a Supabase service: it measures uploaded videos through the API above (see local/video-processor).
    const videoProcessor = await startVideoProcessor(ctx);
    cleanups.push(() => videoProcessor.close());

    return { config, status: statusOf(config), startupMs: Math.round(performance.now() - started), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function statusOf(config: LocalConfig): StackStatus {
  const api = apiUrl(config);
  return {
    apiUrl: api,
    restUrl: `${api}/rest/v1`,
    functionsUrl: `${api}/functions/v1`,
    storageUrl: `${api}/storage/v1`,
    realtimeUrl: `${api.replace(/^http/, 'ws')}/realtime/v1`,
    dbUrl: dbUrl(config),
    mailpitUrl: `http://${config.host}:${config.ports.mailHttp}`,
    smtpPort: config.ports.mailSmtp,
    jwtSecret: config.jwtSecret,
    anonKey: config.anonKey,
    serviceRoleKey: config.serviceRoleKey,
    publishableKey: config.publishableKey,
    secretKey: config.secretKey,
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, config: LocalConfig): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port: config.ports.api, hostname: config.host }, () => resolve(server));
    server.once('error', reject);
  });
}

/** WebSocket upgrades go to the service owning the path prefix; any other is refused. */
function routeUpgrades(server: ServerType, byPrefix: Record<string, Service>): void {
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const service = Object.entries(byPrefix).find(([prefix]) => request.url?.startsWith(prefix))?.[1];
    if (service?.upgrade) service.upgrade(request, socket, head);
    else socket.destroy();
  });
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ('closeAllConnections' in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
