import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { uniqueTag } from './accounts-fixtures.ts';
import { createFeedWorld, runInSnapshot, type FeedWorld } from './feed-fixtures.ts';

/**
 * The posts, reels, user-posts and detail RPCs (000 §4–5): who sees what, the envelope, orderings,
 * filters and the item shapes. Posts are isolated from the rest of the shared database by searching
 * for the world's token.
 */
let db: pg.Client;
let w: FeedWorld;

interface Envelope<T = Record<string, unknown>> {
  count: number;
  page: number;
  page_size: number;
  total_pages: number;
  next: number | null;
  previous: number | null;
  results: T[];
}

const call = async <T>(actor: Actor, sql: string, params: unknown[] = []): Promise<T> =>
  runAs(db, actor, async (c) => (await c.query(sql, params)).rows[0].r as T);
const listPosts = (actor: Actor, args: { page?: number; size?: number; search?: string | null; ordering?: string; tag?: string | null; type?: string | null } = {}) =>
  call<Envelope>(actor, 'select public.list_posts($1, $2, $3, $4, $5, $6::public.post_type) as r', [
    args.page ?? 1, args.size ?? 100, args.search === undefined ? w.token : args.search, args.ordering ?? '-created_at', args.tag ?? null, args.type ?? null,
  ]);
const ids = (page: Envelope) => page.results.map((r) => Number(r.id));
/** A service_role request carrying a user's sub: the same viewer, no RLS (interaction tables' policies are another migration's). */
const asServiceFor = (user: { id: string }): Actor => ({ role: 'service_role', claims: { role: 'service_role', sub: user.id } });

beforeAll(async () => {
  db = await connectAsPostgres();
  w = await createFeedWorld(db);
});
afterAll(async () => {
  await db.end();
});

describe('list_posts: who sees which posts', () => {
  // Newest first; every case lists exactly these posts of the world.
  const cases: Array<[string, () => Actor, (p: FeedWorld['posts']) => number[]]> = [
    ['anon: public posts of active authors', asAnon, (p) => [p.reelByAdmin, p.youtubeReel, p.reel, p.youtube, p.viewerPublic, p.byBlockedByViewer, p.byBlocker, p.reportedByViewer, p.hiddenByViewer, p.authorPublic, p.authorOld]],
    ['the viewer: minus hidden, reported, and both sides of their blocks', () => asVisitor(w.viewer), (p) => [p.reelByAdmin, p.youtubeReel, p.reel, p.youtube, p.viewerPublic, p.authorPublic, p.authorOld]],
    ['the author: minus the admin who blocked them; own private posts stay out of the list', () => asVisitor(w.author), (p) => [p.youtubeReel, p.reel, p.youtube, p.viewerPublic, p.byBlockedByViewer, p.byBlocker, p.reportedByViewer, p.hiddenByViewer, p.authorPublic, p.authorOld]],
    ['an admin: blocks hold for admins too', () => asAdmin(w.admin), (p) => [p.reelByAdmin, p.reel, p.viewerPublic, p.byBlockedByViewer, p.byBlocker]],
    ['a suspended reader: what anon sees', () => asAccount(w.suspended, 'suspended'), (p) => [p.reelByAdmin, p.youtubeReel, p.reel, p.youtube, p.viewerPublic, p.byBlockedByViewer, p.byBlocker, p.reportedByViewer, p.hiddenByViewer, p.authorPublic, p.authorOld]],
  ];
  it.each(cases)('%s', async (_name, actor, expected) => {
    const page = await listPosts(actor());
    expect(ids(page)).toEqual(expected(w.posts));
    expect(page.count).toBe(expected(w.posts).length);
  });
});

