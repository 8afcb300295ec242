import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, asVisitor, connectAsPostgres, runAs, type Actor } from '../helpers/db.ts';
import { asPostgresWithin, createAccount, type Account } from './accounts-fixtures.ts';
import { createPost, mentionsOf, tagsOf } from './tags-fixtures.ts';

/**
 * set_post_tags / set_post_mentions replace a post's explicit lists under the same rules as a raw
 * insert, and refuse a bad list whole (nothing changes); list_tags lists tags in use with counts.
 */
let db: pg.Client;
let author: Account;
let stranger: Account;
let jane: Account;
let bob: Account;
let blockedByAuthor: Account;
let blockerOfAuthor: Account;
let inactive: Account;
let postId: number;

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await createAccount(db);
  stranger = await createAccount(db);
  jane = await createAccount(db);
  bob = await createAccount(db);
  blockedByAuthor = await createAccount(db);
  blockerOfAuthor = await createAccount(db);
  inactive = await createAccount(db, { status: 'deactivated' });
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($3, $1)', [author.id, blockedByAuthor.id, blockerOfAuthor.id]);
  postId = await createPost(db, author, { title: '#start', description: `@${jane.username}` });
});
afterAll(async () => {
  await db.end();
});

/** Calls `sql` as `who`, then reads the post's links as postgres (rolled back either way). */
async function attempt(who: Actor, sql: string, params: unknown[], post = postId) {
  return runAs(db, who, async (c) => {
    await c.query('savepoint attempt');
    const outcome = await c.query(sql, params).then(
      (r) => ({ ok: Object.values(r.rows[0] ?? {})[0] as unknown }),
      async (e: { code?: string; message?: string }) => {
        await c.query('rollback to savepoint attempt');
        return { code: e.code, message: e.message };
      },
    );
    return asPostgresWithin(c, async () => ({ outcome, tags: await tagsOf(c, post, true), mentions: await mentionsOf(c, post, true) }));
  });
}

const untouched = () => ({ tags: ['start:text'], mentions: [`${jane.username}:text`] });

describe('set_post_tags', () => {
  it('replaces the explicit tags (`#` optional, case-insensitive, duplicates once) and returns every tag', async () => {
    const result = await attempt(asVisitor(author), 'select public.set_post_tags($1, $2)', [postId, ['#Summer', 'summer', 'START', 'x_1']]);
    expect(result).toEqual({
      outcome: { ok: ['start', 'summer', 'x_1'] },
      tags: ['start:explicit', 'summer:explicit', 'x_1:explicit'],
      mentions: [`${jane.username}:text`],
    });
  });

  it('an explicit tag dropped from the list stays as a text tag while the text names it', async () => {
    const result = await runAs(db, asVisitor(author), async (c) => {
      await c.query('select public.set_post_tags($1, $2)', [postId, ['start', 'other']]);
      await c.query('select public.set_post_tags($1, $2)', [postId, []]);
      return asPostgresWithin(c, () => tagsOf(c, postId, true));
    });
    expect(result).toEqual(['start:text']);
  });

  it('explicit tags win over text tags at the cap of 30', async () => {
    const explicit = Array.from({ length: 30 }, (_, i) => `e${i}`);
    const result = await runAs(db, asVisitor(author), async (c) => {
      await c.query('select public.set_post_tags($1, $2)', [postId, explicit]);
      await c.query('update public.posts set post_description = $2 where id = $1', [postId, '#more #tags']);
      return asPostgresWithin(c, () => tagsOf(c, postId, true));
    });
    expect(result).toHaveLength(30);
    expect(result.every((t) => t.endsWith(':explicit'))).toBe(true);
  });

  it.each([
    ['an invalid tag', () => ['bad tag'], '22023', 'Invalid tag "bad tag": a tag is 1 to 50 letters, digits or underscores.'],
    ['a tag of other scripts', () => ['café'], '22023', 'Invalid tag "café": a tag is 1 to 50 letters, digits or underscores.'],
    ['an over-long tag', () => ['a'.repeat(51)], '22023', `Invalid tag "${'a'.repeat(51)}": a tag is 1 to 50 letters, digits or underscores.`],
    ['an empty tag', () => [''], '22023', 'Invalid tag "": a tag is 1 to 50 letters, digits or underscores.'],
    ['a null list', () => null, '22023', 'A list of tags is required.'],
    ['31 tags', () => Array.from({ length: 31 }, (_, i) => `t${i}`), '22023', 'A post can carry at most 30 tags.'],
  ])('refuses %s and changes nothing', async (_name, tags, code, message) => {
    const result = await attempt(asVisitor(author), 'select public.set_post_tags($1, $2)', [postId, tags()]);
    expect(result).toEqual({ outcome: { code, message }, ...untouched() });
  });

  it.each([
    ["someone else's post", () => asVisitor(stranger), () => postId, '42501', 'You can only change the tags and mentions of your own posts.'],
    ['a post that does not exist', () => asVisitor(author), () => 2 ** 53 - 1, 'PT404', 'Post not found.'],
    ['a suspended author', () => asAccount(author, 'suspended'), () => postId, '42501', 'You do not have permission to perform this action.'],
    ['anon', () => asAnon(), () => postId, '42501', 'permission denied for function set_post_tags'],
  ] as const)('refuses %s', async (_name, who, post, code, message) => {
    const result = await attempt(who(), 'select public.set_post_tags($1, $2)', [post(), ['hijack']]);
    expect(result).toEqual({ outcome: { code, message }, ...untouched() });
  });

  it("a private post of someone else is not found (it is not revealed)", async () => {
    const hidden = await createPost(db, author, { title: 'Hidden', visibility: 'private' });
    const result = await attempt(asVisitor(stranger), 'select public.set_post_tags($1, $2)', [hidden, ['x']], hidden);
    expect(result.outcome).toEqual({ code: 'PT404', message: 'Post not found.' });
  });
});

