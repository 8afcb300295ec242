import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, connectAsPostgres, runAs, type Actor } from '../helpers/db.ts';
import { createAccount, uniqueTag, type Account } from './accounts-fixtures.ts';
import { insertVideo } from './videos-fixtures.ts';

/**
 * The videos RPCs as each caller (real role switching, each case rolled back): list_videos' filters
 * and what it never lists, get_video, create/update/delete with 003's validation, like_video,
 * video_stream / video_download and creator_dashboard.
 */
let db: pg.Client;
let owner: Account;
let other: Account;
let visitor: Account;
let admin: Account;
let blocker: Account;
const ids = {} as Record<'public' | 'unlisted' | 'private' | 'uploading' | 'reel' | 'downloadable' | 'older', number>;
const word = `zq${uniqueTag()}`;

const creatorActor = (a: Account): Actor => asAccount(a, 'active', 'creator');
const visitorActor = (a: Account): Actor => asAccount(a, 'active', 'visitor');

interface Failure {
  code?: string;
  message?: string;
  detail?: string;
}
async function failure(actor: Actor, sql: string, params: unknown[] = []): Promise<Failure> {
  try {
    await runAs(db, actor, (c) => c.query(sql, params));
  } catch (error) {
    const e = error as Failure;
    return { code: e.code, message: e.message, detail: e.detail };
  }
  throw new Error('expected the call to fail');
}
async function value<T = Record<string, unknown>>(actor: Actor, sql: string, params: unknown[] = []): Promise<T> {
  return runAs(db, actor, async (c) => (await c.query(sql, params)).rows[0].v as T);
}
const fields = (f: Failure) => JSON.parse(f.detail ?? '{}') as Record<string, string[]>;
type Page = { count: number; results: { id: number; title: string; visibility: string }[] };

beforeAll(async () => {
  db = await connectAsPostgres();
  owner = await createAccount(db, { role: 'creator' });
  other = await createAccount(db, { role: 'creator' });
  visitor = await createAccount(db);
  admin = await createAccount(db, { role: 'admin' });
  blocker = await createAccount(db);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, owner.id]);
  ids.older = await insertVideo(db, owner, { title: `b ${word} older` });
  await db.query(`update public.posts set created_at = now() - interval '1 day' where id = $1`, [ids.older]);
  ids.public = await insertVideo(db, owner, { title: `a ${word} public`, description: 'dance' });
  ids.unlisted = await insertVideo(db, owner, { title: `${word} unlisted`, visibility: 'unlisted' });
  ids.private = await insertVideo(db, owner, { title: `${word} private`, visibility: 'private' });
  ids.uploading = await insertVideo(db, owner, { title: `${word} uploading`, status: 'uploading' });
  ids.reel = await insertVideo(db, owner, { title: `${word} reel`, type: 'reel' });
  ids.downloadable = await insertVideo(db, other, { title: `${word} downloadable`, allowDownload: true });
});
afterAll(async () => db?.end());