describe('list_posts: envelope and parameters', () => {
  it('pages with count, total_pages, next and previous', async () => {
    const first = await listPosts(asAnon(), { size: 4 });
    expect(first).toMatchObject({ count: 11, page: 1, page_size: 4, total_pages: 3, next: 2, previous: null });
    const last = await listPosts(asAnon(), { size: 4, page: 3 });
    expect(last).toMatchObject({ page: 3, next: null, previous: 2 });
    expect(last.results).toHaveLength(3);
    expect([...ids(first), ...ids((await listPosts(asAnon(), { size: 4, page: 2 }))), ...ids(last)]).toEqual(ids(await listPosts(asAnon())));
  });

  it('defaults to 10 a page and caps page_size at 100', async () => {
    const page = await call<Envelope>(asAnon(), `select public.list_posts(p_search => $1) as r`, [w.token]);
    expect(page).toMatchObject({ page_size: 10, total_pages: 2, next: 2 });
    expect(page.results).toHaveLength(10);
    expect((await listPosts(asAnon(), { size: 1000 })).page_size).toBe(100);
  });

  it('answers a page past the last with PT404 "Invalid page."', async () => {
    await expect(listPosts(asAnon(), { size: 4, page: 4 })).rejects.toMatchObject({ code: 'PT404', message: 'Invalid page.' });
  });

  it.each([
    ['page 0', { page: 0 }],
    ['page_size 0', { size: 0 }],
    ['an unknown ordering', { ordering: 'post_title' }],
    ['a search over 100 characters', { search: 'x'.repeat(101) }],
    ['a tag with a space', { tag: 'two words' }],
    ['a tag over 50 characters', { tag: 'a'.repeat(51) }],
  ])('refuses %s with 22023', async (_name, args) => {
    expect(await sqlstateOf(listPosts(asAnon(), args))).toBe('22023');
  });

  it('orders by created_at, post_type and their descending forms', async () => {
    const p = w.posts;
    expect(ids(await listPosts(asVisitor(w.viewer), { ordering: 'created_at' }))).toEqual(
      [p.authorOld, p.authorPublic, p.viewerPublic, p.youtube, p.reel, p.youtubeReel, p.reelByAdmin]);
    // Types in the enum's order (post, reel, video, youtube_video, youtube_reel), newest first within a type.
    expect(ids(await listPosts(asVisitor(w.viewer), { ordering: 'post_type' }))).toEqual(
      [p.viewerPublic, p.authorPublic, p.authorOld, p.reelByAdmin, p.reel, p.youtube, p.youtubeReel]);
    expect(ids(await listPosts(asVisitor(w.viewer), { ordering: '-post_type' }))).toEqual(
      [p.youtubeReel, p.youtube, p.reelByAdmin, p.reel, p.viewerPublic, p.authorPublic, p.authorOld]);
  });

  it('searches the description too, with % and _ taken literally', async () => {
    expect(ids(await listPosts(asAnon(), { search: `${w.token}_desc` }))).toEqual([w.posts.authorPublic]);
    expect((await listPosts(asAnon(), { search: `${w.token}%desc` })).count).toBe(0);
  });

  it('filters by post type', async () => {
    const page = await listPosts(asVisitor(w.viewer), { type: 'reel' });
    expect(ids(page)).toEqual([w.posts.reelByAdmin, w.posts.reel]);
    expect(page.count).toBe(2);
  });

  it('filters by tag, case-insensitively, still without blocked authors', async () => {
    const tag = `Dance_${uniqueTag()}`;
    const { rows } = await db.query<{ id: string }>('insert into public.tags (name) values ($1) returning id', [tag]);
    await db.query('insert into public.post_tags (post_id, tag_id) values ($1, $3), ($2, $3)', [w.posts.authorPublic, w.posts.byBlocker, rows[0]!.id]);
    const forViewer = await listPosts(asServiceFor(w.viewer), { search: null, tag: `#${tag.toLowerCase()}` });
    expect(ids(forViewer)).toEqual([w.posts.authorPublic]);
    expect(forViewer.count).toBe(1);
    expect(ids(await listPosts(asServiceFor(w.author), { search: null, tag: tag.toUpperCase() }))).toEqual([w.posts.byBlocker, w.posts.authorPublic]);
    expect((await listPosts(asServiceFor(w.viewer), { search: null, tag: `nosuch${uniqueTag()}` })).count).toBe(0);
  });
});

