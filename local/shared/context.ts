import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Hono } from 'hono';
import type { LocalConfig } from '../config/index.ts';
import type { JwtKeys } from './jwt.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mailer.ts';

/** What every Marquee Local service is built from. */
export interface ServiceContext {
  config: LocalConfig;
  jwt: JwtKeys;
  log: Logger;
  mailer: Mailer;
}

/** A service: a Hono sub-app the gateway mounts under its prefix, and how to release its resources. */
export interface Service {
  app: Hono;
  /** WebSocket upgrades for the service's prefix (Realtime); the gateway refuses them otherwise. */
  upgrade?(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}