describe('list_videos', () => {
  const list = (actor: Actor, args = '') => value<Page>(actor, `select public.list_videos(${args}) as v`);

  it("lists public, ready videos only — never unlisted, private, unfinished or reels — by uploader's username", async () => {
    const page = await list(asAnon(), `p_uploader => '${owner.username.toUpperCase()}'`);
    expect(page.results.map((r) => r.id)).toEqual([ids.public, ids.older]);
    expect(page.count).toBe(2);
  });

  it('searches title and description, orders, and pages with the envelope', async () => {
    const byTitle = await list(visitorActor(visitor), `p_search => '${word}', p_ordering => 'title'`);
    expect(byTitle.results.map((r) => r.id)).toEqual([ids.public, ids.older, ids.downloadable]);
    const byDescription = await list(visitorActor(visitor), `p_search => 'dance', p_uploader => '${owner.username}'`);
    expect(byDescription.results.map((r) => r.id)).toEqual([ids.public]);
    const second = await value<Record<string, unknown>>(
      visitorActor(visitor),
      `select public.list_videos(p_search => '${word}', p_page => 2, p_page_size => 2) as v`,
    );
    expect(second).toMatchObject({ count: 3, page: 2, page_size: 2, total_pages: 2, next: null, previous: 1 });
  });

  it('the owner lists their own private or unlisted videos; nobody else ever does', async () => {
    const mine = await list(creatorActor(owner), `p_visibility => 'private', p_search => '${word}'`);
    expect(mine.results.map((r) => r.id)).toEqual([ids.private]);
    const unlisted = await list(creatorActor(owner), `p_visibility => 'unlisted', p_search => '${word}'`);
    expect(unlisted.results.map((r) => r.id)).toEqual([ids.unlisted]);
    for (const actor of [asAnon(), visitorActor(visitor), asAccount(admin, 'active', 'admin')]) {
      expect((await list(actor, `p_visibility => 'private', p_search => '${word}'`)).count).toBe(0);
      expect((await list(actor, `p_visibility => 'unlisted', p_search => '${word}'`)).count).toBe(0);
    }
  });

  it('leaves out videos across a block and those the reader hid', async () => {
    expect((await list(visitorActor(blocker), `p_search => '${word}'`)).results.map((r) => r.id)).toEqual([ids.downloadable]);
    const hidden = await runAs(db, visitorActor(visitor), async (c) => {
      await c.query('insert into public.post_hides (post_id) values ($1)', [ids.public]);
      return (await c.query(`select public.list_videos(p_search => '${word}') as v`)).rows[0].v as Page;
    });
    expect(hidden.results.map((r) => r.id)).not.toContain(ids.public);
  });

  it('refuses a bad ordering, visibility or search with field errors', async () => {
    const bad = await failure(asAnon(), `select public.list_videos(p_ordering => 'rank', p_visibility => 'secret', p_search => repeat('x', 101))`);
    expect(bad.code).toBe('23514');
    expect(fields(bad)).toEqual({
      ordering: ['Choose one of created_at, -created_at, title, -title, like_count, -like_count, view_count, -view_count.'],
      visibility: ['"secret" is not a valid choice.'],
      search: ['Ensure this field has no more than 100 characters.'],
    });
  });
});

describe('get_video', () => {
  it('reads unlisted by id, private only as the owner or an admin, and 404 otherwise', async () => {
    expect((await value(asAnon(), 'select public.get_video($1) as v', [ids.unlisted])).title).toBe(`${word} unlisted`);
    expect((await value(creatorActor(owner), 'select public.get_video($1) as v', [ids.private])).visibility).toBe('private');
    expect((await value(asAccount(admin, 'active', 'admin'), 'select public.get_video($1) as v', [ids.private])).id).toBe(ids.private);
    for (const actor of [asAnon(), visitorActor(visitor)]) {
      expect(await failure(actor, 'select public.get_video($1)', [ids.private])).toMatchObject({ code: 'PT404', message: 'Not found.' });
    }
    expect(await failure(visitorActor(blocker), 'select public.get_video($1)', [ids.public])).toMatchObject({ code: 'PT404' });
    const item = await value(visitorActor(visitor), 'select public.get_video($1) as v', [ids.public]);
    expect(item).toMatchObject({
      id: ids.public,
      post_type: 'video',
      description: 'dance',
      allow_download: false,
      require_premium: false,
      upload_status: 'ready',
      liked_by_user: false,
      uploader: { id: owner.id, username: owner.username },
    });
  });
});

