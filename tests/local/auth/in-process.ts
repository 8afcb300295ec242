/**
 * The Auth service built in-process with config.toml's `[auth]` tables overridden (settings the
 * shared stack keeps at the product's defaults), driven with Hono's `app.request()` or through a
 * real supabase-js client whose fetch is routed into the service. Mail is captured in memory.
 * It uses the suite's database, so it needs Marquee Local's platform roles and password.
 */
import type { SupabaseClient } from '@supabase/supabase-js';
import { Hono } from 'hono';
import pg from 'pg';
import { createAuthService } from '../../../local/auth/index.ts';
import { readAuthSettings } from '../../../local/auth/settings.ts';
import { loadConfig, type LocalConfig } from '../../../local/config/index.ts';
import type { Service } from '../../../local/shared/context.ts';
import { createJwtKeys } from '../../../local/shared/jwt.ts';
import { createLogger } from '../../../local/shared/logger.ts';
import type { MailMessage } from '../../../local/shared/mailer.ts';
import { clientWithKey } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';

/** Where the in-process service pretends to live; supabase-js requests to it never leave the process. */
const IN_PROCESS_URL = 'http://auth.in-process.test';

type Table = Record<string, unknown>;

function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `overrides` into `base` table by table, as a config.toml edit would. */
function mergeTables(base: Table, overrides: Table): Table {
  const merged: Table = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    merged[key] = isTable(value) && isTable(base[key]) ? mergeTables(base[key], value) : value;
  }
  return merged;
}

/** The suite's config with `auth` (config.toml's `[auth]`, nested tables included) overridden. */
export function configWithAuth(auth: Table): LocalConfig {
  const db = new URL(stackEnv().dbUrl);
  const base = loadConfig({ ports: { db: Number(db.port) }, quiet: true });
  const toml = structuredClone(base.toml);
  toml.auth = mergeTables(isTable(toml.auth) ? toml.auth : {}, auth);
  return { ...base, host: db.hostname, dbPassword: decodeURIComponent(db.password), toml };
}

export interface RequestInit {
  method?: string;
  body?: unknown;
  /** Bearer token; the anon key when omitted. */
  token?: string;
}

export interface InProcessAuth {
  config: LocalConfig;
  service: Service;
  /** Every mail the service sent, oldest first. */
  mails: MailMessage[];
  /** A request to the service (paths as under /auth/v1), with the 2024-01-01 API version. */
  request(pathName: string, init?: RequestInit): Promise<Response>;
  /** A supabase-js client talking to this service; `storage` keeps sessions and PKCE verifiers. */
  client(options?: { flowType?: 'implicit' | 'pkce'; key?: string }): SupabaseClient;
  /** The newest captured mail to `address` (and with `subject`, when given). */
  latestMailTo(address: string, subject?: string): MailMessage;
  /** The service's own URL for a link it mailed, so the link can be followed in-process. */
  follow(link: string): Promise<Response>;
  close(): Promise<void>;
}

/** Builds the Auth service with `auth` overriding config.toml's `[auth]`. Close it in afterAll. */
export async function startAuthService(auth: Table = {}): Promise<InProcessAuth> {
  const config = configWithAuth(auth);
  const mails: MailMessage[] = [];
  const mailer = { send: async (message: MailMessage) => void mails.push(message), close: () => {} };
  const service = await createAuthService({ config, jwt: await createJwtKeys(config), log: createLogger({ quiet: true }), mailer });
  const root = new Hono();
  root.route('/auth/v1', service.app);
  const external = readAuthSettings(config).externalUrl;

  return {
    config,
    service,
    mails,
    async request(pathName, init = {}) {
      return service.app.request(pathName, {
        method: init.method ?? 'GET',
        headers: {
          Authorization: `Bearer ${init.token ?? config.anonKey}`,
          'Content-Type': 'application/json',
          'X-Supabase-Api-Version': '2024-01-01',
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    },
    client({ flowType = 'implicit', key = config.anonKey } = {}) {
      const fetch = ((input, init) =>
        Promise.resolve(root.request(input instanceof Request ? input : String(input), init))) as typeof globalThis.fetch;
      return clientWithKey(key, { url: IN_PROCESS_URL, flowType, fetch });
    },
    latestMailTo(address, subject) {
      const found = mails.filter((m) => m.to.toLowerCase() === address.toLowerCase() && (!subject || m.subject === subject)).at(-1);
      if (!found) throw new Error(`no mail to ${address}${subject ? ` with subject ${subject}` : ''}`);
      return found;
    },
    async follow(link) {
      if (!link.startsWith(external)) throw new Error(`${link} is not a link to ${external}`);
      return service.app.request(link.slice(external.length), { redirect: 'manual' });
    },
    close: () => service.close(),
  };
}

/** Runs `work` with a connection as `postgres` (to age a session or a flow state, or clean up). */
export async function asPostgres<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: stackEnv().dbUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
