/** Shared setup for the REST fidelity tests: a postgres connection, role clients and schema reloads. */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { anonClient, serviceClient, userClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { signUserToken } from '../../helpers/tokens.ts';

export const USER_A = '00000000-0000-4000-8000-00000000000a';
export const USER_B = '00000000-0000-4000-8000-00000000000b';

export interface RestFixture {
  db: pg.Client;
  anon: SupabaseClient;
  service: SupabaseClient;
  userA: SupabaseClient;
  userB: SupabaseClient;
  tokenA: string;
  restUrl: string;
  /** Headers for raw fetch as anon (apikey + bearer). */
  anonHeaders: { apikey: string; Authorization: string };
  close(): Promise<void>;
}

export { signUserToken };

export async function createFixture(ddl: string): Promise<RestFixture> {
  const env = stackEnv();
  const db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
  await db.query(ddl);
  const [tokenA, tokenB] = await Promise.all([signUserToken(USER_A), signUserToken(USER_B)]);
  return {
    db,
    anon: anonClient(),
    service: serviceClient(),
    userA: userClient(tokenA),
    userB: userClient(tokenB),
    tokenA,
    restUrl: `${env.url}/rest/v1`,
    anonHeaders: { apikey: env.anonKey, Authorization: `Bearer ${env.anonKey}` },
    close: () => db.end(),
  };
}

/** `NOTIFY pgrst, 'reload schema'`, then waits until the OpenAPI root lists every path (`/table`, `/rpc/fn`). */
export async function reloadSchema(f: RestFixture, paths: string[]): Promise<void> {
  const env = stackEnv();
  const headers = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };
  const deadline = Date.now() + 20_000;
  for (;;) {
    await f.db.query(`notify pgrst, 'reload schema'`);
    await new Promise((r) => setTimeout(r, 100));
    const res = await fetch(`${f.restUrl}/`, { headers });
    const doc = (await res.json().catch(() => ({}))) as { paths?: Record<string, unknown> };
    if (paths.every((p) => doc.paths?.[p])) return;
    if (Date.now() > deadline) throw new Error(`schema reload did not expose ${paths.join(', ')}`);
  }
}