describe('create_video, update_video, delete_video', () => {
  const file = (who: Account) => `${who.id}/${uniqueTag()}.mp4`;
  const stage = (c: pg.Client, name: string, who: Account) =>
    c.query(`insert into storage.objects (bucket_id, name, owner_id) values ('post-videos', $1, $2)`, [name, who.id]);

  it('creates a video for a file in the creator\'s folder, with 003\'s fields', async () => {
    const name = file(owner);
    const created = await runAs(db, creatorActor(owner), async (c) => {
      await c.query('reset role');
      await stage(c, name, owner);
      await c.query('set local role authenticated');
      const body = { title: 'My clip', description: 'd', visibility: 'unlisted', allow_download: true, category: ' Music ', media_path: name };
      return (await c.query('select public.create_video($1) as v', [body])).rows[0].v as Record<string, unknown>;
    });
    expect(created).toMatchObject({
      post_type: 'video',
      title: 'My clip',
      visibility: 'unlisted',
      allow_download: true,
      require_premium: false,
      category: 'Music',
      media_path: name,
      uploader: { id: owner.id },
    });
  });

  it('refuses visitors (403), and missing or foreign files and bad fields (400) with nothing made', async () => {
    expect(await failure(visitorActor(visitor), `select public.create_video('{"title": "x", "media_path": "a/b.mp4"}')`)).toMatchObject({
      code: '42501',
      message: 'Only creators and admins can create reels and videos.',
    });
    const missing = await failure(creatorActor(owner), `select public.create_video('{"title": "x"}')`);
    expect(fields(missing)).toEqual({ media_path: ['This field is required.'] });
    // A file in someone else's folder is not the caller's video file.
    const foreign = `${other.id}/${uniqueTag()}.mp4`;
    const notMine = await runAs(db, creatorActor(owner), async (c) => {
      await c.query('reset role');
      await stage(c, foreign, other);
      await c.query('set local role authenticated');
      return c.query('select public.create_video($1)', [{ title: 'x', media_path: foreign }]).then(
        () => ({}) as Failure,
        (e: Failure) => e,
      );
    });
    expect(fields(notMine)).toEqual({ media_path: ['No video file provided'] });
    const bad = await failure(creatorActor(owner), 'select public.create_video($1)', [
      { title: '  ', visibility: 'secret', allow_download: 'yes', description: 'x'.repeat(5001), media_path: `${owner.id}/none.mp4`, post_type: 'post' },
    ]);
    expect(bad.code).toBe('23514');
    expect(fields(bad)).toEqual({
      title: ['This field may not be blank.'],
      visibility: ['"secret" is not a valid choice.'],
      allow_download: ['Must be a valid boolean.'],
      description: ['Ensure this field has no more than 5000 characters.'],
      post_type: ['"post" is not a valid choice.'],
      media_path: ['No video file provided'],
    });
  });

  it('lets the owner change 003\'s fields, ignores read-only ones, and refuses others', async () => {
    const changed = await value(creatorActor(owner), 'select public.update_video($1, $2) as v', [
      ids.public,
      { title: 'Renamed', require_premium: true, allow_download: true, category: 'Sport', like_count: 999, upload_status: 'failed' },
    ]);
    expect(changed).toMatchObject({ title: 'Renamed', require_premium: true, allow_download: true, category: 'Sport', like_count: 0, upload_status: 'ready' });
    expect(await failure(creatorActor(other), 'select public.update_video($1, $2)', [ids.public, { title: 'mine now' }])).toMatchObject({
      code: '42501',
      message: 'You do not have permission to perform this action.',
    });
    expect(await failure(visitorActor(visitor), 'select public.update_video($1, $2)', [ids.private, { title: 'x' }])).toMatchObject({ code: 'PT404' });
    const bad = await failure(creatorActor(owner), 'select public.update_video($1, $2)', [ids.public, { title: 'x'.repeat(151), visibility: null }]);
    expect(fields(bad)).toEqual({ title: ['Ensure this field has no more than 150 characters.'], visibility: ['This field may not be null.'] });
  });

  it('deletes for the owner or an admin with {success, message}; 403 for others', async () => {
    expect(await value(creatorActor(owner), 'select public.delete_video($1) as v', [ids.public])).toEqual({
      success: true,
      message: 'Video deleted successfully.',
    });
    expect(await value(asAccount(admin, 'active', 'admin'), 'select public.delete_video($1) as v', [ids.private])).toMatchObject({ success: true });
    expect(await failure(creatorActor(other), 'select public.delete_video($1)', [ids.public])).toMatchObject({ code: '42501' });
    expect(await failure(asAnon(), 'select public.delete_video($1)', [ids.public])).toMatchObject({ code: '42501' });
  });
});

