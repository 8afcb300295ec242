import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import {
  DEFAULT_ANON_KEY,
  DEFAULT_DB_PASSWORD,
  DEFAULT_JWT_SECRET,
  DEFAULT_PUBLISHABLE_KEY,
  DEFAULT_SECRET_KEY,
  DEFAULT_SERVICE_ROLE_KEY,
} from './keys.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The raw `supabase/config.toml` as parsed; services read their own sections from it. */
export type SupabaseToml = Record<string, unknown>;

export interface Ports {
  /** API gateway (auth, rest, functions). */
  api: number;
  /** PostgreSQL. */
  db: number;
  /** Mailpit-compatible HTTP API. */
  mailHttp: number;
  /** SMTP capture. */
  mailSmtp: number;
}

export interface LocalConfig {
  projectRoot: string;
  /** Folder holding config.toml, migrations/ and seed.sql. */
  supabaseDir: string;
  toml: SupabaseToml;
  ports: Ports;
  /** Host every service binds to and every printed URL uses. */
  host: string;
  /** Postgres data directory. */
  dataDir: string;
  jwtSecret: string;
  anonKey: string;
  serviceRoleKey: string;
  publishableKey: string;
  secretKey: string;
  dbPassword: string;
  /** Suppress JSON access logs. */
  quiet: boolean;
  /**
   * Proxies in front of the gateway whose X-Forwarded-For it believes (Kong's `trusted_ips`):
   * addresses or CIDRs, from `MARQUEE_TRUSTED_PROXIES` (comma-separated). None by default, so the
   * gateway records each client's own socket address.
   */
  trustedProxies: string[];
}

export interface ConfigOverrides {
  projectRoot?: string;
  ports?: Partial<Ports>;
  dataDir?: string;
  quiet?: boolean;
  trustedProxies?: string[];
  env?: NodeJS.ProcessEnv;
  /**
   * Schemas the API exposes besides config.toml's `[api].schemas`, for this run only (the test
   * stack exposes its fixture schema this way; config.toml stays the product's).
   */
  extraApiSchemas?: string[];
}

/** Reads `supabase/config.toml` and applies env overrides, the way the CLI resolves `env(NAME)`. */
export function loadConfig(overrides: ConfigOverrides = {}): LocalConfig {
  const env = overrides.env ?? process.env;
  const projectRoot = overrides.projectRoot ?? PROJECT_ROOT;
  const supabaseDir = path.join(projectRoot, 'supabase');
  const toml = resolveEnvReferences(parse(readFileSync(path.join(supabaseDir, 'config.toml'), 'utf8')), env);

  const api = section(toml, 'api');
  if (overrides.extraApiSchemas?.length) {
    const listed = Array.isArray(api.schemas) ? (api.schemas as unknown[]) : ['public', 'graphql_public'];
    toml.api = { ...api, schemas: [...listed, ...overrides.extraApiSchemas] };
  }
  const db = section(toml, 'db');
  const smtp = section(toml, 'local_smtp');
  const ports: Ports = {
    api: overrides.ports?.api ?? numberFrom(env.MARQUEE_API_PORT) ?? numberOr(api.port, 54321),
    db: overrides.ports?.db ?? numberFrom(env.MARQUEE_DB_PORT) ?? numberOr(db.port, 54322),
    mailHttp: overrides.ports?.mailHttp ?? numberFrom(env.MARQUEE_MAIL_PORT) ?? numberOr(smtp.port, 54324),
    mailSmtp: overrides.ports?.mailSmtp ?? numberFrom(env.MARQUEE_SMTP_PORT) ?? numberOr(smtp.smtp_port, 54325),
  };

  return {
    projectRoot,
    supabaseDir,
    toml,
    ports,
    host: env.MARQUEE_HOST ?? '127.0.0.1',
    dataDir: overrides.dataDir ?? env.MARQUEE_DATA_DIR ?? path.join(projectRoot, '.marquee', 'data'),
    jwtSecret: env.JWT_SECRET ?? env.SUPABASE_JWT_SECRET ?? DEFAULT_JWT_SECRET,
    anonKey: env.ANON_KEY ?? DEFAULT_ANON_KEY,
    serviceRoleKey: env.SERVICE_ROLE_KEY ?? DEFAULT_SERVICE_ROLE_KEY,
    publishableKey: env.PUBLISHABLE_KEY ?? DEFAULT_PUBLISHABLE_KEY,
    secretKey: env.SECRET_KEY ?? DEFAULT_SECRET_KEY,
    dbPassword: env.POSTGRES_PASSWORD ?? DEFAULT_DB_PASSWORD,
    quiet: overrides.quiet ?? false,
    trustedProxies: overrides.trustedProxies ?? listFrom(env.MARQUEE_TRUSTED_PROXIES),
  };
}

function listFrom(value: string | undefined): string[] {
  return (value ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** A table of config.toml by dotted path (`auth.email`), or an empty object when absent. */
export function section(toml: SupabaseToml, dotted: string): Record<string, unknown> {
  let node: unknown = toml;
  for (const key of dotted.split('.')) {
    if (typeof node !== 'object' || node === null) return {};
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null ? (node as Record<string, unknown>) : {};
}

/** Postgres URL for a platform role (all share the CLI's password). */
export function dbUrl(config: LocalConfig, role = 'postgres', database = 'postgres'): string {
  return `postgresql://${role}:${encodeURIComponent(config.dbPassword)}@${config.host}:${config.ports.db}/${database}`;
}

export function apiUrl(config: LocalConfig): string {
  return `http://${config.host}:${config.ports.api}`;
}

function resolveEnvReferences(value: unknown, env: NodeJS.ProcessEnv): SupabaseToml {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const match = /^env\((\w+)\)$/.exec(node);
      return match ? (env[match[1]!] ?? '') : node;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object' && !(node instanceof Date)) {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  return walk(value) as SupabaseToml;
}

function numberFrom(value: string | undefined): number | undefined {
  return value ? Number(value) : undefined;
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** Each accepted API key (legacy JWT or new sb_ form) and the role JWT it stands for. */
export function roleJwtByApiKey(config: LocalConfig): Map<string, string> {
  return new Map([
    [config.anonKey, config.anonKey],
    [config.publishableKey, config.anonKey],
    [config.serviceRoleKey, config.serviceRoleKey],
    [config.secretKey, config.serviceRoleKey],
  ]);
}