describe('set_post_mentions', () => {
  it('replaces the explicit mentions; a text mention listed becomes explicit', async () => {
    const result = await attempt(asVisitor(author), 'select public.set_post_mentions($1, $2)', [postId, [jane.id, bob.id, bob.id]]);
    expect(result.outcome).toEqual({ ok: expect.arrayContaining([jane.id, bob.id]) });
    expect(result.mentions).toEqual([`${bob.username}:explicit`, `${jane.username}:explicit`].sort());
  });

  it.each([
    ['yourself', () => [author.id], 'You cannot mention yourself.'],
    ['a user who does not exist', () => [randomUUID()], 'This user does not exist or cannot be mentioned.'],
    ['a deactivated user', () => [inactive.id], 'This user does not exist or cannot be mentioned.'],
    ['a user you blocked', () => [blockedByAuthor.id], 'This user does not exist or cannot be mentioned.'],
    ['a user who blocked you', () => [blockerOfAuthor.id], 'This user does not exist or cannot be mentioned.'],
    ['a good user listed with a blocked one', () => [bob.id, blockedByAuthor.id], 'This user does not exist or cannot be mentioned.'],
    ['a null list', () => null, 'A list of user ids is required.'],
    ['21 users', () => Array.from({ length: 21 }, () => randomUUID()), 'A post can mention at most 20 users.'],
  ])('refuses %s with a clear error and changes nothing', async (_name, ids, message) => {
    const result = await attempt(asVisitor(author), 'select public.set_post_mentions($1, $2)', [postId, ids()]);
    expect(result).toEqual({ outcome: { code: '22023', message }, ...untouched() });
  });

  it("refuses someone else's post", async () => {
    const result = await attempt(asVisitor(stranger), 'select public.set_post_mentions($1, $2)', [postId, [bob.id]]);
    expect(result).toEqual({ outcome: { code: '42501', message: 'You can only change the tags and mentions of your own posts.' }, ...untouched() });
  });
});

