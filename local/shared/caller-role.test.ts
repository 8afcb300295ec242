import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { stackEnv } from '../../tests/helpers/env.ts';
import { callerRequestOf, callerSettings, parseCookies, switchToCaller } from './caller-role.ts';

const USER = '00000000-0000-4000-8000-0000000000c1';
const request = { method: 'POST', path: '/rpc/fn', headers: { 'x-marker': 'm' }, cookies: { session: 'abc' } };

describe('callerSettings', () => {
  it("lists PostgREST's settings in its order, the claims carrying the role the request runs as", () => {
    expect(callerSettings({ role: 'authenticated', claims: { sub: USER, role: 'ignored' }, request })).toEqual([
      ['role', 'authenticated'],
      ['request.jwt.claims', JSON.stringify({ sub: USER, role: 'authenticated' })],
      ['request.method', 'POST'],
      ['request.path', '/rpc/fn'],
      ['request.headers', '{"x-marker":"m"}'],
      ['request.cookies', '{"session":"abc"}'],
    ]);
  });

  it('sets the same names, empty, for a caller without an HTTP request', () => {
    expect(callerSettings({ role: 'anon', claims: {} })).toEqual([
      ['role', 'anon'],
      ['request.jwt.claims', '{"role":"anon"}'],
      ['request.method', ''],
      ['request.path', ''],
      ['request.headers', '{}'],
      ['request.cookies', '{}'],
    ]);
  });
});

describe('callerRequestOf', () => {
  it('lower-cases header names and parses the cookie header', () => {
    const req = new Request('http://x.test/storage/v1/object/b/k?download', {
      method: 'post',
      headers: { 'X-Marker': 'm', Cookie: 'a=1; b = two=2 ; flag' },
    });
    expect(callerRequestOf(req, '/object/b/k')).toEqual({
      method: 'POST',
      path: '/object/b/k',
      headers: { 'x-marker': 'm', cookie: 'a=1; b = two=2 ; flag' },
      cookies: { a: '1', b: 'two=2' },
    });
  });

  it('parseCookies skips pairs without a name', () => {
    expect(parseCookies('=x; y=1')).toEqual({ y: '1' });
    expect(parseCookies(undefined)).toEqual({});
  });
});

describe('switchToCaller', () => {
  const sql = postgres(stackEnv().dbUrl, { max: 1, onnotice: () => undefined });
  afterAll(() => sql.end());

  it('switches the transaction to the role and sets every setting, service extras last', async () => {
    const seen = await sql.begin(async (tx) => {
      await switchToCaller(tx, { role: 'authenticated', claims: { sub: USER }, request }, [['realtime.topic', 'room:1']]);
      const [row] = await tx`select current_user as "user", auth.uid() as uid,
        current_setting('request.jwt.claims') as claims, current_setting('request.method') as method,
        current_setting('request.path') as path, current_setting('request.headers') as headers,
        current_setting('request.cookies') as cookies, current_setting('realtime.topic') as topic`;
      return row;
    });
    expect(seen).toEqual({
      user: 'authenticated',
      uid: USER,
      claims: JSON.stringify({ sub: USER, role: 'authenticated' }),
      method: 'POST',
      path: '/rpc/fn',
      headers: '{"x-marker":"m"}',
      cookies: '{"session":"abc"}',
      topic: 'room:1',
    });
  });

  it('sets them for the transaction only', async () => {
    await sql.begin((tx) => switchToCaller(tx, { role: 'anon', claims: {}, request }));
    const [row] = await sql`select current_user as "user", current_setting('request.method', true) as method`;
    expect(row).toEqual({ user: 'postgres', method: '' });
  });
});
