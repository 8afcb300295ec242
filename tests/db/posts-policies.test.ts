import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, rowCount, type Account } from './accounts-fixtures.ts';

/**
 * Policy matrices for `posts` and `post_media`: every role of issue 8 × select / insert / update /
 * delete, through real role switching (each case rolled back). A refused insert (or a write the
 * role has no privilege for) throws 42501; a refused select / update / delete sees 0 rows.
 */
type Role = 'anon' | 'owner' | 'other' | 'blocker' | 'blocked' | 'suspended' | 'creator' | 'admin';
const ROLES: Role[] = ['anon', 'owner', 'other', 'blocker', 'blocked', 'suspended', 'creator', 'admin'];
type Expected = number | 'throws';

let db: pg.Client;
const people = {} as Record<Exclude<Role, 'anon'>, Account>;
const ownPost = {} as Record<Exclude<Role, 'anon'>, number>;
let publicPost: number;
let privatePost: number;
let goneAuthorPost: number;
let publicMedia: number;

const actor = (role: Role): Actor => {
  if (role === 'anon') return asAnon();
  const status = role === 'suspended' ? 'suspended' : 'active';
  const appRole = role === 'creator' ? 'creator' : role === 'admin' ? 'admin' : 'visitor';
  return asAccount(people[role], status, appRole);
};

async function post(author: Account, visibility = 'public', type = 'post'): Promise<number> {
  const { rows } = await db.query(
    `insert into public.posts (created_by, post_title, visibility, post_type, media_path)
     values ($1::uuid, 'fixture', $2::public.post_visibility, $3::public.post_type,
       case when $3::text in ('reel', 'video') then $1::text || '/v.mp4' end) returning id`,
    [author.id, visibility, type],
  );
  return rows[0].id as number;
}

async function media(postId: number, author: Account, position = 1): Promise<number> {
  const { rows } = await db.query(
    `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
     values ($1, $2, 'image', 'post-images', $3, 'image/png', 100) returning id`,
    [postId, position, `${author.id}/${postId}-${position}.png`],
  );
  return rows[0].id as number;
}

beforeAll(async () => {
  db = await connectAsPostgres();
  for (const role of ROLES) {
    if (role === 'anon') continue;
    people[role] = await createAccount(db, {
      role: role === 'creator' ? 'creator' : role === 'admin' ? 'admin' : 'visitor',
    });
  }
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [people.blocker.id, people.owner.id, people.blocked.id]);
  publicPost = await post(people.owner);
  privatePost = await post(people.owner, 'private');
  for (const role of Object.keys(people) as Exclude<Role, 'anon'>[]) ownPost[role] = await post(people[role]);
  await db.query(`update public.profiles set status = 'suspended' where id = $1`, [people.suspended.id]);
  const gone = await createAccount(db);
  goneAuthorPost = await post(gone);
  await media(goneAuthorPost, gone);
  await db.query(`update public.profiles set status = 'suspended' where id = $1`, [gone.id]);
  publicMedia = await media(publicPost, people.owner);
  await media(privatePost, people.owner);
});
afterAll(async () => db?.end());

async function outcome(role: Role, sql: string, params: unknown[]): Promise<Expected> {
  const state = await sqlstateOf(runAs(db, actor(role), (c) => rowCount(c, sql, params)));
  if (state === '42501') return 'throws';
  if (state) throw new Error(`${role}: unexpected SQLSTATE ${state}`);
  return runAs(db, actor(role), (c) => rowCount(c, sql, params));
}

/** One statement per case; `self` is the actor's own post, `target` the owner's public post. */
interface Case {
  name: string;
  sql: (role: Role) => [string, unknown[]];
  expected: Record<Role, Expected>;
}
const own = (role: Role) => (role === 'anon' ? -1 : ownPost[role]);

const POSTS: Case[] = [
  {
    name: "select the owner's public post",
    sql: () => ['select 1 from public.posts where id = $1', [publicPost]],
    expected: { anon: 1, owner: 1, other: 1, blocker: 0, blocked: 0, suspended: 1, creator: 1, admin: 1 },
  },
  {
    name: "select the owner's private post",
    sql: () => ['select 1 from public.posts where id = $1', [privatePost]],
    expected: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 1 },
  },
  {
    name: "select a suspended author's post",
    sql: () => ['select 1 from public.posts where id = $1', [goneAuthorPost]],
    expected: { anon: 0, owner: 0, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 1 },
  },
  {
    name: 'insert a post',
    sql: () => [`insert into public.posts (post_title) values ('mine')`, []],
    expected: { anon: 'throws', owner: 1, other: 1, blocker: 1, blocked: 1, suspended: 'throws', creator: 1, admin: 1 },
  },
  {
    name: 'insert a reel',
    sql: () => [`insert into public.posts (post_title, post_type, media_path) values ('reel', 'reel', 'x/r.mp4')`, []],
    expected: { anon: 'throws', owner: 'throws', other: 'throws', blocker: 'throws', blocked: 'throws', suspended: 'throws', creator: 1, admin: 1 },
  },
  {
    name: 'insert a post for someone else',
    sql: () => [`insert into public.posts (created_by, post_title) values ($1, 'forged')`, [people.owner.id]],
    expected: { anon: 'throws', owner: 'throws', other: 'throws', blocker: 'throws', blocked: 'throws', suspended: 'throws', creator: 'throws', admin: 'throws' },
  },
  {
    name: "update the owner's post",
    sql: () => [`update public.posts set post_title = 'changed' where id = $1`, [publicPost]],
    expected: { anon: 'throws', owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 0 },
  },
  {
    name: 'update your own post',
    sql: (role) => [`update public.posts set post_description = 'edited' where id = $1`, [own(role)]],
    expected: { anon: 'throws', owner: 1, other: 1, blocker: 1, blocked: 1, suspended: 0, creator: 1, admin: 1 },
  },
  {
    name: "update the owner's post counters",
    sql: () => [`update public.posts set like_count = 999 where id = $1`, [publicPost]],
    expected: { anon: 'throws', owner: 'throws', other: 'throws', blocker: 'throws', blocked: 'throws', suspended: 'throws', creator: 'throws', admin: 'throws' },
  },
  {
    name: "delete the owner's post",
    sql: () => ['delete from public.posts where id = $1', [publicPost]],
    expected: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 1 },
  },
  {
    name: 'delete your own post',
    sql: (role) => ['delete from public.posts where id = $1', [own(role)]],
    expected: { anon: 0, owner: 1, other: 1, blocker: 1, blocked: 1, suspended: 0, creator: 1, admin: 1 },
  },
];

