import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asServiceRole, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { creator, makeChild, randomWord, searchPost, transposed, type SearchAnswer } from './search-fixtures.ts';

/**
 * search_posts and trending_posts (000 §11 and the home screen): the priority table, the trending
 * tie-break, typo tolerance, prefixes and accents, every exclusion as each role, and bad input.
 * Signed-out readers reach these RPCs only through the search function, which calls them as
 * service_role without a user (`signedOut` here); anon itself may not execute them.
 */
const signedOut = asServiceRole;
let db: pg.Client;

const search = (actor: Actor, query: string | null, page = 1, size = 50) =>
  runAs(db, actor, async (c) => (await c.query('select public.search_posts($1, $2, $3) as r', [query, page, size])).rows[0].r as SearchAnswer);
const trending = (actor: Actor, size = 50) =>
  runAs(db, actor, async (c) => (await c.query('select public.trending_posts(1, $1) as r', [size])).rows[0].r as SearchAnswer);
const ids = (answer: SearchAnswer) => answer.results.map((r) => Number(r.id));
async function refusal(actor: Actor, query: string | null, page = 1, size = 20): Promise<{ code?: string; detail?: unknown }> {
  try {
    await search(actor, query, page, size);
    return {};
  } catch (error) {
    const e = error as { code?: string; detail?: string };
    return { code: e.code, detail: e.detail ? JSON.parse(e.detail) : undefined };
  }
}

beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

describe('search_posts: 000 §11 priorities, then trending score', () => {
  const word = randomWord();
  let author: Account;
  let fan: Account;
  const p: Record<string, number> = {};
  const at = '2026-11-01T12:00:00Z';

  beforeAll(async () => {
    author = await creator(db);
    fan = await creator(db, `${word}_fan`);
    p.title = await searchPost(db, author, { title: `All about ${word}`, createdAt: at });
    p.titleTrending = await searchPost(db, author, { title: `${word} again`, likes: 40, createdAt: at });
    p.reel = await searchPost(db, author, { type: 'reel', title: 'Moves', description: `a ${word} reel`, likes: 100, createdAt: at });
    p.reelByFan = await searchPost(db, fan, { type: 'youtube_reel', title: 'Nothing here', createdAt: at });
    p.byFan = await searchPost(db, fan, { title: 'Cooking', createdAt: at });
    p.description = await searchPost(db, author, { title: 'Other', description: `things of ${word}`, likes: 500, createdAt: at });
    p.unrelated = await searchPost(db, author, { title: 'Unrelated', createdAt: at });
  });

  it('ranks title (1), reel (2), username (3), description (4), each by trending score', async () => {
    const answer = await search(signedOut(), word);
    expect(ids(answer)).toEqual([p.titleTrending, p.title, p.reel, p.reelByFan, p.byFan, p.description]);
    expect(answer.results.map((r) => r.priority)).toEqual([1, 1, 2, 2, 3, 4]);
    expect(answer.query).toBe(word);
  });

  it('breaks ties by the trending score: more engagement first, newer first at equal engagement', async () => {
    const answer = await search(signedOut(), word);
    const [first, second] = answer.results;
    expect(first!.trending_score).toBeGreaterThan(second!.trending_score);
    const newer = await searchPost(db, author, { title: `${word} fresh`, createdAt: '2026-11-02T12:00:00Z' });
    const again = await search(signedOut(), word);
    expect(ids(again).slice(0, 3)).toEqual([newer, p.titleTrending, p.title]);
    await db.query('delete from public.posts where id = $1', [newer]);
  });

  it('answers 000 §11 items: created_by is the username, reels carry reels_data', async () => {
    const answer = await search(signedOut(), word);
    const reel = answer.results.find((r) => Number(r.id) === p.reel)!;
    expect(reel).toMatchObject({ post_title: 'Moves', post_type: 'reel', post_description: `a ${word} reel`, created_by: author.username, priority: 2 });
    expect(reel.reels_data).toMatchObject({ post: p.reel });
    expect(reel.user_profile).toMatchObject({ id: author.id, username: author.username });
    expect(answer.results.find((r) => Number(r.id) === p.title)!.reels_data).toBeNull();
  });

  it('forgives typos (a swap of two letters), matches prefixes, capitals and accents', async () => {
    const expected = ids(await search(signedOut(), word));
    expect(ids(await search(signedOut(), transposed(word)))).toEqual(expected);
    expect(ids(await search(signedOut(), word.slice(0, 6))).filter((id) => expected.includes(id))).toEqual(expected);
    expect(ids(await search(signedOut(), `  ${word.toUpperCase()}  `))).toEqual(expected);
    const accented = await searchPost(db, author, { title: `Crème brûlée ${word}x` });
    expect(ids(await search(signedOut(), `creme brulee ${word}x`))).toEqual([accented]);
  });

  it('a username typo still finds the author', async () => {
    const answer = await search(signedOut(), `${transposed(word)}_fan`);
    expect(ids(answer)).toEqual(expect.arrayContaining([p.byFan, p.reelByFan]));
  });

  it('pages: page_size, next and previous', async () => {
    const all = ids(await search(signedOut(), word));
    const pages: SearchAnswer[] = [];
    for (let page = 1; page === 1 || pages.at(-1)!.next !== null; page++) pages.push(await search(signedOut(), word, page, 2));
    expect(pages.flatMap(ids)).toEqual(all);
    expect(pages.length).toBe(Math.ceil(all.length / 2));
    expect(pages.map((page) => [page.page_size, page.previous])).toEqual(pages.map((_, i) => [2, i === 0 ? null : i]));
    expect(pages.at(-1)!.next).toBeNull();
  });
});

