import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asServiceRole, asVisitor, connectAsPostgres, runAs, type Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { creator, randomWord, searchPost, transposed } from './search-fixtures.ts';

/** search_videos (003 "Search Videos"): matches, filters, facets, orderings, exclusions and bad input. */
let db: pg.Client;
const word = randomWord();
let author: Account;
let reader: Account;
const v: Record<'one' | 'two' | 'three' | 'processing' | 'notVideo' | 'hidden' | 'moderated', number> = {} as never;

interface Facet {
  name: string;
  count: number;
}
interface VideoPage {
  count: number;
  page: number;
  total_pages: number;
  next: number | null;
  results: Array<Record<string, unknown>>;
  facets: { categories: Facet[]; qualities: Facet[] };
}
interface Params {
  q?: string;
  category?: string | null;
  min?: number | null;
  max?: number | null;
  quality?: string | null;
  ordering?: string;
  page?: number;
}
/** Signed out: as the search function calls it, service_role without a user. */
const searchVideos = (params: Params, actor: Actor = asServiceRole()) =>
  runAs(db, actor, async (c) =>
    (await c.query('select public.search_videos($1, $2, $3, $4, $5, $6, $7, 20) as r', [
      params.q ?? word, params.category ?? null, params.min ?? null, params.max ?? null, params.quality ?? null, params.ordering ?? 'relevance', params.page ?? 1,
    ])).rows[0].r as VideoPage);
const ids = (page: VideoPage) => page.results.map((r) => Number(r.id));
async function fieldErrors(params: Params): Promise<unknown> {
  try {
    await searchVideos(params);
    return null;
  } catch (error) {
    const e = error as { code?: string; detail?: string };
    expect(e.code).toBe('23514');
    return JSON.parse(e.detail!);
  }
}

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await creator(db);
  reader = await createAccount(db);
  const at = '2026-11-01T12:00:00Z';
  v.one = await searchPost(db, author, { type: 'video', title: `${word} one`, category: 'Dance', quality: '720p', duration: 60, likes: 5, createdAt: at });
  v.two = await searchPost(db, author, { type: 'video', title: `${word} two`, category: 'Dance', quality: '1080p', duration: 600, createdAt: '2026-11-02T12:00:00Z' });
  v.three = await searchPost(db, author, { type: 'video', title: 'Three', description: `about ${word}`, category: 'Music', quality: '720p', duration: 300, likes: 9, createdAt: at });
  v.processing = await searchPost(db, author, { type: 'video', title: `${word} soon`, uploadStatus: 'processing', category: 'Dance' });
  v.notVideo = await searchPost(db, author, { type: 'reel', title: `${word} reel`, category: 'Dance', quality: '720p' });
  v.hidden = await searchPost(db, author, { type: 'video', title: `${word} hidden`, category: 'Dance', quality: '720p', duration: 10 });
  v.moderated = await searchPost(db, author, { type: 'video', title: `${word} moderated`, moderationHidden: true, category: 'Dance' });
  await db.query('insert into public.post_hides (user_id, post_id) values ($1, $2)', [reader.id, v.hidden]);
});
afterAll(async () => {
  await db.end();
});

describe('search_videos', () => {
  it('finds ready public videos by title or description (title first), with facets', async () => {
    const page = await searchVideos({}, asVisitor(reader));
    expect(ids(page)).toEqual([v.two, v.one, v.three]);
    expect(page.count).toBe(3);
    expect(page.facets).toEqual({
      categories: [{ name: 'Dance', count: 2 }, { name: 'Music', count: 1 }],
      qualities: [{ name: '720p', count: 2 }, { name: '1080p', count: 1 }],
    });
    expect(page.results[0]).toMatchObject({ id: v.two, category: 'Dance', video_quality: '1080p', duration_seconds: 600, upload_status: 'ready', post_type: 'video' });
  });

  it('a signed-out reader sees the video the reader hid; nobody sees processing, moderated or non-video posts', async () => {
    expect(ids(await searchVideos({})).sort()).toEqual([v.one, v.two, v.three, v.hidden].sort());
  });

  it('is typo-tolerant like search', async () => {
    expect(ids(await searchVideos({ q: transposed(word) }, asVisitor(reader)))).toEqual([v.two, v.one, v.three]);
  });

  it('filters by category (any case), keeping the other categories in the category facet', async () => {
    const page = await searchVideos({ category: 'dance' }, asVisitor(reader));
    expect(ids(page)).toEqual([v.two, v.one]);
    expect(page.facets.categories).toEqual([{ name: 'Dance', count: 2 }, { name: 'Music', count: 1 }]);
    expect(page.facets.qualities).toEqual([{ name: '1080p', count: 1 }, { name: '720p', count: 1 }]);
  });

  it('filters by quality and by duration range', async () => {
    expect(ids(await searchVideos({ quality: '720p' }, asVisitor(reader)))).toEqual([v.one, v.three]);
    expect(ids(await searchVideos({ min: 100 }, asVisitor(reader)))).toEqual([v.two, v.three]);
    expect(ids(await searchVideos({ min: 60, max: 300 }, asVisitor(reader)))).toEqual([v.one, v.three]);
    const none = await searchVideos({ quality: '2160p' }, asVisitor(reader));
    expect([none.count, none.results]).toEqual([0, []]);
  });

  it('orders as asked', async () => {
    const order = async (ordering: string) => ids(await searchVideos({ ordering }, asVisitor(reader)));
    expect(await order('-duration_seconds')).toEqual([v.two, v.three, v.one]);
    expect(await order('duration_seconds')).toEqual([v.one, v.three, v.two]);
    expect(await order('-created_at')).toEqual([v.two, v.three, v.one]);
    expect(await order('created_at')).toEqual([v.one, v.three, v.two]);
    expect(await order('-trending_score')).toEqual([v.two, v.three, v.one]);
  });

  it('refuses bad input with field errors', async () => {
    expect(await fieldErrors({ q: '' })).toEqual({ q: ['This field may not be blank.'] });
    expect(await fieldErrors({ q: '%_%' })).toEqual({ q: ['Enter a search term with at least 3 letters or digits; wildcards and quotes are not search terms.'] });
    expect(await fieldErrors({ quality: '999p', ordering: 'title', min: -1, max: 5 })).toEqual({
      quality: ['"999p" is not a valid choice.'],
      ordering: ['Choose one of relevance, -trending_score, -created_at, created_at, -view_count, duration_seconds, -duration_seconds.'],
      duration_min: ['Ensure this value is greater than or equal to 0.'],
    });
    expect(await fieldErrors({ min: 10, max: 5 })).toEqual({ duration_max: ['Ensure this value is greater than or equal to duration_min.'] });
  });
});
