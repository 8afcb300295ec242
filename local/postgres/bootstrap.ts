import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { dbUrl, type LocalConfig } from '../config/index.ts';
import { ENSURE_MESSAGE_PARTITIONS } from './realtime-partitions.ts';
import { SUPERUSER } from './server.ts';

const LOGIN_ROLES = ['postgres', 'authenticator', 'supabase_auth_admin', 'supabase_storage_admin', 'supabase_replication_admin', 'supabase_read_only_user', 'pgbouncer'];

const BOOTSTRAP_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bootstrap');

/**
 * Applies the platform bootstrap (bootstrap/*.sql, in name order): what the Supabase image and the
 * Auth, Storage and Realtime services create before user migrations. Every file is idempotent, so
 * it runs on each start and an upgraded bootstrap reaches existing data directories.
 */
export async function bootstrapPlatform(config: LocalConfig): Promise<void> {
  const sql = postgres(dbUrl(config, SUPERUSER), { max: 1, fetch_types: false, onnotice: () => undefined });
  try {
    for (const file of readdirSync(BOOTSTRAP_DIR).filter((f) => f.endsWith('.sql')).sort()) {
      const script = readFileSync(path.join(BOOTSTRAP_DIR, file), 'utf8');
      try {
        await sql.unsafe(script);
      } catch (error) {
        throw new Error(`platform bootstrap ${file} failed: ${(error as Error).message}`, { cause: error });
      }
    }
    await sql.unsafe(ENSURE_MESSAGE_PARTITIONS);
    // Every login role shares the stack's database password, as in the CLI stack.
    for (const role of LOGIN_ROLES) {
      await sql.unsafe(`alter role ${quoteIdentifier(role)} with password ${quoteLiteral(config.dbPassword)}`);
    }
  } finally {
    await sql.end();
  }
}

function quoteIdentifier(name: string): string {
  return '"' + name.replace(/"/g, '""') + '"';
}

/** A literal for a statement that takes no parameters (ALTER ROLE … PASSWORD). */
function quoteLiteral(value: string): string {
  return "E'" + value.replace(/\\/g, '\\\\').replace(/'/g, "''") + "'";
}
