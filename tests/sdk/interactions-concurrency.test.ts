/**
 * Counters under concurrency, through the whole stack (SDK → REST → Postgres): 50 users liking,
 * double-liking and unliking one post at once, and 50 commenting on another at once, leave every
 * counter equal to its rows (issue 8, item 6).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommentsApi, createPostInteractionsApi, isMarqueeError, type MarqueeSupabaseClient } from '../../sdk/src/index.ts';
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
});

const sdkOf = (user: SignedIn) => {
  const supabase = user.client as unknown as MarqueeSupabaseClient;
  return { interactions: createPostInteractionsApi(supabase), comments: createCommentsApi(supabase) };
};

/** The message of a refusal, or 'ok'. */
const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: unknown) => (isMarqueeError(error) ? `${error.status} ${error.detail}` : String(error)),
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

  it('comments, and a like and a view from each, leave every counter equal to its rows', async () => {
    const post = await createPost(db, author);
    const results = await Promise.all(
      users.map((user, i) => {
        const { interactions, comments } = sdkOf(user);
        return Promise.all([
          outcome(comments.create({ post_id: post, comment: `comment ${i}` })),
          outcome(interactions.like({ post_id: post })),
          outcome(interactions.view({ post_id: post })),
          outcome(interactions.view({ post_id: post })),
        ]);
      }),
    );
    expect(results.flat().filter((r) => r !== 'ok')).toEqual([]);
    expect(await rowCountsOf(db, post)).toEqual({ like_count: USERS, comment_count: USERS, view_count: USERS });
    expect(await countersOf(db, post)).toEqual(await rowCountsOf(db, post));

    // And deleting them all at once brings every comment counter back to zero.
    const page = await sdkOf(author).comments.list({ post_id: post, page_size: 30 });
    expect(page).toMatchObject({ count: USERS, page_size: 30, total_pages: 2 });
    const { rows } = await db.query<{ id: string; created_by: string }>('select id, created_by from public.comments where post_id = $1', [post]);
    const byUser = new Map(users.map((u) => [u.id, u]));
    await Promise.all(rows.map((r) => sdkOf(byUser.get(r.created_by)!).comments.remove({ comment_id: Number(r.id) })));
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 0 });
    expect(await rowCountsOf(db, post)).toMatchObject({ comment_count: 0 });
  });
});
