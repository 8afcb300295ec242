/**
 * In-process tests of the Auth service (Hono `app.request()`), built with config objects the shared
 * config.toml does not have: the custom access token hook enabled, and asymmetric signing keys.
 * They use the suite's database, so they need Marquee Local's platform roles and password.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../../local/auth/index.ts';
import { loadConfig, type LocalConfig } from '../../../local/config/index.ts';
import type { Service } from '../../../local/shared/context.ts';
import { createJwtKeys } from '../../../local/shared/jwt.ts';
import { createLogger } from '../../../local/shared/logger.ts';
import { stackEnv } from '../../helpers/env.ts';
import { decodeJwt, uniqueEmail } from './helpers.ts';

const HOOK_SCHEMA = 'auth_hook_test';

function configFor(auth: Record<string, unknown>): LocalConfig {
  const db = new URL(stackEnv().dbUrl);
  const base = loadConfig({ ports: { db: Number(db.port) }, quiet: true });
  const toml = structuredClone(base.toml);
  toml.auth = { ...(toml.auth as Record<string, unknown>), ...auth };
  return { ...base, host: db.hostname, dbPassword: decodeURIComponent(db.password), toml };
}

async function buildService(config: LocalConfig): Promise<Service> {
  const log = createLogger({ quiet: true });
  const mailer = { send: async () => {}, close: () => {} };
  return createAuthService({ config, jwt: await createJwtKeys(config), log, mailer });
}

function request(service: Service, config: LocalConfig, pathName: string, init: { method?: string; body?: unknown; token?: string } = {}) {
  return service.app.request(pathName, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${init.token ?? config.anonKey}`,
      'Content-Type': 'application/json',
      'X-Supabase-Api-Version': '2024-01-01',
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

async function asPostgres<T>(work: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: stackEnv().dbUrl });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}

describe('auth: custom access token hook', () => {
  let service: Service;
  let config: LocalConfig;

  beforeAll(async () => {
    await asPostgres((db) =>
      db.query(`
        create schema if not exists ${HOOK_SCHEMA};
        create or replace function ${HOOK_SCHEMA}.hook(event jsonb) returns jsonb language plpgsql as $$
        declare
          email text := event->'claims'->>'email';
        begin
          if email like 'deny-%' then
            return jsonb_build_object('error', jsonb_build_object('http_code', 403, 'message', 'Accounts like this are not allowed'));
          elsif email like 'broken-%' then
            return jsonb_build_object('claims', (event->'claims') - 'aal');
          elsif email like 'raise-%' then
            raise exception 'hook exploded';
          end if;
          return jsonb_build_object('claims',
            (event->'claims') || jsonb_build_object('user_role', 'creator', 'hook_method', event->'authentication_method',
                                                    'hook_user', event->'user_id'));
        end
        $$;
        grant usage on schema ${HOOK_SCHEMA} to supabase_auth_admin;
        grant execute on function ${HOOK_SCHEMA}.hook(jsonb) to supabase_auth_admin;
        revoke execute on function ${HOOK_SCHEMA}.hook(jsonb) from public, anon, authenticated;
      `),
    );
    config = configFor({ hook: { custom_access_token: { enabled: true, uri: `pg-functions://postgres/${HOOK_SCHEMA}/hook` } } });
    service = await buildService(config);
  });

  afterAll(async () => {
    await service?.close();
    await asPostgres((db) => db.query(`drop schema if exists ${HOOK_SCHEMA} cascade`));
  });

  it('adds the claims the hook returns, given user_id, claims and authentication_method', async () => {
    const response = await request(service, config, '/signup', { method: 'POST', body: { email: uniqueEmail('hooked'), password: 'hooked-pass-1' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; user: { id: string } };
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ user_role: 'creator', hook_method: 'password', hook_user: body.user.id, role: 'authenticated', aal: 'aal1' });
  });

  it('answers a hook error object with its http_code and message', async () => {
    const response = await request(service, config, '/signup', { method: 'POST', body: { email: uniqueEmail('deny'), password: 'hooked-pass-1' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: 'Accounts like this are not allowed' });
  });

  it('rejects claims missing a required claim: 500 with the schema message', async () => {
    const response = await request(service, config, '/signup', { method: 'POST', body: { email: uniqueEmail('broken'), password: 'hooked-pass-1' } });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('unexpected_failure');
    expect(body.message).toContain('output claims do not conform to the expected schema');
    expect(body.message).toContain('aal is required');
  });

  it('a hook that raises is a 500 naming the hook URI', async () => {
    const response = await request(service, config, '/signup', { method: 'POST', body: { email: uniqueEmail('raise'), password: 'hooked-pass-1' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ message: `Error running hook URI: pg-functions://postgres/${HOOK_SCHEMA}/hook` });
  });
});

describe('auth: asymmetric signing keys (auth.signing_keys_path)', () => {
  let service: Service;
  let config: LocalConfig;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'auth-keys-'));
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256' };
    const keysPath = path.join(dir, 'signing_keys.json');
    await writeFile(keysPath, JSON.stringify([jwk]));
    config = configFor({ signing_keys_path: keysPath });
    service = await buildService(config);
  });

  afterAll(async () => {
    await service?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs access tokens with RS256 and publishes the public key at /.well-known/jwks.json', async () => {
    const signup = await request(service, config, '/signup', { method: 'POST', body: { email: uniqueEmail('rs256'), password: 'signing-pass-1' } });
    expect(signup.status).toBe(200);
    const { access_token: token } = (await signup.json()) as { access_token: string };
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: 'test-rs256', typ: 'JWT' });

    const jwksResponse = await request(service, config, '/.well-known/jwks.json');
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: 'test-rs256', kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { audience: 'authenticated' });
    expect(payload.role).toBe('authenticated');

    const me = await request(service, config, '/user', { token });
    expect(me.status).toBe(200);
  });

  it('serves an empty key set with only the HS256 secret', async () => {
    const hs = await buildService(configFor({}));
    try {
      const response = await request(hs, configFor({}), '/.well-known/jwks.json');
      expect(await response.json()).toEqual({ keys: [] });
    } finally {
      await hs.close();
    }
  });
});

describe('auth: error shapes by API version', () => {
  it('answers {code, message} for 2024-01-01 and {code, error_code, msg} without the header', async () => {
    const config = configFor({});
    const service = await buildService(config);
    try {
      const modern = await request(service, config, '/token?grant_type=password', { method: 'POST', body: { email: uniqueEmail('x'), password: 'nope-nope' } });
      expect(modern.status).toBe(400);
      expect(modern.headers.get('x-supabase-api-version')).toBe('2024-01-01');
      expect(await modern.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });

      const legacy = await service.app.request('/token?grant_type=password', {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.anonKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail('x'), password: 'nope-nope' }),
      });
      expect(await legacy.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
      expect(legacy.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    } finally {
      await service.close();
    }
  });
});
