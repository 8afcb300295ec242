import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, connectAsPostgres, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, rowCount, type Account } from './accounts-fixtures.ts';
import { insertVideo, runAsWithPremium } from './videos-fixtures.ts';

/**
 * Policy matrix for video rows of `posts` and their files: every role × reading a public, unlisted,
 * private and premium video (row, file in storage.objects, likes), with one premium user (the
 * is_premium override lives only inside each rolled-back case). A refused insert throws 42501; a
 * refused select sees 0 rows.
 */
type Role = 'anon' | 'owner' | 'other' | 'blocker' | 'blocked' | 'suspended' | 'creator' | 'admin' | 'premium';
const ROLES: Role[] = ['anon', 'owner', 'other', 'blocker', 'blocked', 'suspended', 'creator', 'admin', 'premium'];
type Expected = number | 'throws';

let db: pg.Client;
const people = {} as Record<Exclude<Role, 'anon'>, Account>;
const videos = {} as Record<'public' | 'unlisted' | 'private' | 'premium' | 'premiumReel', number>;
const files = {} as Record<keyof typeof videos, string>;

const actor = (role: Role): Actor => {
  if (role === 'anon') return asAnon();
  const status = role === 'suspended' ? 'suspended' : 'active';
  const appRole = role === 'creator' || role === 'owner' ? 'creator' : role === 'admin' ? 'admin' : 'visitor';
  return asAccount(people[role], status, appRole);
};

beforeAll(async () => {
  db = await connectAsPostgres();
  for (const role of ROLES) {
    if (role === 'anon') continue;
    people[role] = await createAccount(db, {
      role: role === 'creator' || role === 'owner' ? 'creator' : role === 'admin' ? 'admin' : 'visitor',
    });
  }
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [
    people.blocker.id,
    people.owner.id,
    people.blocked.id,
  ]);
  videos.public = await insertVideo(db, people.owner);
  videos.unlisted = await insertVideo(db, people.owner, { visibility: 'unlisted' });
  videos.private = await insertVideo(db, people.owner, { visibility: 'private' });
  videos.premium = await insertVideo(db, people.owner, { requirePremium: true });
  videos.premiumReel = await insertVideo(db, people.owner, { requirePremium: true, type: 'reel' });
  await db.query(`update public.profiles set status = 'suspended' where id = $1`, [people.suspended.id]);
  for (const key of Object.keys(videos) as (keyof typeof videos)[]) {
    const { rows } = await db.query('select media_path from public.posts where id = $1', [videos[key]]);
    files[key] = rows[0].media_path as string;
    await db.query(`insert into storage.objects (bucket_id, name, owner_id) values ('post-videos', $1, $2)`, [
      files[key],
      people.owner.id,
    ]);
  }
});
afterAll(async () => {
  await db?.query(`delete from storage.objects where bucket_id = 'post-videos' and name = any ($1)`, [Object.values(files)]).catch(() => undefined);
  await db?.end();
});

async function outcome(role: Role, sql: string, params: unknown[]): Promise<Expected> {
  const run = () => runAsWithPremium(db, [people.premium.id], actor(role), (c) => rowCount(c, sql, params));
  const state = await sqlstateOf(run());
  if (state === '42501') return 'throws';
  if (state) throw new Error(`${role}: unexpected SQLSTATE ${state}`);
  return run();
}

interface Case {
  name: string;
  sql: [string, () => unknown[]];
  expected: Record<Role, Expected>;
}
const everyone = (n: Expected, overrides: Partial<Record<Role, Expected>> = {}) =>
  Object.fromEntries(ROLES.map((r) => [r, overrides[r] ?? n])) as Record<Role, Expected>;
const readable = everyone(1, { blocker: 0, blocked: 0 });
const ownerAndAdmin = everyone(0, { owner: 1, admin: 1 });
const premiumOnly = everyone(0, { owner: 1, admin: 1, premium: 1 });
const selectRow = (key: keyof typeof videos): [string, () => unknown[]] => ['select 1 from public.posts where id = $1', () => [videos[key]]];
const selectFile = (key: keyof typeof videos): [string, () => unknown[]] => [
  `select 1 from storage.objects where bucket_id = 'post-videos' and name = $1`,
  () => [files[key]],
];

const CASES: Case[] = [
  { name: 'select a public video', sql: selectRow('public'), expected: readable },
  { name: 'select an unlisted video by id', sql: selectRow('unlisted'), expected: readable },
  { name: 'select a private video', sql: selectRow('private'), expected: ownerAndAdmin },
  { name: 'select a premium video', sql: selectRow('premium'), expected: premiumOnly },
  { name: 'select a premium reel', sql: selectRow('premiumReel'), expected: premiumOnly },
  { name: "select a public video's file", sql: selectFile('public'), expected: readable },
  // The owner reads their own folder through issue 8's policy.
  { name: "select a private video's file", sql: selectFile('private'), expected: ownerAndAdmin },
  { name: "select a premium video's file", sql: selectFile('premium'), expected: premiumOnly },
  {
    name: 'like a premium video',
    sql: ['insert into public.post_likes (post_id) values ($1)', () => [videos.premium]],
    expected: everyone('throws', { owner: 1, admin: 1, premium: 1 }),
  },
  {
    name: 'comment on a premium video',
    sql: [`insert into public.comments (post_id, comment) values ($1, 'hi')`, () => [videos.premium]],
    expected: everyone('throws', { owner: 1, admin: 1, premium: 1 }),
  },
  {
    name: 'insert a video row',
    sql: [`insert into public.posts (post_title, post_type, media_path, require_premium) values ('v', 'video', 'x/v.mp4', true)`, () => []],
    expected: everyone('throws', { owner: 1, creator: 1, admin: 1 }),
  },
  {
    name: 'update a premium video',
    sql: [`update public.posts set post_title = 'changed', require_premium = false where id = $1`, () => [videos.premium]],
    expected: everyone(0, { anon: 'throws', owner: 1 }),
  },
  {
    name: 'delete a premium video',
    sql: ['delete from public.posts where id = $1', () => [videos.premium]],
    expected: everyone(0, { owner: 1, admin: 1 }),
  },
  {
    name: 'list_videos shows a premium video',
    sql: [`select 1 from jsonb_array_elements(public.list_videos() -> 'results') r where (r ->> 'id')::bigint = $1`, () => [videos.premium]],
    expected: everyone(0, { owner: 1, admin: 1, premium: 1 }),
  },
];

describe('video rows: policy matrix', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const got = {} as Record<Role, Expected>;
      for (const role of ROLES) got[role] = await outcome(role, c.sql[0], c.sql[1]());
      expect(got).toEqual(c.expected);
    });
  }

  it('without the override nobody but the owner and admins reads a premium video (is_premium is false until billing)', async () => {
    const plain = async (role: Role) =>
      runAsWithPremium(db, [], actor(role), (c) => rowCount(c, 'select 1 from public.posts where id = $1', [videos.premium]));
    expect(await plain('premium')).toBe(0);
    expect(await plain('owner')).toBe(1);
    expect(await plain('admin')).toBe(1);
  });

  it('the premium flag is the owner\'s to set; other users cannot flip it', async () => {
    const flip = (role: Role) =>
      runAsWithPremium(db, [], actor(role), (c) =>
        rowCount(c, 'update public.posts set require_premium = false where id = $1', [videos.premium]),
      );
    expect(await flip('other')).toBe(0);
    expect(await flip('premium')).toBe(0);
    expect(await flip('owner')).toBe(1);
  });
});
