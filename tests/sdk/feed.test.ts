import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarquee, createPostListsApi, isMarqueeError, type MarqueeSupabaseClient } from '../../sdk/src/index.ts';
import { createFeedWorld, type FeedWorld } from '../db/feed-fixtures.ts';
import { anonClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { signUserToken } from '../helpers/tokens.ts';

/** The SDK's posts lists and `marquee.reels` over the real stack, signed in and out. */
let db: pg.Client;
let w: FeedWorld;
let viewer: MarqueeSupabaseClient;
let anon: MarqueeSupabaseClient;

beforeAll(async () => {
  db = await connectAsPostgres();
  w = await createFeedWorld(db);
  viewer = userClient(await signUserToken(w.viewer.id, { account_status: 'active', user_role: 'visitor' })) as unknown as MarqueeSupabaseClient;
  anon = anonClient() as unknown as MarqueeSupabaseClient;
});
afterAll(async () => {
  await db.end();
});

const caught = async (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe('createPostListsApi', () => {
  it('list: the envelope, the exclusions and the ordering', async () => {
    const page = await createPostListsApi(viewer).list({ search: w.token, page_size: 3, ordering: 'created_at' });
    expect(page).toMatchObject({ count: 7, page: 1, page_size: 3, total_pages: 3, next: 2, previous: null });
    expect(page.results.map((r) => r.id)).toEqual([w.posts.authorOld, w.posts.authorPublic, w.posts.viewerPublic]);
  });

  it('list: bad parameters are 400 with fields, before any request', async () => {
    const error = await caught(createPostListsApi(anon).list({ ordering: 'title' as never, tag: 'two words', search: 'x'.repeat(101) }));
    expect(isMarqueeError(error) && error.status).toBe(400);
    expect(error).toMatchObject({ fields: { ordering: ['"title" is not a valid choice.'], tag: [expect.any(String)], search: ['Ensure this field has no more than 100 characters.'] } });
    expect(await caught(createPostListsApi(anon).list({ page: 0 }))).toMatchObject({ status: 400, fields: { page: [expect.any(String)] } });
  });

  it('get: a post, and 404 across a block', async () => {
    const lists = createPostListsApi(viewer);
    expect(await lists.get({ id: w.posts.hiddenByViewer })).toMatchObject({ id: w.posts.hiddenByViewer, hidden_by_user: true });
    expect(await caught(lists.get({ id: w.posts.byBlocker }))).toMatchObject({ status: 404, detail: 'Not found.' });
  });

  it("byUser: an author's public posts for others", async () => {
    const page = await createPostListsApi(anon).byUser({ user_id: w.author.id });
    expect(page.results.map((r) => r.id)).toEqual([w.posts.youtubeReel, w.posts.youtube, w.posts.reportedByViewer, w.posts.hiddenByViewer, w.posts.authorPublic, w.posts.authorOld]);
  });

  it('byTag: an unknown tag is an empty page', async () => {
    expect(await createPostListsApi(anon).byTag({ tag: '#nothing_here_at_all' })).toMatchObject({ count: 0, results: [] });
  });

  it('a page past the last is 404 "Invalid page."', async () => {
    expect(await caught(createPostListsApi(anon).list({ search: w.token, page: 99 }))).toMatchObject({ status: 404, detail: 'Invalid page.' });
  });
});

describe('marquee.reels', () => {
  it('lists reels 30 a page, signed out', async () => {
    const marquee = createMarquee({ client: anon });
    const page = await marquee.reels.list();
    expect(page.page_size).toBe(30);
    expect(page.results.every((r) => r.post_type === 'reel' || r.post_type === 'youtube_reel')).toBe(true);
    expect(typeof page.results[0]?.comments).toBe('number');
  });
});