const POST_MEDIA: Case[] = [
  {
    name: "select the media of the owner's public post",
    sql: () => ['select 1 from public.post_media where post_id = $1', [publicPost]],
    expected: { anon: 1, owner: 1, other: 1, blocker: 0, blocked: 0, suspended: 1, creator: 1, admin: 1 },
  },
  {
    name: "select the media of the owner's private post",
    sql: () => ['select 1 from public.post_media where post_id = $1', [privatePost]],
    expected: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 1 },
  },
  {
    name: "select the media of a suspended author's post",
    sql: () => ['select 1 from public.post_media where post_id = $1', [goneAuthorPost]],
    expected: { anon: 0, owner: 0, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 1 },
  },
  {
    name: 'insert media on your own post (the service does it after the byte check)',
    sql: (role) => [
      `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
       values ($1, 5, 'image', 'post-images', $2, 'image/png', 10)`,
      [own(role), `${role === 'anon' ? 'x' : people[role].id}/direct.png`],
    ],
    expected: { anon: 'throws', owner: 'throws', other: 'throws', blocker: 'throws', blocked: 'throws', suspended: 'throws', creator: 'throws', admin: 'throws' },
  },
  {
    name: "update the owner's media",
    sql: () => [`update public.post_media set mime_type = 'image/gif' where id = $1`, [publicMedia]],
    expected: { anon: 'throws', owner: 'throws', other: 'throws', blocker: 'throws', blocked: 'throws', suspended: 'throws', creator: 'throws', admin: 'throws' },
  },
  {
    name: "delete the owner's media",
    sql: () => ['delete from public.post_media where id = $1', [publicMedia]],
    expected: { anon: 0, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 0, creator: 0, admin: 1 },
  },
];

describe.each([
  ['posts', POSTS],
  ['post_media', POST_MEDIA],
] as const)('%s policy matrix', (_table, cases) => {
  describe.each(cases)('$name', ({ sql, expected }) => {
    it.each(ROLES)('as %s', async (role) => {
      const [text, params] = sql(role);
      expect(await outcome(role, text, params)).toBe(expected[role]);
    });
  });
});

describe('posts invariants that hold as postgres (the dashboard)', () => {
  it('a reel or video for a visitor author is refused; for a creator it is made', async () => {
    expect(await sqlstateOf(post(people.owner, 'public', 'reel'))).toBe('42501');
    expect(await sqlstateOf(post(people.owner, 'public', 'video'))).toBe('42501');
    expect(await sqlstateOf(post(people.creator, 'public', 'video'))).toBeUndefined();
  });

  it.each([
    ['an empty title', `insert into public.posts (created_by, post_title) values ($1, ' ')`, '23514'],
    ['a 151-character title', `insert into public.posts (created_by, post_title) values ($1, repeat('x', 151))`, '23514'],
    ['a bad YouTube id', `insert into public.posts (created_by, post_title, post_type, youtube_id) values ($1, 't', 'youtube_video', 'short')`, '23514'],
    ['an unknown type', `insert into public.posts (created_by, post_title, post_type) values ($1, 't', 'story')`, '22P02'],
    ['media of a kind in the wrong bucket', `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
      select id, 9, 'video', 'post-images', $1::text || '/v.mp4', 'video/mp4', 10 from public.posts where created_by = $1::uuid limit 1`, '23514'],
    ['a 6 MB image', `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
      select id, 9, 'image', 'post-images', $1::text || '/big.png', 'image/png', 6 * 1024 * 1024 from public.posts where created_by = $1::uuid limit 1`, '23514'],
    ['a file outside the author\'s folder', `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
      select id, 9, 'image', 'post-images', 'someone/else.png', 'image/png', 10 from public.posts where created_by = $1::uuid limit 1`, '23514'],
    ['an eleventh item', `insert into public.post_media (post_id, position, kind, bucket_id, object_name, mime_type, size_bytes)
      select id, 11, 'image', 'post-images', $1::text || '/11.png', 'image/png', 10 from public.posts where created_by = $1::uuid limit 1`, '23514'],
  ])('%s is refused', async (_, sql, state) => {
    await db.query('begin');
    try {
      expect(await sqlstateOf(db.query(sql, [people.owner.id]))).toBe(state);
    } finally {
      await db.query('rollback');
    }
  });
});