describe('post items', () => {
  it("carry 000's fields, the author and the caller's own flags", async () => {
    await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [w.posts.youtube, w.viewer.id]);
    await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [w.posts.authorOld, w.author.id]);
    const page = await listPosts(asVisitor(w.viewer));
    const youtube = page.results.find((r) => r.id === w.posts.youtube)!;
    const { rows } = await db.query('select like_count, comment_count from public.posts where id = $1', [w.posts.youtube]);
    expect(youtube).toMatchObject({
      post_type: 'youtube_video',
      post_title: `${w.token} youtube video`,
      youtube_id: 'dQw4w9WgXcQ',
      created_by: w.author.id,
      like_count: rows[0].like_count,
      user_profile: { id: w.author.id, username: w.author.username },
      username: { username: w.author.username },
      comments: [],
      liked_by_user: true,
      hidden_by_user: false,
      reported_by_user: false,
    });
    // Someone else's like is not the viewer's.
    expect(page.results.find((r) => r.id === w.posts.authorOld)).toMatchObject({ liked_by_user: false });
    expect(Object.keys(youtube).sort()).toEqual([
      'comment_count', 'comments', 'created_at', 'created_by', 'hidden_by_user', 'id', 'like_count', 'liked_by_user', 'media_path',
      'post_banner', 'post_description', 'post_title', 'post_type', 'reported_by_user', 'thumbnail_path', 'user_profile', 'username',
      'view_count', 'visibility', 'youtube_id',
    ]);
  });

  it('preview the 3 latest comments, none by a user in a block with the caller', async () => {
    const post = w.posts.authorPublic;
    for (const [who, text, minute] of [[w.author, 'first', 1], [w.creator, 'second', 2], [w.author, 'third', 3], [w.blocker, 'from the blocker', 4], [w.creator, 'fourth', 5]] as const) {
      await db.query(`insert into public.comments (post_id, created_by, comment, created_at) values ($1, $2, $3, '2031-02-01'::timestamptz + $4 * interval '1 minute')`, [post, who.id, text, minute]);
    }
    const item = (await call<Record<string, unknown>>(asServiceFor(w.viewer), 'select public.get_post($1) as r', [post]));
    expect((item.comments as Array<{ comment: string }>).map((c) => c.comment)).toEqual(['fourth', 'third', 'second']);
    // Under RLS the comments' own policies decide too: never the blocker's comment.
    const underRls = await call<Record<string, unknown>>(asVisitor(w.viewer), 'select public.get_post($1) as r', [post]);
    expect((underRls.comments as Array<{ comment: string }>).map((c) => c.comment)).not.toContain('from the blocker');
  });
});

describe('get_post', () => {
  const cases: Array<[string, () => Actor, keyof FeedWorld['posts'], boolean]> = [
    ['anon reads an unlisted post by id', asAnon, 'authorUnlisted', true],
    ['anon cannot read a private post', asAnon, 'authorPrivate', false],
    ["anon cannot read a suspended author's post", asAnon, 'bySuspended', false],
    ['the viewer reads a post they hid, flagged', () => asVisitor(w.viewer), 'hiddenByViewer', true],
    ["the viewer cannot read the blocker's post", () => asVisitor(w.viewer), 'byBlocker', false],
    ['the viewer cannot read a post of someone they blocked', () => asVisitor(w.viewer), 'byBlockedByViewer', false],
    ['the viewer reads their own private post', () => asVisitor(w.viewer), 'viewerPrivate', true],
    ["another user cannot read the viewer's private post", () => asVisitor(w.author), 'viewerPrivate', false],
    ['an admin reads a private post', () => asAdmin(w.admin), 'viewerPrivate', true],
  ];
  it.each(cases)('%s', async (_name, actor, post, readable) => {
    const read = call<Record<string, unknown>>(actor(), 'select public.get_post($1) as r', [w.posts[post]]);
    if (readable) expect(await read).toMatchObject({ id: w.posts[post] });
    else await expect(read).rejects.toMatchObject({ code: 'PT404', message: 'Not found.' });
  });

  it('flags a hidden and a reported post for the one who did it', async () => {
    expect(await call(asVisitor(w.viewer), 'select public.get_post($1) as r', [w.posts.hiddenByViewer])).toMatchObject({ hidden_by_user: true, reported_by_user: false });
    expect(await call(asVisitor(w.viewer), 'select public.get_post($1) as r', [w.posts.reportedByViewer])).toMatchObject({ hidden_by_user: false, reported_by_user: true });
    expect(await call(asVisitor(w.author), 'select public.get_post($1) as r', [w.posts.reportedByViewer])).toMatchObject({ reported_by_user: false });
  });
});

