import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asAnon, asVisitor, connectAsPostgres, type Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { createFeedWorld, insertPost, runInSnapshot, type FeedWorld } from './feed-fixtures.ts';

/**
 * The envelope's `count` of the unfiltered lists comes from trigger-kept counters minus the
 * viewer's exclusions, never from counting the table. These tests hold it to the truth: the number
 * of rows the list actually returns page by page, and an independent count(*) over the tables, in
 * the same snapshot — also while other connections insert, delete, re-publish, suspend, hide,
 * report and block as fast as they can.
 */
let db: pg.Client;
let w: FeedWorld;

beforeAll(async () => {
  db = await connectAsPostgres();
  w = await createFeedWorld(db);
});
afterAll(async () => {
  await db.end();
});

const TYPES = ['post', 'reel', 'video', 'youtube_video', 'youtube_reel'];

/**
 * What a list may return to viewer $1 (null for anon), counted from the tables as `postgres`:
 * public posts of active authors not hidden by moderation nor premium-only, of the given types, without the viewer's blocks (either way),
 * hides and reports.
 */
const REFERENCE_COUNT = `
  select count(*)::bigint as n from public.posts p
  where p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and not p.require_premium and p.post_type = any ($2::public.post_type[])
    and not exists (select 1 from public.blocks b
                    where (b.blocker_id = $1 and b.blocked_id = p.created_by) or (b.blocked_id = $1 and b.blocker_id = p.created_by))
    and not exists (select 1 from public.post_hides h where h.user_id = $1 and h.post_id = p.id)
    and not exists (select 1 from public.post_reports r where r.user_id = $1 and r.post_id = p.id)`;

interface Envelope {
  count: number;
  total_pages: number;
  results: Array<{ id?: number; post?: number }>;
}

/** Every page of a list in one snapshot, and the reference count in that same snapshot. */
async function listAndReference(actor: Actor, list: 'posts' | 'reels', types: string[]) {
  return runInSnapshot(db, actor, async (c) => {
    const call = (page: number) =>
      list === 'posts'
        ? c.query('select public.list_posts($1, 100, null, $2, null, $3::public.post_type) as r', [page, '-created_at', types.length === 1 ? types[0] : null])
        : c.query('select public.list_reels($1, 100) as r', [page]);
    const first = (await call(1)).rows[0].r as Envelope;
    const ids = first.results.map((r) => r.id ?? r.post);
    for (let page = 2; page <= first.total_pages; page++) ids.push(...((await call(page)).rows[0].r as Envelope).results.map((r) => r.id ?? r.post));
    await c.query('reset role');
    const reference = Number((await c.query(REFERENCE_COUNT, [actor.claims.sub ?? null, types])).rows[0].n);
    return { count: first.count, ids, reference };
  });
}

describe('count equals what the list returns', () => {
  const actors: Array<[string, () => Actor]> = [
    ['anon', asAnon],
    ['a viewer with blocks, hides and reports', () => asVisitor(w.viewer)],
    ['a user blocked by the viewer', () => asVisitor(w.blockedByViewer)],
    ['an admin with a block', () => asAdmin(w.admin)],
  ];
  const lists: Array<[string, 'posts' | 'reels', string[]]> = [
    ['posts (every type)', 'posts', TYPES],
    ...TYPES.map((t) => [`posts of type ${t}`, 'posts', [t]] as [string, 'posts', string[]]),
    ['reels', 'reels', ['reel', 'youtube_reel']],
  ];
  for (const [listName, list, types] of lists) {
    it.each(actors)(`${listName}, as %s`, async (_name, actor) => {
      const { count, ids, reference } = await listAndReference(actor(), list, types);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(count);
      expect(count).toBe(reference);
    });
  }
});