describe('like_video', () => {
  it('likes and unlikes idempotently with {success, is_liked, like_count}', async () => {
    const answers = await runAs(db, visitorActor(visitor), async (c) => {
      const like = async (isLike: boolean | null) =>
        (await c.query('select public.like_video($1, $2) as v', [ids.public, isLike])).rows[0].v as Record<string, unknown>;
      return [await like(true), await like(true), await like(false), await like(false)];
    });
    expect(answers).toEqual([
      { success: true, is_liked: true, like_count: 1 },
      { success: true, is_liked: true, like_count: 1 },
      { success: true, is_liked: false, like_count: 0 },
      { success: true, is_liked: false, like_count: 0 },
    ]);
  });

  it('requires is_like, a readable video, and a signed-in active user', async () => {
    expect(fields(await failure(visitorActor(visitor), 'select public.like_video($1, null)', [ids.public]))).toEqual({ is_like: ['This field is required.'] });
    expect(await failure(visitorActor(visitor), 'select public.like_video($1, true)', [ids.private])).toMatchObject({ code: 'PT404' });
    expect(await failure(asAccount(visitor, 'suspended'), 'select public.like_video($1, true)', [ids.public])).toMatchObject({ code: '42501' });
    expect(await failure(asAnon(), 'select public.like_video($1, true)', [ids.public])).toMatchObject({ code: '42501' });
  });
});

describe('video_stream and video_download', () => {
  it('answers the object to sign for a ready video the caller can read', async () => {
    const stream = await value(asAnon(), 'select public.video_stream($1) as v', [ids.public]);
    expect(stream).toMatchObject({ video_id: ids.public, bucket: 'post-videos', expires_in: 3600 });
    expect(stream.path).toMatch(new RegExp(`^${owner.id}/`));
    expect(await failure(asAnon(), 'select public.video_stream($1)', [ids.uploading])).toMatchObject({ code: 'PT409', message: 'Video is not ready yet.' });
    expect(await failure(visitorActor(visitor), 'select public.video_stream($1)', [ids.private])).toMatchObject({ code: 'PT404' });
  });

  it('gives a download only when allow_download (the owner and admins always)', async () => {
    expect(await value(asAnon(), 'select public.video_download($1) as v', [ids.downloadable])).toMatchObject({ video_id: ids.downloadable });
    for (const actor of [asAnon(), visitorActor(visitor)]) {
      expect(await failure(actor, 'select public.video_download($1)', [ids.public])).toMatchObject({
        code: '42501',
        message: 'Downloads are not allowed for this video.',
      });
    }
    expect(await value(creatorActor(owner), 'select public.video_download($1) as v', [ids.public])).toMatchObject({ video_id: ids.public });
    expect(await value(asAccount(admin, 'active', 'admin'), 'select public.video_download($1) as v', [ids.public])).toMatchObject({ video_id: ids.public });
  });
});

describe('creator_dashboard', () => {
  it("answers the creator's videos and reels of every visibility and status, with counts and totals", async () => {
    await db.query('insert into public.post_views (post_id, viewer_id) values ($1, $2)', [ids.reel, visitor.id]);
    const board = await value<{ count: number; totals: Record<string, number>; results: Record<string, unknown>[] }>(
      creatorActor(owner),
      'select public.creator_dashboard() as v',
    );
    expect(board.results.map((r) => r.id).sort()).toEqual(
      [ids.public, ids.unlisted, ids.private, ids.uploading, ids.reel, ids.older].sort(),
    );
    expect(board.results.find((r) => r.id === ids.uploading)).toMatchObject({ upload_status: 'uploading', view_count: 0 });
    expect(board.results.find((r) => r.id === ids.reel)).toMatchObject({ post_type: 'reel', view_count: 1, like_count: 0, comment_count: 0 });
    expect(board.totals).toEqual({ videos: 5, reels: 1, views: 1, likes: 0, comments: 0 });
    expect(board.count).toBe(6);
  });

  it('is 403 for visitors and 401 signed out', async () => {
    expect(await failure(visitorActor(visitor), 'select public.creator_dashboard()')).toMatchObject({
      code: '42501',
      message: 'You do not have permission to perform this action.',
    });
    expect(await failure(asAnon(), 'select public.creator_dashboard()')).toMatchObject({ code: '42501' });
  });
});
