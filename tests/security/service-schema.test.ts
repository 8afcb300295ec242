/**
 * Service-only RPCs (issue 7, item 13): the functions only the edge functions call with the service
 * key live in schema `service`. Through raw HTTP (`/rest/v1/rpc/<fn>` with `Content-Profile: service`,
 * as `supabase.schema('service').rpc()` sends it) anon is 401 and a signed-in user 403, both with
 * PostgREST's 42501; service_role gets an answer; `public` no longer has them; and the app's
 * generated types (`public` only) do not name them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { stackEnv } from '../helpers/env.ts';

/** Every function moved to `service`, with harmless arguments (a unknown login, a random subject…). */
const SERVICE_FUNCTIONS: [string, Record<string, unknown>][] = [
  ['issue_one_time_code', { p_purpose: 'password_reset', p_subject: `nobody-${randomBytes(4).toString('hex')}` }],
  ['consume_one_time_code', { p_purpose: 'password_reset', p_code: '000000', p_subject: 'nobody', p_token: null }],
  ['capture_sms', { p_phone: '+15550000000', p_body: 'service schema test' }],
  ['find_sign_in_account', { p_login: 'nobody-at-all' }],
  ['verify_user_password', { p_user_id: '00000000-0000-0000-0000-000000000000', p_password: 'x' }],
  ['is_parent_linked', { p_child_id: '00000000-0000-0000-0000-000000000000', p_parent_email: 'p@marquee.test' }],
  ['phone_in_use', { p_phone: '+15550000001' }],
  ['take_rate_limits', { p_limits: [] }],
  ['return_rate_limits', { p_limits: [] }],
  ['rate_limit_retry_after', { p_limits: [] }],
];

let userToken: string;

beforeAll(async () => {
  const username = `svc_${randomBytes(4).toString('hex')}`;
  const { data, error } = await anonClient().auth.signUp({
    email: `${username}@marquee.test`,
    password: 'Service-walls-1!',
    options: { data: { username } },
  });
  if (error || !data.session) throw error ?? new Error('no session');
  userToken = data.session.access_token;
});

async function rpc(fn: string, args: Record<string, unknown>, bearer: string | null, profile: string | null) {
  const { url, anonKey } = stackEnv();
  const headers: Record<string, string> = { apikey: anonKey, 'Content-Type': 'application/json' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (profile) headers['Content-Profile'] = profile;
  const response = await fetch(`${url}/rest/v1/rpc/${fn}`, { method: 'POST', headers, body: JSON.stringify(args) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : null };
}

describe('schema service, through raw HTTP', () => {
  it.each(SERVICE_FUNCTIONS)('%s: anon gets 401 42501', async (fn, args) => {
    const reply = await rpc(fn, args, null, 'service');
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 401, code: '42501' });
    expect(String(reply.body?.message)).toMatch(/permission denied for schema service/);
  });

  it.each(SERVICE_FUNCTIONS)('%s: a signed-in user gets 403 42501', async (fn, args) => {
    const reply = await rpc(fn, args, userToken, 'service');
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 403, code: '42501' });
  });

  it.each(SERVICE_FUNCTIONS)('%s: service_role is answered', async (fn, args) => {
    const reply = await rpc(fn, args, stackEnv().serviceRoleKey, 'service');
    // A function returning void answers 204, as PostgREST does.
    expect(reply.status).toBe(fn === 'return_rate_limits' ? 204 : 200);
  });

  it.each(SERVICE_FUNCTIONS)('%s: is no longer in public (404 PGRST202, even for service_role)', async (fn, args) => {
    const reply = await rpc(fn, args, stackEnv().serviceRoleKey, null);
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 404, code: 'PGRST202' });
  });

  it('GET with Accept-Profile (a read-only call) is refused the same way, and answered for service_role', async () => {
    const { url, anonKey, serviceRoleKey } = stackEnv();
    const get = async (bearer: string | null) => {
      const headers: Record<string, string> = { apikey: anonKey, 'Accept-Profile': 'service' };
      if (bearer) headers.Authorization = `Bearer ${bearer}`;
      const response = await fetch(`${url}/rest/v1/rpc/find_sign_in_account?p_login=nobody-at-all`, { headers });
      return { status: response.status, code: ((await response.json()) as { code?: string } | null)?.code };
    };
    expect(await get(null)).toEqual({ status: 401, code: '42501' });
    expect(await get(userToken)).toEqual({ status: 403, code: '42501' });
    expect((await get(serviceRoleKey)).status).toBe(200);
  });

  it('an unexposed schema is refused before any role is considered (406 PGRST106)', async () => {
    const reply = await rpc('find_sign_in_account', { p_login: 'x' }, stackEnv().serviceRoleKey, 'private');
    expect({ status: reply.status, code: reply.body?.code }).toEqual({ status: 406, code: 'PGRST106' });
  });
});

describe("the app's generated types", () => {
  const types = readFileSync(new URL('../../sdk/src/database.types.ts', import.meta.url), 'utf8');

  it('describe public only', () => {
    expect(types).toMatch(/\n\s*"?public"?: \{/);
    expect(types).not.toMatch(/\n\s*"?service"?: \{/);
  });

  it.each([...SERVICE_FUNCTIONS.map(([fn]) => fn), 'link_parent'])('do not name %s', (fn) => {
    expect(types).not.toContain(fn);
  });
});
