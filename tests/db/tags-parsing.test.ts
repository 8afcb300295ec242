import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs } from '../helpers/db.ts';
import { asPostgresWithin, createAccount, type Account } from './accounts-fixtures.ts';
import { createPost, mentionsOf, tagsOf } from './tags-fixtures.ts';

/**
 * `#tags` and `@usernames` in a post's title and description are linked by the database on insert
 * and on every edit of the text, whatever the door (here: a visitor through the API roles, and an
 * admin as postgres). Names that are unknown, inactive, the author, or in a block with the author
 * are simply not linked.
 */
let db: pg.Client;
let author: Account;
let jane: Account;
let bob: Account;
let blockedByAuthor: Account;
let blockerOfAuthor: Account;
let suspended: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await createAccount(db);
  jane = await createAccount(db);
  bob = await createAccount(db);
  blockedByAuthor = await createAccount(db);
  blockerOfAuthor = await createAccount(db);
  suspended = await createAccount(db, { status: 'suspended' });
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($3, $1)', [author.id, blockedByAuthor.id, blockerOfAuthor.id]);
});
afterAll(async () => {
  await db.end();
});

/** Writes a post as the author (a visitor, through the API role) and reads its links as postgres. */
async function linksOf(title: string, description = '') {
  return runAs(db, asVisitor(author), async (c) => {
    const { rows } = await c.query<{ id: string }>(
      'insert into public.posts (post_title, post_description) values ($1, $2) returning id',
      [title, description],
    );
    const postId = Number(rows[0]!.id);
    return asPostgresWithin(c, async () => ({ tags: await tagsOf(c, postId), mentions: await mentionsOf(c, postId) }));
  });
}

const long = (n: number) => 'a'.repeat(n);