describe('list_user_posts', () => {
  const userPosts = (actor: Actor, user: { id: string }, size = 100) =>
    call<Envelope>(actor, 'select public.list_user_posts($1, 1, $2) as r', [user.id, size]);
  it('shows others the public posts, minus what they hid or reported', async () => {
    const p = w.posts;
    expect(ids(await userPosts(asVisitor(w.viewer), w.author))).toEqual([p.youtubeReel, p.youtube, p.authorPublic, p.authorOld]);
    expect(ids(await userPosts(asAnon(), w.author))).toEqual([p.youtubeReel, p.youtube, p.reportedByViewer, p.hiddenByViewer, p.authorPublic, p.authorOld]);
  });
  it('shows the author every post of their own', async () => {
    const page = await userPosts(asVisitor(w.viewer), w.viewer);
    expect(ids(page)).toEqual([w.posts.viewerPrivate, w.posts.viewerPublic]);
    expect(page.count).toBe(2);
  });
  it('is empty across a block, both ways, and for a suspended author', async () => {
    expect(await userPosts(asVisitor(w.viewer), w.blocker)).toMatchObject({ count: 0, results: [] });
    expect(await userPosts(asVisitor(w.viewer), w.blockedByViewer)).toMatchObject({ count: 0, results: [] });
    expect(await userPosts(asAnon(), w.suspended)).toMatchObject({ count: 0, results: [] });
  });
  it('defaults to 10 a page', async () => {
    const page = await call<Envelope>(asAnon(), 'select public.list_user_posts($1) as r', [w.author.id]);
    expect(page.page_size).toBe(10);
  });
});

describe('list_reels', () => {
  /** Every page of the reels list in one snapshot (other files may add reels meanwhile). */
  const allReels = (actor: Actor) =>
    runInSnapshot(db, actor, async (c) => {
      const first = (await c.query('select public.list_reels(1, 100) as r')).rows[0].r as Envelope;
      const results = [...first.results];
      for (let page = 2; page <= first.total_pages; page++) results.push(...((await c.query('select public.list_reels($1, 100) as r', [page])).rows[0].r as Envelope).results);
      return { first, results };
    });

  it("lists reels and YouTube shorts with 000's reel item, minus blocked and hidden", async () => {
    const { results } = await allReels(asVisitor(w.author));
    const mine = results.filter((r) => [w.posts.reel, w.posts.youtubeReel, w.posts.reelByAdmin].includes(Number(r.post)));
    expect(mine.map((r) => Number(r.post))).toEqual([w.posts.youtubeReel, w.posts.reel]);
    expect(mine[1]).toMatchObject({
      title: `${w.token} reel`,
      video_url: `${w.creator.id}/reel.mp4`,
      reel_description: '',
      comments: 0,
      like_count: 0,
      view_count: 0,
      created_by: w.creator.id,
      user_profile: { id: w.creator.id, username: w.creator.username },
      liked_by_user: false,
      hidden_by_user: false,
      reported_by_user: false,
    });
    expect(mine[0]!.video_url).toBe('https://www.youtube.com/shorts/abcdefghijk');
    expect(results.every((r) => ['reel', 'youtube_reel'].includes(r.post_type as string))).toBe(true);
  });

  it('defaults to 30 a page, and anon may read it', async () => {
    const page = await call<Envelope>(asAnon(), 'select public.list_reels() as r');
    expect(page.page_size).toBe(30);
    expect(page.count).toBeGreaterThanOrEqual(3);
  });

  it('counts exactly what it lists', async () => {
    for (const actor of [asAnon(), asVisitor(w.viewer), asAdmin(w.admin)]) {
      const { first, results } = await allReels(actor);
      expect(results).toHaveLength(first.count);
    }
  });
});
