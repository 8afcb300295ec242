/**
 * In-process tests of the Auth service (Hono `app.request()`, see in-process.ts), built with config the
 * shared config.toml does not have: the custom access token hook enabled, and asymmetric signing keys.
 * They use the suite's database, so they need Marquee Local's platform roles and password.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, uniqueEmail } from './helpers.ts';
import { asPostgres, startAuthService, type InProcessAuth } from './in-process.ts';

const HOOK_SCHEMA = 'auth_hook_test';

describe('auth: custom access token hook', () => {
  let auth: InProcessAuth;

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
    auth = await startAuthService({ hook: { custom_access_token: { enabled: true, uri: `pg-functions://postgres/${HOOK_SCHEMA}/hook` } } });
  });

  afterAll(async () => {
    await auth?.close();
    await asPostgres((db) => db.query(`drop schema if exists ${HOOK_SCHEMA} cascade`));
  });

  it('adds the claims the hook returns, given user_id, claims and authentication_method', async () => {
    const response = await auth.request('/signup', { method: 'POST', body: { email: uniqueEmail('hooked'), password: 'Hooked-pass-1' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; user: { id: string } };
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ user_role: 'creator', hook_method: 'password', hook_user: body.user.id, role: 'authenticated', aal: 'aal1' });
  });

  it('answers a hook error object with its http_code and message', async () => {
    const response = await auth.request('/signup', { method: 'POST', body: { email: uniqueEmail('deny'), password: 'Hooked-pass-1' } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ message: 'Accounts like this are not allowed' });
  });

  it('rejects claims missing a required claim: 500 with the schema message', async () => {
    const response = await auth.request('/signup', { method: 'POST', body: { email: uniqueEmail('broken'), password: 'Hooked-pass-1' } });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { code: string; message: string };
    expect(body.code).toBe('unexpected_failure');
    expect(body.message).toContain('output claims do not conform to the expected schema');
    expect(body.message).toContain('aal is required');
  });

  it('a hook that raises is a 500 naming the hook URI', async () => {
    const response = await auth.request('/signup', { method: 'POST', body: { email: uniqueEmail('raise'), password: 'Hooked-pass-1' } });
    expect(response.status).toBe(500);
    expect(await response.json()).toMatchObject({ message: `Error running hook URI: pg-functions://postgres/${HOOK_SCHEMA}/hook` });
  });
});

describe('auth: asymmetric signing keys (auth.signing_keys_path)', () => {
  let auth: InProcessAuth;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'auth-keys-'));
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'test-rs256', alg: 'RS256' };
    const keysPath = path.join(dir, 'signing_keys.json');
    await writeFile(keysPath, JSON.stringify([jwk]));
    auth = await startAuthService({ signing_keys_path: keysPath });
  });

  afterAll(async () => {
    await auth?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('signs access tokens with RS256 and publishes the public key at /.well-known/jwks.json', async () => {
    const signup = await auth.request('/signup', { method: 'POST', body: { email: uniqueEmail('rs256'), password: 'Signing-pass-1' } });
    expect(signup.status).toBe(200);
    const { access_token: token } = (await signup.json()) as { access_token: string };
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: 'test-rs256', typ: 'JWT' });

    const jwksResponse = await auth.request('/.well-known/jwks.json');
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as JSONWebKeySet;
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kid: 'test-rs256', kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), { audience: 'authenticated' });
    expect(payload.role).toBe('authenticated');

    const me = await auth.request('/user', { token });
    expect(me.status).toBe(200);
  });

  it('serves an empty key set with only the HS256 secret', async () => {
    const hs = await startAuthService();
    try {
      const response = await hs.request('/.well-known/jwks.json');
      expect(await response.json()).toEqual({ keys: [] });
    } finally {
      await hs.close();
    }
  });
});

describe('auth: error shapes by API version', () => {
  it('answers {code, message} for 2024-01-01 and {code, error_code, msg} without the header', async () => {
    const auth = await startAuthService();
    try {
      const modern = await auth.request('/token?grant_type=password', { method: 'POST', body: { email: uniqueEmail('x'), password: 'nope-nope' } });
      expect(modern.status).toBe(400);
      expect(modern.headers.get('x-supabase-api-version')).toBe('2024-01-01');
      expect(await modern.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' });

      const legacy = await auth.service.app.request('/token?grant_type=password', {
        method: 'POST',
        headers: { Authorization: `Bearer ${auth.config.anonKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: uniqueEmail('x'), password: 'nope-nope' }),
      });
      expect(await legacy.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
      expect(legacy.headers.get('x-sb-error-code')).toBe('invalid_credentials');
    } finally {
      await auth.close();
    }
  });
});
