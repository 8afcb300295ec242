import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { apiUrl, dbUrl, section, type LocalConfig } from '../config/index.ts';
import type { Logger } from '../shared/logger.ts';

/**
 * Host variables a Deno worker needs to reach the npm registry (proxies, extra CA certificates)
 * and to format dates; nothing else of the host's environment reaches a function.
 */
const PASSTHROUGH = [
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NPM_CONFIG_REGISTRY',
  'NODE_EXTRA_CA_CERTS',
  'DENO_CERT',
  'DENO_TLS_CA_STORE',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'TMPDIR',
  'TZ',
  'LANG',
];

export interface WorkerEnvOptions {
  config: LocalConfig;
  functionsDir: string;
  /** Where Deno caches npm packages (`<projectRoot>/.marquee/deno`). */
  denoDir: string;
  log: Logger;
  /** Extra variables (tests), applied last. */
  extra?: Record<string, string>;
  hostEnv?: NodeJS.ProcessEnv;
  /** Reserved names already warned about, so each is logged once. */
  warned?: Set<string>;
}

/**
 * The environment of a function, as the CLI's edge runtime gives it: the project's URL and keys,
 * the database URL, `[edge_runtime.secrets]` of config.toml, then `functions/.env` (names starting
 * with `SUPABASE_` are reserved and skipped, as the CLI does), plus Marquee's SMTP settings.
 * Read on every worker start, so an edited `.env` applies when the worker restarts.
 */
export function buildWorkerEnv(options: WorkerEnvOptions): Record<string, string> {
  const { config, log } = options;
  const hostEnv = options.hostEnv ?? process.env;
  const env: Record<string, string> = {};
  for (const name of PASSTHROUGH) {
    const value = hostEnv[name];
    if (value !== undefined) env[name] = value;
  }

  Object.assign(env, {
    DENO_DIR: options.denoDir,
    // The repository root's package.json (an npm workspace) is not the functions' config.
    DENO_NO_PACKAGE_JSON: '1',
    NO_COLOR: '1',
    SUPABASE_URL: apiUrl(config),
    SUPABASE_ANON_KEY: config.anonKey,
    SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
    SUPABASE_PUBLISHABLE_KEY: config.publishableKey,
    SUPABASE_SECRET_KEY: config.secretKey,
    SUPABASE_DB_URL: dbUrl(config),
    MARQUEE_SMTP_HOST: config.host,
    MARQUEE_SMTP_PORT: String(config.ports.mailSmtp),
  });

  for (const [name, value] of Object.entries(section(config.toml, 'edge_runtime.secrets'))) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') env[name] = String(value);
  }

  const envFile = path.join(options.functionsDir, '.env');
  if (existsSync(envFile)) {
    for (const [name, value] of Object.entries(parseDotenv(readFileSync(envFile, 'utf8')))) {
      if (name.startsWith('SUPABASE_')) {
        if (!options.warned?.has(name)) log.warn('env name cannot start with SUPABASE_, skipping', { name, file: envFile });
        options.warned?.add(name);
        continue;
      }
      env[name] = value;
    }
  }

  return { ...env, ...options.extra };
}
