import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../db/accounts-fixtures.ts';
import { signedIn, type SignedIn } from '../db/interactions-fixtures.ts';
import { creator, makeChild, randomWord, searchPost, type SearchAnswer } from '../db/search-fixtures.ts';
import { asAnon, asVisitor, connectAsPostgres, runAs, sqlstateOf } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { rawRest } from '../helpers/raw-rest.ts';

/**
 * Search as a hostile client: raw REST calls of the RPCs and of the private helpers, the function
 * with other people's tokens, injection-shaped queries, oversized pages, and the word list. Every
 * wall is in SQL or the function, so each of these doors answers the same.
 */
let db: pg.Client;
const word = randomWord();
let author: Account;
let reader: SignedIn;
let blockedByReader: SignedIn;
let blockerOfReader: SignedIn;
let child: SignedIn;
let suspended: SignedIn;
const p: Record<'visible' | 'unlisted' | 'private' | 'moderated' | 'uploading' | 'byChild' | 'byReader' | 'hidden', number> = {} as never;

async function fn(path: string, token?: string): Promise<{ status: number; body: unknown }> {
  const stack = stackEnv();
  const response = await fetch(`${stack.url}/functions/v1/${path}`, { headers: { apikey: stack.anonKey, Authorization: `Bearer ${token ?? stack.anonKey}` } });
  return { status: response.status, body: (await response.json()) as unknown };
}
const ids = (body: unknown) => (body as SearchAnswer).results.map((r) => Number(r.id));
const rpcSearch = async (token: string, query = word) => ids((await rawRest('POST', 'rpc/search_posts', token, { p_query: query, p_page_size: 50 })).body);
/** Signed out, search goes through the function (anon may not execute the RPCs). */
const signedOutSearch = async (query = word) => ids((await fn(`search?query=${encodeURIComponent(query)}&page_size=50`)).body);

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await creator(db);
  reader = await signedIn(db);
  blockedByReader = await signedIn(db);
  blockerOfReader = await signedIn(db);
  child = await signedIn(db);
  await makeChild(db, child);
  suspended = await signedIn(db, { status: 'suspended' });
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($3, $1)', [reader.id, blockedByReader.id, blockerOfReader.id]);
  p.visible = await searchPost(db, author, { title: `${word} visible` });
  p.unlisted = await searchPost(db, author, { title: `${word} unlisted`, visibility: 'unlisted' });
  p.private = await searchPost(db, author, { title: `${word} private`, visibility: 'private' });
  p.moderated = await searchPost(db, author, { title: `${word} moderated`, moderationHidden: true });
  p.uploading = await searchPost(db, author, { type: 'reel', title: `${word} uploading`, uploadStatus: 'uploading' });
  p.byChild = await searchPost(db, child, { title: `${word} by a child` });
  p.byReader = await searchPost(db, reader, { title: `${word} by the reader` });
  p.hidden = await searchPost(db, author, { title: `${word} hidden by the reader` });
  await db.query('insert into public.post_hides (user_id, post_id) values ($1, $2)', [reader.id, p.hidden]);
});
afterAll(async () => {
  await db.end();
});

describe('search walls', { timeout: 90_000 }, () => {
  it('raw REST and the function answer the same, and never unlisted, private, moderated, unready or children\'s posts', async () => {
    const adult = [p.visible, p.byReader, p.hidden].sort();
    expect((await signedOutSearch()).sort()).toEqual(adult);
    expect(ids((await fn(`search?query=${word}`, suspended.token)).body).sort()).toEqual(adult);
    expect((await rpcSearch(suspended.token)).sort()).toEqual(adult);
    expect((await rpcSearch(child.token)).sort()).toEqual([...adult, p.byChild].sort());
  });

  it('the author cannot find their own unlisted, private or moderated posts through search', async () => {
    const token = (await signedIn(db)).token;
    expect(await rpcSearch(token)).not.toEqual(expect.arrayContaining([p.unlisted]));
    expect(ids((await fn(`search?query=${word}`, token)).body)).not.toContain(p.private);
  });

  it('blocks hold both ways, through REST and the function', async () => {
    expect(await rpcSearch(blockedByReader.token)).not.toContain(p.byReader);
    expect(await rpcSearch(blockerOfReader.token)).not.toContain(p.byReader);
    expect(ids((await fn(`search?query=${word}`, blockedByReader.token)).body)).not.toContain(p.byReader);
    expect(await rpcSearch(reader.token)).not.toContain(p.hidden);
    expect(ids((await fn(`search/trending?page_size=50`, reader.token)).body)).not.toContain(p.hidden);
  });

  it('a post made private or hidden by moderation leaves search at once', async () => {
    const post = await searchPost(db, author, { title: `${word} soon private` });
    expect(await signedOutSearch()).toContain(post);
    await db.query(`update public.posts set visibility = 'private' where id = $1`, [post]);
    expect(await signedOutSearch()).not.toContain(post);
    await db.query(`update public.posts set visibility = 'public', moderation_hidden_at = now() where id = $1`, [post]);
    expect(await signedOutSearch()).not.toContain(post);
  });

  it('the helpers, the word list and the matching are not reachable through REST', async () => {
    for (const fnName of ['search_post_candidates', 'video_search_matches', 'search_hidden_author_ids', 'search_matching_authors', 'profile_search_ids']) {
      const reply = await rawRest('POST', `rpc/${fnName}`, reader.token, {});
      expect(reply.status, fnName).toBe(404);
    }
    expect((await rawRest('GET', 'search_words?select=word', reader.token)).status).toBe(404);
  });

  it('nobody but the server writes the word list, or reads it from SQL', async () => {
    expect(await sqlstateOf(runAs(db, asVisitor(reader), (c) => c.query(`insert into private.search_words values ('zzz')`)))).toBe('42501');
    expect(await sqlstateOf(runAs(db, asAnon(), (c) => c.query('select * from private.search_words')))).toBe('42501');
  });

  it('injection-shaped queries are words, not SQL or patterns; page_size is capped', async () => {
    for (const query of [`${word}') or true --`, `${word}' union select 1 --`, `${word}|.*`, `${word}[a-z]*`, `${word}\\`]) {
      const reply = await rawRest('POST', 'rpc/search_posts', reader.token, { p_query: query, p_page_size: 50 });
      expect(reply.status, query).toBe(200);
      expect(ids(reply.body), query).not.toContain(p.private);
    }
    const big = await rawRest('POST', 'rpc/search_posts', reader.token, { p_query: word, p_page_size: 1_000_000 });
    expect((big.body as SearchAnswer).page_size).toBe(50);
    const bad = await rawRest('POST', 'rpc/search_posts', reader.token, { p_query: '%%%' });
    expect(bad.status).toBe(400);
  });

  it('anon may not call the RPCs through REST (signed out, the function is the door)', async () => {
    for (const [name, args] of [['search_posts', { p_query: word }], ['trending_posts', {}], ['search_videos', { p_q: word }]] as const) {
      expect((await rawRest('POST', `rpc/${name}`, null, args)).status, name).toBe(401);
    }
  });
});