describe('search_posts and trending_posts: what is never returned', () => {
  const word = randomWord();
  // Far in the future, so these posts top the trending list whatever else the shared database holds.
  const future = '2036-01-01T00:00:00Z';
  let author: Account;
  let reader: Account;
  let childReader: Account;
  let admin: Account;
  let suspendedReader: Account;
  type Key = 'visible' | 'unlisted' | 'private' | 'moderationHidden' | 'processing' | 'failed' | 'suspendedAuthor' | 'byBlocker' | 'byBlocked' | 'hidden' | 'reported' | 'byChild';
  const p = {} as Record<Key, number>;

  beforeAll(async () => {
    author = await creator(db);
    reader = await createAccount(db);
    childReader = await createAccount(db);
    await makeChild(db, childReader);
    admin = await createAccount(db, { role: 'admin' });
    suspendedReader = await createAccount(db, { status: 'suspended' });
    const suspendedAuthor = await createAccount(db, { status: 'suspended' });
    const blocker = await createAccount(db);
    const blocked = await createAccount(db);
    const child = await createAccount(db);
    await makeChild(db, child);
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3)', [blocker.id, reader.id, blocked.id]);
    const post = (who: Account, f: Parameters<typeof searchPost>[2] = {}) => searchPost(db, who, { title: `${word} post`, createdAt: future, ...f });
    p.visible = await post(author, { likes: 3 });
    p.unlisted = await post(author, { visibility: 'unlisted' });
    p.private = await post(author, { visibility: 'private' });
    p.moderationHidden = await post(author, { moderationHidden: true });
    p.processing = await post(author, { type: 'video', uploadStatus: 'processing' });
    p.failed = await post(author, { type: 'reel', uploadStatus: 'failed' });
    p.suspendedAuthor = await post(suspendedAuthor);
    p.byBlocker = await post(blocker);
    p.byBlocked = await post(blocked);
    p.hidden = await post(author);
    p.reported = await post(author);
    p.byChild = await post(child);
    await db.query('insert into public.post_hides (user_id, post_id) values ($1, $2)', [reader.id, p.hidden]);
    await db.query(`insert into public.post_reports (user_id, post_id, reason) values ($1, $2, 'spam')`, [reader.id, p.reported]);
  });

  const everyoneSees = () => [p.visible, p.byBlocker, p.byBlocked, p.hidden, p.reported];
  const cases: Array<[string, () => Actor, () => number[]]> = [
    ['signed out (an adult): no child, unlisted, private, moderated, unready or suspended author', signedOut, everyoneSees],
    ['the reader: minus both sides of their blocks and what they hid or reported', () => asVisitor(reader), () => [p.visible]],
    ['a child: children\'s posts too', () => asVisitor(childReader), () => [...everyoneSees(), p.byChild]],
    ['an admin: the same public rules (search shows no moderated or private posts)', () => asAdmin(admin), everyoneSees],
    ['a suspended reader: what anon sees', () => asAccount(suspendedReader, 'suspended'), everyoneSees],
    ['the author: their own unlisted and private posts are not search results', () => asCreator(author), everyoneSees],
  ];

  it.each(cases)('search as %s', async (_name, actor, expected) => {
    expect(ids(await search(actor(), word)).sort()).toEqual(expected().sort());
  });

  it.each(cases)('trending as %s', async (_name, actor, expected) => {
    const all = Object.values(p);
    const answer = await trending(actor());
    expect(ids(answer).filter((id) => all.includes(id)).sort()).toEqual(expected().sort());
    // Highest engagement first among equally new posts.
    expect(ids(answer)[0]).toBe(p.visible);
    expect(answer.results[0]!.priority).toBeNull();
  });
});

