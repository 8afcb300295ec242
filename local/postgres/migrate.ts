import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { dbUrl, type LocalConfig } from '../config/index.ts';
import { bootstrapPlatform } from './bootstrap.ts';
import { SUPERUSER } from './server.ts';

const run = promisify(execFile);

/** The Supabase CLI shipped in node_modules (the `supabase` npm package). */
export function supabaseCliPath(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('supabase/package.json')), 'dist', 'supabase.js');
}

/** Runs the real Supabase CLI against Marquee Local's database, as `postgres` like the CLI stack. */
export async function supabaseCli(config: LocalConfig, args: string[]): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [supabaseCliPath(), ...args, `--remote=${dbUrl(config)}`, '--yes', '--workdir', config.projectRoot],
    {
      cwd: config.projectRoot,
      env: { ...process.env, PGSSLMODE: 'disable', SUPABASE_YES: '1', DO_NOT_TRACK: '1', SUPABASE_TELEMETRY_DISABLED: '1', NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    },
  ).catch((error: { stderr?: string; stdout?: string; message: string }) => {
    throw new Error(`supabase ${args.join(' ')} failed:\n${error.stderr || error.stdout || error.message}`);
  });
  return stdout;
}

/**
 * Rebuilds the database as `supabase db reset` does: a new, empty database, the platform
 * bootstrap, every migration, then seed.sql. The CLI's own `db reset` cannot be used: on the CLI
 * stack's port it takes the target for its Docker stack and restarts containers, so the database
 * is recreated here and `supabase db push --include-all --include-seed` applies the rest.
 */
export async function resetDatabase(config: LocalConfig): Promise<void> {
  const admin = postgres(dbUrl(config, SUPERUSER, 'template1'), { max: 1, fetch_types: false, onnotice: () => undefined });
  try {
    await admin.unsafe('drop database if exists postgres with (force)');
    await admin.unsafe('create database postgres');
  } finally {
    await admin.end();
  }
  await bootstrapPlatform(config);
  await supabaseCli(config, ['db', 'push', '--include-all', '--include-seed']);
}

/** `supabase migration up`: applies migrations not yet recorded in supabase_migrations. */
export async function migrateUp(config: LocalConfig): Promise<void> {
  await supabaseCli(config, ['migration', 'up']);
}

/** `supabase gen types typescript` for the API schemas. */
export function generateTypes(config: LocalConfig): Promise<string> {
  return supabaseCli(config, ['gen', 'types', 'typescript', '--schema', 'public']);
}

/**
 * Brings the database up to date at start: a new (or to-be-reset) database is rebuilt with
 * migrations and seed; an existing one gets the bootstrap and any migrations added since.
 */
export async function prepareDatabase(config: LocalConfig, rebuild: boolean): Promise<void> {
  if (rebuild) {
    await resetDatabase(config);
    return;
  }
  await bootstrapPlatform(config);
  await migrateUp(config);
}
