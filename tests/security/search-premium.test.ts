/**
 * Search and the premium gate, together: a public post that requires premium is found by nobody who
 * is not premium — signed out through the search function (which runs as service_role, past every
 * policy), signed in through the RPC — while its author still finds it.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { creator, randomWord, searchPost, type SearchAnswer } from '../db/search-fixtures.ts';
import { signedIn, type SignedIn } from '../db/interactions-fixtures.ts';
import { userClient } from '../helpers/clients.ts';
import { signUserToken } from '../helpers/tokens.ts';

let db: pg.Client;
const word = randomWord();
let premiumPost: number;
let plainPost: number;
let reader: SignedIn;
let authorToken: string;

beforeAll(async () => {
  db = await connectAsPostgres();
  const author = await creator(db);
  premiumPost = await searchPost(db, author, { title: `${word} premium` });
  plainPost = await searchPost(db, author, { title: `${word} plain` });
  await db.query('update public.posts set require_premium = true where id = $1', [premiumPost]);
  reader = await signedIn(db);
  authorToken = await signUserToken(author.id, { email: author.email, user_role: 'creator', account_status: 'active', aal: 'aal1' });
});
afterAll(async () => db?.end());

const ids = (answer: SearchAnswer) => answer.results.map((r) => Number(r.id)).sort((a, b) => a - b);

describe('search and premium posts', { timeout: 90_000 }, () => {
  it('signed out, through the search function: only the post that needs no premium', async () => {
    const stack = stackEnv();
    const response = await fetch(`${stack.url}/functions/v1/search?query=${word}`, { headers: { apikey: stack.anonKey } });
    expect(response.status).toBe(200);
    expect(ids((await response.json()) as SearchAnswer)).toEqual([plainPost]);
  });

  it('signed in without premium, through the RPC: the same', async () => {
    const { data, error } = await userClient(reader.token).rpc('search_posts', { p_query: word });
    expect(error).toBeNull();
    expect(ids(data as SearchAnswer)).toEqual([plainPost]);
  });

  it('its author finds both', async () => {
    const { data, error } = await userClient(authorToken).rpc('search_posts', { p_query: word });
    expect(error).toBeNull();
    expect(ids(data as SearchAnswer)).toEqual([plainPost, premiumPost].sort((a, b) => a - b));
  });
});
