import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { createAccount, type Account } from '../db/accounts-fixtures.ts';
import { signedIn, type SignedIn } from '../db/interactions-fixtures.ts';
import { creator, randomWord, searchPost, transposed, type SearchAnswer } from '../db/search-fixtures.ts';

/** The search function through the gateway, as an app calls it with fetch or supabase-js. */
let db: pg.Client;
const word = randomWord();
let author: Account;
let fan: Account;
let reader: SignedIn;
const p: Record<'title' | 'reel' | 'byFan' | 'description' | 'hidden' | 'byBlocked' | 'video' | 'private', number> = {} as never;

async function get(path: string, token?: string, method = 'GET'): Promise<{ status: number; body: unknown; headers: Headers }> {
  const stack = stackEnv();
  const response = await fetch(`${stack.url}/functions/v1/${path}`, {
    method,
    headers: { apikey: stack.anonKey, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null, headers: response.headers };
}
const ids = (body: unknown) => (body as SearchAnswer).results.map((r) => Number(r.id));
const q = encodeURIComponent;

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await creator(db);
  fan = await creator(db, `${word}_fan`);
  reader = await signedIn(db);
  const blocked = await createAccount(db);
  const at = '2026-11-01T12:00:00Z';
  p.title = await searchPost(db, author, { title: `${word} title`, createdAt: at });
  p.reel = await searchPost(db, author, { type: 'reel', title: 'Reel', description: `${word} moves`, createdAt: at });
  p.byFan = await searchPost(db, fan, { title: 'By the fan', createdAt: at });
  p.description = await searchPost(db, author, { title: 'Other', description: `of ${word}`, createdAt: at });
  p.hidden = await searchPost(db, author, { title: `${word} hidden by the reader`, createdAt: at });
  p.byBlocked = await searchPost(db, blocked, { title: `${word} by someone the reader blocked`, createdAt: at });
  p.private = await searchPost(db, author, { title: `${word} private`, visibility: 'private', createdAt: at });
  p.video = await searchPost(db, author, { type: 'video', title: `${word} video`, category: 'Dance', quality: '720p', duration: 90, createdAt: at });
  await db.query('insert into public.post_hides (user_id, post_id) values ($1, $2)', [reader.id, p.hidden]);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [reader.id, blocked.id]);
});
afterAll(async () => {
  await db.end();
});

// The first call may start the function's Deno worker and fetch npm packages.
describe('functions/search', { timeout: 90_000 }, () => {
  it('answers 000 §11 to anyone: {query, results} ranked by priority', async () => {
    const { status, body } = await get(`search?query=${q(word)}`);
    expect(status).toBe(200);
    const answer = body as SearchAnswer;
    expect(answer.query).toBe(word);
    // Title matches (1) — including the video and the posts the anon reader may see — then the reel (2), the fan (3), the description (4).
    expect(answer.results.map((r) => r.priority)).toEqual([1, 1, 1, 1, 2, 3, 4]);
    expect(ids(body).slice(4)).toEqual([p.reel, p.byFan, p.description]);
    expect(ids(body)).not.toContain(p.private);
    expect(answer.results.find((r) => Number(r.id) === p.byFan)!.created_by).toBe(fan.username);
  });

  it('runs as the caller: their hides and blocks apply', async () => {
    const { status, body } = await get(`search?query=${q(transposed(word))}`, reader.token);
    expect(status).toBe(200);
    expect(ids(body)).toEqual(expect.arrayContaining([p.title, p.video, p.reel, p.byFan, p.description]));
    expect(ids(body)).not.toContain(p.hidden);
    expect(ids(body)).not.toContain(p.byBlocked);
  });

  it('pages with page and page_size', async () => {
    const first = await get(`search?query=${q(word)}&page_size=2`);
    const second = await get(`search?query=${q(word)}&page_size=2&page=2`);
    expect((first.body as SearchAnswer).next).toBe(2);
    expect([...ids(first.body), ...ids(second.body)]).toEqual(ids((await get(`search?query=${q(word)}`)).body).slice(0, 4));
  });

  it('lists trending posts without a query', async () => {
    const { status, body } = await get('search/trending?page_size=5&post_type=reel', reader.token);
    expect(status).toBe(200);
    expect((body as SearchAnswer).results.every((r) => r.post_type === 'reel' && r.priority === null)).toBe(true);
  });

  it('searches videos with 003 facets', async () => {
    const { status, body } = await get(`search/videos?q=${q(word)}&duration_min=60&quality=720p`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      count: 1,
      results: [{ id: p.video, category: 'Dance', video_quality: '720p' }],
      facets: { categories: [{ name: 'Dance', count: 1 }], qualities: [{ name: '720p', count: 1 }] },
    });
  });

  it.each([
    ['no query', 'search', { query: ['This field may not be blank.'] }],
    ['a blank query', 'search?query=%20%20', { query: ['This field may not be blank.'] }],
    ['over 200 characters', `search?query=${'a'.repeat(201)}`, { query: ['Ensure this field has no more than 200 characters.'] }],
    ['wildcards and quotes', `search?query=${q(`%_*'"`)}`, { query: ['Enter a search term with at least 3 letters or digits; wildcards and quotes are not search terms.'] }],
    ['a page that is not a number', 'search?query=dance&page=abc', { page: ['A valid integer is required.'] }],
    ['page 0', 'search?query=dance&page=0', { page: ['A valid integer greater than or equal to 1 is required.'] }],
    ['an unknown post type', 'search/trending?post_type=story', { post_type: ['"story" is not a valid choice.'] }],
    ['a video search without q', 'search/videos', { q: ['This field may not be blank.'] }],
    ['a duration that is not a number', 'search/videos?q=dance&duration_max=long', { duration_max: ['A valid number is required.'] }],
    ['an unknown quality', 'search/videos?q=dance&quality=8k', { quality: ['"8k" is not a valid choice.'] }],
  ])('answers 400 with field errors for %s', async (_name, path, fields) => {
    expect(await get(path)).toMatchObject({ status: 400, body: fields });
  });

  it('answers 405 to other methods, 404 to unknown routes, 401 to a bad token, and the CORS preflight', async () => {
    expect(await get(`search?query=${q(word)}`, undefined, 'POST')).toMatchObject({ status: 405, body: { detail: 'Method "POST" not allowed.' } });
    expect(await get('search/nothing?query=dance')).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
    expect((await get(`search?query=${q(word)}`, 'not-a-jwt')).status).toBe(401);
    const preflight = await fetch(`${stackEnv().url}/functions/v1/search`, { method: 'OPTIONS' });
    expect(preflight.ok).toBe(true);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });
});