describe('the counters', () => {
  const countersMatchRows = async () => {
    const { rows } = await db.query(`
      select t.post_type::text,
        (select coalesce(sum(c.listable), 0) from private.post_list_counters c where c.post_type = t.post_type)::bigint as counted,
        (select count(*) from public.posts p where p.post_type = t.post_type and p.visibility = 'public' and p.author_active and p.moderation_hidden_at is null and not p.require_premium)::bigint as real
      from unnest(enum_range(null::public.post_type)) t(post_type)`);
    return rows.filter((r) => r.counted !== r.real);
  };

  it('follow inserts, deletes, visibility, type and author status changes, and truncate-free rebuilds', async () => {
    const author = await createAccount(db, { role: 'creator' });
    const a = await insertPost(db, author, 'count me');
    const b = await insertPost(db, author, 'count me too', { post_type: 'reel', media_path: 'x/y.mp4' });
    await db.query(`update public.posts set visibility = 'private' where id = $1`, [a]);
    await db.query(`update public.posts set visibility = 'public', post_type = 'youtube_video', youtube_id = 'abcdefghijk' where id = $1`, [a]);
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [author.id]);
    expect(await countersMatchRows()).toEqual([]);
    await db.query(`update public.profiles set status = 'active' where id = $1`, [author.id]);
    await db.query('delete from public.posts where id = $1', [b]);
    expect(await countersMatchRows()).toEqual([]);
    // A bulk statement moves the counters once per type.
    await db.query(`insert into public.posts (created_by, post_title) select $1, 'bulk ' || g from generate_series(1, 50) g`, [author.id]);
    await db.query(`update public.posts set visibility = 'unlisted' where created_by = $1 and post_title like 'bulk 1%'`, [author.id]);
    expect(await countersMatchRows()).toEqual([]);
    await db.query('delete from auth.users where id = $1', [author.id]);
    expect(await countersMatchRows()).toEqual([]);
  });

  it('stay exact under concurrent writers, and every count a reader sees meanwhile is the real one', async () => {
    const WRITERS = 6;
    const OPS = 40;
    const authors: Account[] = [];
    for (let i = 0; i < 4; i++) authors.push(await createAccount(db, { role: 'creator' }));
    for (const author of authors) await insertPost(db, author, 'storm seed');
    const viewer = w.viewer;
    const writers = await Promise.all(Array.from({ length: WRITERS }, () => connectAsPostgres()));
    const reader = await connectAsPostgres();
    await reader.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ sub: viewer.id, role: 'authenticated' })]);

    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)]!;
    // Any post of the storm's authors; the seed post stands in when a writer deleted them all.
    const randomPostOf = async (c: pg.Client) =>
      (await c.query<{ id: string }>('select id from public.posts where created_by = any ($1) order by random() limit 1', [authors.map((x) => x.id)])).rows[0]?.id ?? '0';
    const ops: Array<(c: pg.Client) => Promise<unknown>> = [
      (c) => c.query(`insert into public.posts (created_by, post_title, post_type, media_path, visibility) values ($1, 'storm', $2, 'x/y.mp4', $3)`,
        [pick(authors).id, pick(['post', 'reel', 'video']), pick(['public', 'public', 'unlisted', 'private'])]),
      (c) => c.query(`insert into public.posts (created_by, post_title) select $1, 'storm bulk' from generate_series(1, 5)`, [pick(authors).id]),
      async (c) => c.query('delete from public.posts where id = $1', [await randomPostOf(c)]),
      async (c) => c.query(`update public.posts set visibility = $2 where id = $1`, [await randomPostOf(c), pick(['public', 'unlisted', 'private'])]),
      (c) => c.query(`update public.profiles set status = $2 where id = $1`, [pick(authors).id, pick(['active', 'active', 'suspended'])]),
      async (c) => c.query('insert into public.post_hides (user_id, post_id) values ($1, $2) on conflict do nothing', [viewer.id, await randomPostOf(c)]),
      async (c) => c.query(`insert into public.post_reports (user_id, post_id, reason) values ($1, $2, 'other') on conflict do nothing`, [viewer.id, await randomPostOf(c)]),
      (c) => c.query('delete from public.post_hides where user_id = $1 and post_id in (select post_id from public.post_hides where user_id = $1 limit 1)', [viewer.id]),
      (c) => c.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2) on conflict do nothing', [viewer.id, pick(authors).id]),
      (c) => c.query('delete from public.blocks where blocked_id = $1 and blocker_id = $2', [pick(authors).id, viewer.id]),
    ];

    const mismatches: unknown[] = [];
    let checks = 0;
    let writing = true;
    const check = async () => {
      // One statement, one snapshot: the list's count beside the reference count.
      const { rows } = await reader.query(
        `select (public.list_posts(1, 1)->>'count')::bigint as listed, (${REFERENCE_COUNT}) as real`,
        [viewer.id, TYPES],
      );
      checks++;
      if (rows[0].listed !== rows[0].real) mismatches.push(rows[0]);
    };
    const checking = (async () => {
      while (writing) await check();
    })();
    const failures: unknown[] = [];
    await Promise.all(
      writers.map(async (c) => {
        for (let i = 0; i < OPS; i++) {
          // A deadlock or a concurrent delete of the picked row may refuse one write; the counters must hold regardless.
          await pick(ops)(c).catch((error: { code?: string }) => {
            if (!['40P01', '23503'].includes(error.code ?? '')) failures.push(error);
          });
        }
      }),
    );
    writing = false;
    await checking;
    await check();
    await Promise.all([...writers, reader].map((c) => c.end()));

    expect(failures).toEqual([]);
    expect(checks).toBeGreaterThan(1);
    expect(mismatches).toEqual([]);
    expect(await countersMatchRows()).toEqual([]);
    const { count, ids, reference } = await listAndReference(asVisitor(viewer), 'posts', TYPES);
    expect(ids).toHaveLength(count);
    expect(count).toBe(reference);
  });
});
