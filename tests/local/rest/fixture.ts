/** Shared setup for the REST fidelity tests: a postgres connection, role clients and schema reloads. */
import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { anonClient, serviceClient, userClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { FIXTURE_SCHEMA } from '../../helpers/fixture-schema.ts';
import { waitFor } from '../../helpers/wait-for.ts';
import { signUserToken } from '../../helpers/tokens.ts';

export const USER_A = '00000000-0000-4000-8000-00000000000a';
export const USER_B = '00000000-0000-4000-8000-00000000000b';

/** A supabase-js client's REST side, on the fixture schema. */
export type FixtureRest = ReturnType<SupabaseClient['schema']>;

export interface RestFixture {
  db: pg.Client;
  anon: FixtureRest;
  service: FixtureRest;
  userA: FixtureRest;
  userB: FixtureRest;
  tokenA: string;
  restUrl: string;
  /** `fetch` with the fixture schema's profile headers (unless the call names a profile itself). */
  fetch(url: string, init?: RequestInit): Promise<Response>;
  /** Headers for raw fetch as anon (apikey + bearer). */
  anonHeaders: { apikey: string; Authorization: string };
  close(): Promise<void>;
}

export { signUserToken };

/** Fixtures live in their own schema (see tests/helpers/fixture-schema.ts), reached by profile. */
export { FIXTURE_SCHEMA };

function fixtureFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has('accept-profile')) headers.set('Accept-Profile', FIXTURE_SCHEMA);
  if (!headers.has('content-profile')) headers.set('Content-Profile', FIXTURE_SCHEMA);
  return fetch(url, { ...init, headers });
}

export async function createFixture(ddl: string): Promise<RestFixture> {
  const env = stackEnv();
  const db = new pg.Client({ connectionString: env.dbUrl });
  await db.connect();
  await db.query(ddl);
  const [tokenA, tokenB] = await Promise.all([signUserToken(USER_A), signUserToken(USER_B)]);
  return {
    db,
    anon: anonClient().schema(FIXTURE_SCHEMA),
    service: serviceClient().schema(FIXTURE_SCHEMA),
    userA: userClient(tokenA).schema(FIXTURE_SCHEMA),
    userB: userClient(tokenB).schema(FIXTURE_SCHEMA),
    tokenA,
    restUrl: `${env.url}/rest/v1`,
    fetch: fixtureFetch,
    anonHeaders: { apikey: env.anonKey, Authorization: `Bearer ${env.anonKey}` },
    close: () => db.end(),
  };
}

/**
 * `NOTIFY pgrst, 'reload schema'`, then waits (bounded) until the fixture schema's OpenAPI root
 * lists every path (`/table`, `/rpc/fn`); the notice is repeated while waiting, as one can be missed.
 */
export async function reloadSchema(f: RestFixture, paths: string[]): Promise<void> {
  const env = stackEnv();
  const headers = { apikey: env.serviceRoleKey, Authorization: `Bearer ${env.serviceRoleKey}` };
  await waitFor(
    async () => {
      await f.db.query(`notify pgrst, 'reload schema'`);
      const res = await fixtureFetch(`${f.restUrl}/`, { headers });
      const doc = (await res.json().catch(() => ({}))) as { paths?: Record<string, unknown> };
      return paths.every((p) => doc.paths?.[p]);
    },
    { timeoutMs: 20_000, what: `schema reload exposing ${paths.join(', ')}` },
  );
}
