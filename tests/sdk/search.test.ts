import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarquee, isMarqueeError, type Marquee, type MarqueeSupabaseClient } from '../../sdk/src/index.ts';
import type { Account } from '../db/accounts-fixtures.ts';
import { creator, randomWord, searchPost, transposed } from '../db/search-fixtures.ts';
import { signedIn } from '../db/interactions-fixtures.ts';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';

/** `marquee.search` over the real stack (signed in; signed out it is a 401 — the function is that door): query, videos, trending, bad input. */
let db: pg.Client;
let anon: Marquee;
let reader: Marquee;
let author_: Marquee;
let author: Account;
const word = randomWord();
const p: Record<'title' | 'description' | 'hidden' | 'video', number> = {} as never;

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await creator(db);
  const viewer = await signedIn(db);
  anon = createMarquee({ client: anonClient() as unknown as MarqueeSupabaseClient });
  reader = createMarquee({ client: viewer.client as unknown as MarqueeSupabaseClient });
  author_ = createMarquee({ client: (await signedIn(db)).client as unknown as MarqueeSupabaseClient });
  p.title = await searchPost(db, author, { title: `${word} in the title` });
  p.description = await searchPost(db, author, { title: 'Other', description: `${word} in the description` });
  p.hidden = await searchPost(db, author, { title: `${word} hidden` });
  p.video = await searchPost(db, author, { type: 'video', title: `${word} video`, category: 'Music', quality: '1080p', duration: 30 });
  await db.query('insert into public.post_hides (user_id, post_id) values ($1, $2)', [viewer.id, p.hidden]);
});
afterAll(async () => {
  await db.end();
});

const caught = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('marquee.search', () => {
  it('query: ranked results, typo-tolerant, as the caller', async () => {
    const page = await reader.search.query({ query: transposed(word) });
    expect(page.results.map((r) => [r.id, r.priority])).toEqual([
      ...page.results.filter((r) => r.priority === 1).map((r) => [r.id, 1]),
      [p.description, 4],
    ]);
    expect(page.results.map((r) => r.id)).toEqual(expect.arrayContaining([p.title, p.video]));
    expect(page.results.map((r) => r.id)).not.toContain(p.hidden);
    expect((await author_.search.query({ query: word })).results.map((r) => r.id)).toContain(p.hidden);
    expect(page.results[0]!.created_by).toBe(author.username);
  });

  it('videos: filters and facets', async () => {
    const page = await reader.search.videos({ q: word, quality: '1080p', duration_max: 60, ordering: '-created_at' });
    expect(page).toMatchObject({ count: 1, results: [{ id: p.video, category: 'Music' }], facets: { categories: [{ name: 'Music', count: 1 }], qualities: [{ name: '1080p', count: 1 }] } });
  });

  it('trending: a page of results by trending score', async () => {
    const page = await reader.search.trending({ page_size: 5 });
    const scores = page.results.map((r) => r.trending_score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(page.page_size).toBe(5);
  });

  it('signed out, the RPCs answer 401', async () => {
    expect(await caught(anon.search.query({ query: word }))).toMatchObject({ status: 401 });
  });

  it('bad input is a 400 MarqueeError with fields, from the database', async () => {
    const blank = await caught(reader.search.query({ query: '  ' }));
    expect(isMarqueeError(blank) && blank.status).toBe(400);
    expect(blank).toMatchObject({ fields: { query: ['This field may not be blank.'] } });
    expect(await caught(reader.search.query({ query: `%'"_` }))).toMatchObject({ status: 400, fields: { query: [expect.stringContaining('wildcards and quotes')] } });
    expect(await caught(reader.search.videos({ q: word, quality: '8k' as never }))).toMatchObject({ status: 400, fields: { quality: ['"8k" is not a valid choice.'] } });
    expect(await caught(reader.search.trending({ page: 0 }))).toMatchObject({ status: 400, fields: { page: [expect.any(String)] } });
  });
});
