import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { accessToken, createAccount, type TestUser } from '../functions/accounts.ts';

/**
 * Profile links and the picture hold web addresses only, whatever the door: raw REST, the
 * update_own_profile RPC, and an admin writing as postgres in the dashboard.
 */
const stack = stackEnv();
const HOSTILE_LINKS = [
  'javascript:alert(document.cookie)',
  'JavaScript://example.com/%0Aalert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
  '//evil.example/x',
  'https://example.com/a b',
  'https://user@evil.example/',
  'java\tscript:alert(1)',
];

let db: pg.Client;
let user: TestUser;
let token: string;
beforeAll(async () => {
  db = await connectAsPostgres();
  user = await createAccount();
  token = await accessToken(user);
});
afterAll(async () => {
  await db.end();
});

const stored = async () =>
  (await db.query(`select profile_pic, user_social_fb, user_social_twt, user_social_yt from public.profiles where id = $1`, [user.id])).rows[0];

async function patchProfile(changes: Record<string, unknown>) {
  const response = await fetch(`${stack.url}/rest/v1/profiles?id=eq.${user.id}`, {
    method: 'PATCH',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(changes),
  });
  return { status: response.status, body: (await response.json().catch(() => null)) as Record<string, unknown> | null };
}

describe('profile links are web links only', { timeout: 60_000 }, () => {
  it.each(['user_social_fb', 'user_social_twt', 'user_social_yt'])('raw REST refuses hostile %s with a 400 naming the field', async (field) => {
    const before = await stored();
    for (const link of HOSTILE_LINKS) {
      const { status, body } = await patchProfile({ [field]: link });
      expect({ link, status, code: body?.code, message: body?.message }).toEqual({
        link,
        status: 400,
        code: '23514',
        message: `${field}: Enter a valid URL.`,
      });
      expect(JSON.parse(String(body?.details))).toEqual({ [field]: ['Enter a valid URL.'] });
    }
    expect(await stored()).toEqual(before);
  });

  it('update_own_profile refuses a javascript: link and changes nothing, not even the other fields', async () => {
    const before = await stored();
    const { error, status } = await userClient(token).rpc('update_own_profile', {
      p_changes: { first_name: 'Mallory', user_social_yt: 'javascript:alert(1)' },
    });
    expect({ status, code: error?.code, message: error?.message, details: JSON.parse(error?.details ?? 'null') }).toEqual({
      status: 400,
      code: '23514',
      message: 'user_social_yt: Enter a valid URL.',
      details: { user_social_yt: ['Enter a valid URL.'] },
    });
    expect(await stored()).toEqual(before);
    expect((await db.query(`select first_name from public.profiles where id = $1`, [user.id])).rows[0].first_name).not.toBe('Mallory');
  });

  it('accepts http(s) URLs and the reference\'s bare host/path form', async () => {
    const links = {
      user_social_fb: 'https://www.facebook.com/john?ref=marquee#top',
      user_social_twt: 'http://x.com:8080/john',
      user_social_yt: 'youtube.com/john',
    };
    const { status } = await patchProfile(links);
    expect(status).toBe(204);
    expect(await stored()).toMatchObject(links);
    expect((await patchProfile({ user_social_fb: '', user_social_twt: '', user_social_yt: '' })).status).toBe(204);
  });

  it('the dashboard (postgres) cannot store a non-web link either', async () => {
    for (const link of ['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>']) {
      const error = await db
        .query(`update public.profiles set user_social_fb = $2 where id = $1`, [user.id, link])
        .then(() => undefined, (e: { code?: string }) => e);
      expect({ link, code: error?.code }).toEqual({ link, code: '23514' });
    }
    // The constraint itself holds even with the trigger out of the way.
    await db.query('begin');
    try {
      await db.query('alter table public.profiles disable trigger profiles_check_links');
      const error = await db
        .query(`update public.profiles set user_social_twt = 'javascript:alert(1)' where id = $1`, [user.id])
        .then(() => undefined, (e: { code?: string; constraint?: string }) => e);
      expect({ code: error?.code, constraint: error?.constraint }).toEqual({ code: '23514', constraint: 'profiles_social_twt_web_link' });
    } finally {
      await db.query('rollback');
    }
  });
});

describe('the profile picture is an object in the owner\'s avatars folder', { timeout: 60_000 }, () => {
  it.each([
    'javascript:alert(1)',
    'https://evil.example/tracker.png',
    'data:image/svg+xml,<svg onload=alert(1)>',
    '00000000-0000-0000-0000-000000000000/someone-else.png',
  ])('refuses %s through raw REST and the RPC', async (picture) => {
    const rest = await patchProfile({ profile_pic: picture });
    expect({ status: rest.status, message: rest.body?.message }).toEqual({
      status: 400,
      message: 'profile_pic: Must be an object in your own avatars folder.',
    });
    const { status, error } = await userClient(token).rpc('update_own_profile', { p_changes: { profile_pic: picture } });
    expect({ status, message: error?.message }).toEqual({ status: 400, message: 'profile_pic: Must be an object in your own avatars folder.' });
    expect((await stored()).profile_pic).toBeNull();
  });

  it('accepts a path in the owner\'s folder, and null', async () => {
    expect((await patchProfile({ profile_pic: `${user.id}/avatar-1.png` })).status).toBe(204);
    expect((await stored()).profile_pic).toBe(`${user.id}/avatar-1.png`);
    expect((await patchProfile({ profile_pic: null })).status).toBe(204);
    expect((await stored()).profile_pic).toBeNull();
  });

  it('the dashboard cannot point a picture outside the owner\'s folder', async () => {
    const error = await db
      .query(`update public.profiles set profile_pic = 'javascript:alert(1)' where id = $1`, [user.id])
      .then(() => undefined, (e: { code?: string }) => e);
    expect(error?.code).toBe('23514');
  });
});
