/**
 * Counters under concurrency, through the whole stack (SDK → REST → Postgres): 50 users liking,
 * double-liking and unliking one post at once, and 50 commenting on another at once, leave every
 * counter equal to its rows (issue 8, item 6).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommentsApi, createPostInteractionsApi, isMarqueeError, type MarqueeSupabaseClient } from '../../sdk/src/index.ts';
import { Agent, fetch as undiciFetch } from 'undici';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { countersOf, createPost, rowCountsOf, signedIn, type SignedIn } from '../db/interactions-fixtures.ts';

const USERS = 50;
let db: pg.Client;
let author: SignedIn;
let users: SignedIn[];
beforeAll(async () => {
  db = await connectAsPostgres();
  author = await signedIn(db);
  users = [];
  for (let i = 0; i < USERS; i++) users.push(await signedIn(db));
}, 120_000);
afterAll(async () => {
  await db.end();
  await agent.close();
});

/**
 * The users' HTTP agent drops idle sockets after 1 s, well before the server's 5 s keep-alive, so
 * a burst never reuses a socket the server is closing (a client-side race, not what is measured).
 */
const agent = new Agent({ keepAliveTimeout: 1_000, keepAliveMaxTimeout: 1_000 });
const agentFetch = ((input: string | URL, init?: RequestInit) =>
  undiciFetch(input, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch;
const clients = new Map<string, MarqueeSupabaseClient>();

const sdkOf = (user: SignedIn) => {
  let supabase = clients.get(user.id);
  if (!supabase) {
    supabase = anonClient({ accessToken: user.token, fetch: agentFetch }) as unknown as MarqueeSupabaseClient;
    clients.set(user.id, supabase);
  }
  return { interactions: createPostInteractionsApi(supabase), comments: createCommentsApi(supabase) };
};

/** The network cause of a failure (e.g. ECONNRESET), so a failing run says what broke. */
function causeCode(error: unknown): string {
  let cause: unknown = error;
  const codes: string[] = [];
  for (let depth = 0; depth < 5 && cause && typeof cause === 'object'; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    cause = (cause as { cause?: unknown }).cause;
  }
  return codes.length > 1 ? ` (${codes.slice(1).join(' < ')})` : '';
}

/** The message of a refusal, or 'ok'. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (isMarqueeError(error) ? `${error.status} ${error.detail}${error.detail.includes('fetch failed') ? causeCode(error) : ''}` : String(error)),
  );

describe('50 concurrent users', { timeout: 120_000 }, () => {
  it('likes, duplicate likes and unlikes leave like_count equal to the likes', async () => {
    const post = await createPost(db, author);
    // Every user sends two likes at once; then every other user unlikes. All users run at once.
    const results = await Promise.all(
      users.map(async (user, i) => {
        const { interactions } = sdkOf(user);
        const likes = await Promise.all([outcome(interactions.like({ post_id: post })), outcome(interactions.like({ post_id: post }))]);
        const unlike = i % 2 === 0 ? await outcome(interactions.unlike({ post_id: post })) : 'kept';
        return { likes: likes.sort(), unlike };
      }),
    );
    for (const result of results) {
      expect(result.likes).toEqual(['400 You already liked this post.', 'ok']);
      expect(['ok', 'kept']).toContain(result.unlike);
    }
    expect(await rowCountsOf(db, post)).toMatchObject({ like_count: USERS / 2 });
    expect(await countersOf(db, post)).toEqual(await rowCountsOf(db, post));
  });

  it('comments, all at once and then all deleted at once, leave comment_count equal to the comments', async () => {
    const post = await createPost(db, author);
    const created = await Promise.all(users.map((user, i) => outcome(sdkOf(user).comments.create({ post_id: post, comment: `comment ${i}` }))));
    expect(created.filter((r) => r !== 'ok')).toEqual([]);
    expect(await rowCountsOf(db, post)).toMatchObject({ comment_count: USERS });
    expect(await countersOf(db, post)).toEqual(await rowCountsOf(db, post));

    const page = await sdkOf(author).comments.list({ post_id: post, page_size: 30 });
    expect(page).toMatchObject({ count: USERS, page_size: 30, total_pages: 2 });
    const { rows } = await db.query<{ id: string; created_by: string }>('select id, created_by from public.comments where post_id = $1', [post]);
    const byUser = new Map(users.map((u) => [u.id, u]));
    const removed = await Promise.all(rows.map((r) => outcome(sdkOf(byUser.get(r.created_by)!).comments.remove({ comment_id: Number(r.id) }))));
    expect(removed.filter((r) => r !== 'ok')).toEqual([]);
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 0 });
    expect(await rowCountsOf(db, post)).toMatchObject({ comment_count: 0 });
  });

  it('two views from each user at once count one view each', async () => {
    const post = await createPost(db, author);
    const views = await Promise.all(
      users.map((user) => Promise.all([outcome(sdkOf(user).interactions.view({ post_id: post })), outcome(sdkOf(user).interactions.view({ post_id: post }))])),
    );
    expect(views.flat().filter((r) => r !== 'ok')).toEqual([]);
    expect(await rowCountsOf(db, post)).toMatchObject({ view_count: USERS });
    expect(await countersOf(db, post)).toEqual(await rowCountsOf(db, post));
  });
});