describe('tags parsed from the text', () => {
  it.each([
    ['one tag, lower-cased', '#Dance', '', ['dance']],
    ['case-insensitive duplicates are one tag', '#Dance #DANCE', 'and #dance again', ['dance']],
    ['title and description both count', '#title_tag', 'body #body_tag', ['body_tag', 'title_tag']],
    ['punctuation ends a tag', '#dance! #summer, (#fun) #end.', '', ['dance', 'end', 'fun', 'summer']],
    ['digits and underscores', '#2024 #_x_ #a1_b2', '', ['2024', '_x_', 'a1_b2']],
    ['unicode letters make a tag invalid (not cut short)', '#café #日本 #naïve #Ωmega', '', []],
    ['unicode punctuation and emoji end a tag', '#dance… #party🎉 #sun。', '', ['dance', 'party', 'sun']],
    ['50 characters is the limit', `#${long(50)}`, '', [long(50)]],
    ['over 50 is not linked at all', `#${long(51)}`, '', []],
    ['inside a word, a URL fragment or an HTML entity is not a tag', 'a#b example.com/page#top &#39;', '', []],
    ['a lone or doubled hash is not a tag', '# ##x #-x', '', []],
  ])('%s', async (_name, title, description, expected) => {
    expect((await linksOf(title, description)).tags).toEqual(expected);
  });

  it('caps the text tags at 30, first ones first', async () => {
    const tags = Array.from({ length: 35 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    const { tags: linked } = await linksOf('Many tags', tags.map((t) => `#${t}`).join(' '));
    expect(linked).toEqual(tags.slice(0, 30));
  });
});

describe('mentions parsed from the text', () => {
  it.each([
    ['a username, in any case', () => [`Hi @${jane.username.toUpperCase()}`, ''], () => [jane.username]],
    ['title and description, duplicates once', () => [`@${jane.username}`, `@${jane.username} and @${bob.username}`], () => [bob.username, jane.username].sort()],
    ['punctuation around a mention', () => [`(@${jane.username}), @${bob.username}.`, ''], () => [bob.username, jane.username].sort()],
    ['an e-mail address is not a mention', () => [`write to me${jane.username}@example.com or ${jane.username}@example.com`, ''], () => []],
    ['a name running into another @ is not a mention', () => [`@${jane.username}@example.com`, ''], () => []],
    ['an unknown username is not linked', () => ['@nobody_here_at_all', ''], () => []],
    ['the author is not linked', () => [`@${author.username}`, ''], () => []],
    ['a user the author blocked is not linked', () => [`@${blockedByAuthor.username}`, ''], () => []],
    ['a user who blocked the author is not linked', () => [`@${blockerOfAuthor.username}`, ''], () => []],
    ['a suspended user is not linked', () => [`@${suspended.username}`, ''], () => []],
    ['a name with letters of another script is not linked', () => [`@ü${jane.username}`, ''], () => []],
    ['too short to be a username', () => ['@ab', ''], () => []],
  ] as [string, () => [string, string], () => string[]][])('%s', async (_name, text, expected) => {
    const [title, description] = text();
    expect((await linksOf(title, description)).mentions).toEqual(expected());
  });

  it('caps the text mentions at 20', async () => {
    const many: Account[] = [];
    for (let i = 0; i < 22; i += 1) many.push(await createAccount(db));
    const { mentions } = await linksOf('Everyone', many.map((u) => `@${u.username}`).join(' '));
    expect(mentions).toHaveLength(20);
    expect(mentions.every((name) => many.some((u) => u.username === name))).toBe(true);
  });
});

describe('edits re-parse the text', () => {
  it('text links follow the text; explicit ones stay', async () => {
    const result = await runAs(db, asVisitor(author), async (c) => {
      const { rows } = await c.query<{ id: string }>(
        'insert into public.posts (post_title, post_description) values ($1, $2) returning id',
        ['#old #kept', `@${jane.username}`],
      );
      const postId = Number(rows[0]!.id);
      await c.query('select public.set_post_tags($1, $2)', [postId, ['Explicit']]);
      await c.query('select public.set_post_mentions($1, $2)', [postId, [bob.id]]);
      await c.query('update public.posts set post_title = $2, post_description = $3 where id = $1', [postId, '#kept #new', 'no names']);
      return asPostgresWithin(c, async () => ({ tags: await tagsOf(c, postId, true), mentions: await mentionsOf(c, postId, true) }));
    });
    expect(result).toEqual({ tags: ['explicit:explicit', 'kept:text', 'new:text'], mentions: [`${bob.username}:explicit`] });
  });

  it('an edit to a text without any # or @ removes every text link', async () => {
    const postId = await createPost(db, author, { title: '#gone', description: `@${jane.username}` });
    await db.query('update public.posts set post_title = $2, post_description = $3 where id = $1', [postId, 'Plain title', 'plain text']);
    const links = { tags: await tagsOf(db, postId), mentions: await mentionsOf(db, postId) };
    await db.query('delete from public.posts where id = $1', [postId]);
    expect(links).toEqual({ tags: [], mentions: [] });
  });

  it('an edit of other fields leaves the links alone; an admin editing as postgres re-parses too', async () => {
    const postId = await createPost(db, author, { title: '#first', description: `@${jane.username}` });
    await db.query(`update public.posts set visibility = 'unlisted' where id = $1`, [postId]);
    const before = { tags: await tagsOf(db, postId), mentions: await mentionsOf(db, postId) };
    await db.query(`update public.posts set post_description = $2 where id = $1`, [postId, `#second @${bob.username}`]);
    const after = { tags: await tagsOf(db, postId), mentions: await mentionsOf(db, postId) };
    await db.query('delete from public.posts where id = $1', [postId]);
    expect(before).toEqual({ tags: ['first'], mentions: [jane.username] });
    expect(after).toEqual({ tags: ['first', 'second'], mentions: [bob.username] });
  });

  it('the parser functions are the server\'s, not callable by clients', async () => {
    const call = runAs(db, asVisitor(author), (c) => c.query(`select private.parse_hashtags('#x')`));
    await expect(call).rejects.toMatchObject({ code: '42501' });
  });
});
