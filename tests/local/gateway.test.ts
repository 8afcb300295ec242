import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientWithKey } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { FIXTURE_SCHEMA } from '../helpers/fixture-schema.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** The API gateway as the CLI stack's Kong behaves: key-auth, CORS, request ids, unknown routes. */
const env = stackEnv();

describe('apikey', () => {
  it('a request without an apikey gets 401 and the gateway message', async () => {
    const res = await fetch(`${env.url}/rest/v1/`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'No API key found in request' });
  });

  it('supabase-js with a wrong key gets 401 and nothing runs', async () => {
    const client = clientWithKey('not-a-key');
    const { error, status } = await client.from('anything').select();
    expect(status).toBe(401);
    expect(error?.message).toBe('Invalid authentication credentials');
  });

  it.each([
    ['anon key', () => env.anonKey],
    ['publishable key', () => env.publishableKey],
    ['service_role key', () => env.serviceRoleKey],
    ['secret key', () => env.secretKey],
  ])('the %s opens auth', async (_name, key) => {
    const res = await fetch(`${env.url}/auth/v1/health`, { headers: { apikey: key() } });
    expect(res.status).toBe(200);
  });

  describe('as a query parameter', () => {
    let db: pg.Client;
    beforeAll(async () => {
      db = await connectAsPostgres();
      await db.query(`
        drop table if exists test_fixtures.gateway_fixture_items;
        create table test_fixtures.gateway_fixture_items (id int primary key);
        alter table test_fixtures.gateway_fixture_items enable row level security;
        create policy "anyone can read items" on test_fixtures.gateway_fixture_items for select to anon using (true);
        insert into test_fixtures.gateway_fixture_items values (1), (2);
      `);
    });
    afterAll(async () => {
      await db.query('drop table if exists test_fixtures.gateway_fixture_items');
      await db.end();
    });

    it('opens REST and is not read as a filter', async () => {
      const url = `${env.url}/rest/v1/gateway_fixture_items?id=eq.2&apikey=${env.anonKey}`;
      const headers = { 'Accept-Profile': FIXTURE_SCHEMA };
      // the DDL notified the schema cache; wait (bounded) until it has reloaded
      const res = await waitFor(
        async () => {
          const answer = await fetch(url, { headers });
          if (answer.status !== 404) return answer;
          await answer.body?.cancel();
          return undefined;
        },
        { timeoutMs: 10_000, what: 'gateway_fixture_items to be served' },
      );
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual([{ id: 2 }]);
    });
  });

  it('auth routes Supabase leaves open need no key', async () => {
    const res = await fetch(`${env.url}/auth/v1/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty('keys');
  });
});

describe('cors and request ids', () => {
  it('answers a browser preflight for any origin', async () => {
    const res = await fetch(`${env.url}/rest/v1/items`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'apikey, authorization, content-type, prefer',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('prefer');
  });

  it('gives every response a request id, keeping the caller’s', async () => {
    const res = await fetch(`${env.url}/auth/v1/health`, { headers: { apikey: env.anonKey, 'x-request-id': 'trace-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
  });
});

describe('limits and unknown routes', () => {
  it('refuses an oversized body with 413 and keeps serving', async () => {
    const res = await fetch(`${env.url}/rest/v1/anything`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ blob: 'x'.repeat(6 * 1024 * 1024) }),
    });
    expect(res.status).toBe(413);
    const health = await fetch(`${env.url}/auth/v1/health`, { headers: { apikey: env.anonKey } });
    expect(health.status).toBe(200);
  });

  it('an unknown route gets 404', async () => {
    const res = await fetch(`${env.url}/nowhere/v1/x`, { headers: { apikey: env.anonKey } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'no Route matched with those values' });
  });
});