describe('search_posts: who may call it', () => {
  it('anon may not execute the search RPCs or their definer helpers (42501)', async () => {
    for (const sql of ["select public.search_posts('dance')", 'select public.trending_posts()', "select public.search_videos('dance')",
      "select * from private.search_post_candidates('{dance}', '{}', 0, 10)", 'select private.search_hidden_author_ids()']) {
      expect(await sqlstateOf(runAs(db, asAnon(), (c) => c.query(sql))), sql).toBe('42501');
    }
  });
});

describe('search_posts: bad input is a 400 naming the field, never a pattern', () => {
  const refusals: Array<[string, string | null, string]> = [
    ['null', null, 'This field may not be blank.'],
    ['empty', '', 'This field may not be blank.'],
    ['blank', '   ', 'This field may not be blank.'],
    ['over 200 characters', 'a'.repeat(201), 'Ensure this field has no more than 200 characters.'],
    ['only wildcards', '%%__**', 'Enter a search term with at least 3 letters or digits; wildcards and quotes are not search terms.'],
    ['only quotes', `'"'\`"`, 'Enter a search term with at least 3 letters or digits; wildcards and quotes are not search terms.'],
    ['regex and like syntax around short words', '.* a% (b|c) ?', 'Enter a search term with at least 3 letters or digits; wildcards and quotes are not search terms.'],
  ];
  it.each(refusals)('%s', async (_name, query, message) => {
    expect(await refusal(signedOut(), query)).toEqual({ code: '23514', detail: { query: [message] } });
  });

  it('200 characters are fine; a bad page is a 400 on page', async () => {
    expect((await search(signedOut(), `${randomWord(10)} `.repeat(18).slice(0, 200))).results).toEqual([]);
    expect(await refusal(signedOut(), 'dance', 0)).toEqual({ code: '23514', detail: { page: ['A valid integer greater than or equal to 1 is required.'] } });
  });

  it('wildcards, quotes and regex characters inside a query match nothing more than its words', async () => {
    const word = randomWord();
    const author = await createAccount(db);
    const post = await searchPost(db, author, { title: `${word} clip` });
    await searchPost(db, author, { title: `${word.slice(0, 4)}zzzzzz other` });
    for (const query of [`${word}%`, `%${word}`, `'${word}'`, `${word}.*`, `"${word}"`, `${word}\\`, `(${word})|.*`]) {
      expect(ids(await search(signedOut(), query))).toEqual([post]);
    }
  });
});