describe('the dashboard door (postgres, no RLS) meets the same rules', () => {
  it.each([
    ['a blocked user', () => blockedByAuthor.id, 'This user does not exist or cannot be mentioned.'],
    ['a deactivated user', () => inactive.id, 'This user does not exist or cannot be mentioned.'],
    ['the author', () => author.id, 'You cannot mention yourself.'],
  ])('mentioning %s is refused', async (_name, userId, message) => {
    const insert = db.query('insert into public.post_mentions (post_id, user_id) values ($1, $2)', [postId, userId()]);
    await expect(insert).rejects.toMatchObject({ code: '22023', message });
    expect(await mentionsOf(db, postId, true)).toEqual([`${jane.username}:text`]);
  });

  it('a 31st tag is refused', async () => {
    const post = await createPost(db, author, { title: 'Full' });
    const names = Array.from({ length: 31 }, (_, i) => `cap_${randomUUID().slice(0, 6)}_${i}`);
    await db.query('insert into public.tags (name) select unnest($1::text[])', [names]);
    const insert = db.query('insert into public.post_tags (post_id, tag_id) select $1, id from public.tags where name = any($2)', [post, names]);
    await expect(insert).rejects.toMatchObject({ code: '22023', message: 'A post can carry at most 30 tags.' });
    expect(await tagsOf(db, post)).toEqual([]);
  });
});

describe('list_tags', () => {
  const prefix = `lt${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  beforeAll(async () => {
    await createPost(db, author, { title: `#${prefix}_Alpha #${prefix}_beta` });
    await createPost(db, stranger, { title: `#${prefix}_alpha` });
    await createPost(db, stranger, { title: `#${prefix}_secret`, visibility: 'private' });
    await createPost(db, blockerOfAuthor, { title: `#${prefix}_alpha #${prefix}_blocked` });
    await createPost(db, stranger, { title: `#${prefix}xbeta` });
  });

  const list = (who: Actor, search: string | null, limit = 20) =>
    runAs(db, who, async (c) => (await c.query('select name, use_count::int as uses from public.list_tags($1, $2)', [search, limit])).rows);

  it('counts public posts the caller can read, most used first, by case-insensitive prefix', async () => {
    expect(await list(asAnon(), `#${prefix.toUpperCase()}_`)).toEqual([
      { name: `${prefix}_alpha`, uses: 3 },
      { name: `${prefix}_beta`, uses: 1 },
      { name: `${prefix}_blocked`, uses: 1 },
    ]);
    // The author is in a block with one of the alpha posts' authors.
    expect(await list(asVisitor(author), `${prefix}_`)).toEqual([
      { name: `${prefix}_alpha`, uses: 2 },
      { name: `${prefix}_beta`, uses: 1 },
    ]);
  });

  it('`_` and `%` in the search are literal', async () => {
    const names = (await list(asAnon(), `${prefix}_`)).map((r) => r.name);
    expect(names).not.toContain(`${prefix}xbeta`);
    expect(await list(asAnon(), `${prefix}%`)).toEqual([]);
  });

  it('limits the rows; a limit outside 1–100 is refused', async () => {
    expect(await list(asAnon(), prefix, 1)).toHaveLength(1);
    for (const limit of [0, 101]) {
      await expect(list(asAnon(), prefix, limit)).rejects.toMatchObject({ code: '22023', message: 'The limit must be between 1 and 100.' });
    }
  });
});

describe('the caps under concurrency', () => {
  it('two writers racing for the last of 30 places: exactly one wins', async () => {
    const post = await createPost(db, author, { title: 'Race' });
    const names = Array.from({ length: 31 }, (_, i) => `race_${randomUUID().slice(0, 6)}_${i}`);
    await db.query('insert into public.tags (name) select unnest($1::text[])', [names]);
    await db.query('insert into public.post_tags (post_id, tag_id) select $1, id from public.tags where name = any($2)', [post, names.slice(0, 29)]);
    const [first, second] = [await connectAsPostgres(), await connectAsPostgres()];
    try {
      const add = (c: pg.Client, name: string) =>
        c.query('insert into public.post_tags (post_id, tag_id) select $1, id from public.tags where name = $2', [post, name]).then(
          () => 'added',
          (e: { message?: string }) => e.message,
        );
      // The first holds its place in an open transaction while the second tries to take one.
      await first.query('begin');
      expect(await add(first, names[29]!)).toBe('added');
      const racing = add(second, names[30]!);
      await first.query('commit');
      expect(await racing).toBe('A post can carry at most 30 tags.');
      expect(await tagsOf(db, post)).toHaveLength(30);
    } finally {
      await Promise.all([first.end(), second.end()]);
    }
  });
});
