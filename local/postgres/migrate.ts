import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import { dbUrl, type LocalConfig } from '../config/index.ts';

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

/** `supabase db reset`: drops user objects, applies every migration, then seed.sql. */
export function resetDatabase(config: LocalConfig): Promise<string> {
  return supabaseCli(config, ['db', 'reset']);
}

/** `supabase migration up`: applies migrations not yet recorded in supabase_migrations. */
export function migrateUp(config: LocalConfig): Promise<string> {
  return supabaseCli(config, ['migration', 'up']);
}

/** `supabase gen types typescript` for the API schemas. */
export function generateTypes(config: LocalConfig): Promise<string> {
  return supabaseCli(config, ['gen', 'types', 'typescript', '--schema', 'public']);
}
