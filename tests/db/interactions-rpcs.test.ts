import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, asVisitor, connectAsPostgres, type Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { block, countersOf, createPost, rowCountsOf } from './interactions-fixtures.ts';

/**
 * The interaction RPCs (issue 8, item 6) with 000's answers, as each role, committed one call at a
 * time (as PostgREST runs each request in its own transaction): likes, hides, reports, comments,
 * views, the two lists, the counters they move and the notifications they send.
 */
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

interface Failure {
  code: string;
  message: string;
  detail?: unknown;
}

/** Runs one statement as `actor` in its own committed transaction; a failure is returned, not thrown. */
async function callAs<T = unknown>(actor: Actor, sql: string, params: unknown[] = []): Promise<{ value?: T; error?: Failure }> {
  await db.query('begin');
  try {
    await db.query(`set local role ${db.escapeIdentifier(actor.role)}`);
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
    const { rows, fields } = await db.query(sql, params);
    await db.query('commit');
    return { value: (fields.length > 0 ? rows[0]?.[fields[0]!.name] : undefined) as T };
  } catch (error) {
    await db.query('rollback');
    const e = error as { code: string; message: string; detail?: string };
    let detail: unknown = e.detail;
    try {
      detail = e.detail === undefined ? undefined : JSON.parse(e.detail);
    } catch {
      // a plain-text detail
    }
    return { error: { code: e.code, message: e.message, ...(detail !== undefined ? { detail } : {}) } };
  }
}

const NOT_FOUND = { code: 'PT404', message: 'Not found.' };
const FORBIDDEN = { code: '42501', message: 'You do not have permission to perform this action.' };

async function notificationsOf(user: Account) {
  const { rows } = await db.query<{ notification_type: string; message: string; page_item_id: string }>(
    `select notification_type, message, page_item_id from public.notifications where user_id = $1 and notification_type <> 'general' order by id`,
    [user.id],
  );
  return rows.map((r) => ({ ...r, page_item_id: Number(r.page_item_id) }));
}

describe('likes', () => {
  it('like_post answers the like, a second like is 400 "You already liked this post.", unlike_post removes it once', async () => {
    const [author, fan] = [await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    const liked = await callAs<Record<string, unknown>>(asVisitor(fan), 'select public.like_post($1)', [post]);
    expect(liked.value).toMatchObject({ post, user: fan.id });
    expect(await callAs(asVisitor(fan), 'select public.like_post($1)', [post])).toEqual({
      error: { code: 'P0001', message: 'You already liked this post.' },
    });
    expect(await countersOf(db, post)).toMatchObject({ like_count: 1 });
    expect((await callAs(asVisitor(fan), 'select public.unlike_post($1)', [post])).error).toBeUndefined();
    expect(await callAs(asVisitor(fan), 'select public.unlike_post($1)', [post])).toEqual({ error: NOT_FOUND });
    expect(await countersOf(db, post)).toMatchObject({ like_count: 0 });
  });

  it('a post the caller cannot see is 404 "Not found." and nothing is written: blocked either way, private, missing', async () => {
    const [author, blocker, blocked, other] = [await createAccount(db), await createAccount(db), await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    const privatePost = await createPost(db, author, { visibility: 'private' });
    await block(db, blocker, author);
    await block(db, author, blocked);
    for (const [who, target] of [[blocker, post], [blocked, post], [other, privatePost], [other, 2 ** 52]] as const) {
      for (const fn of ['like_post', 'hide_post', 'record_post_view']) {
        expect(await callAs(asVisitor(who), `select public.${fn}($1)`, [target])).toEqual({ error: NOT_FOUND });
      }
      expect(await callAs(asVisitor(who), `select public.report_post($1, 'spam')`, [target])).toEqual({ error: NOT_FOUND });
      expect(await callAs(asVisitor(who), `select public.add_comment($1, 'hi')`, [target])).toEqual({ error: NOT_FOUND });
    }
    expect(await rowCountsOf(db, post)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
    const { rows } = await db.query('select count(*)::int as n from public.post_hides where post_id = any($1)', [[post, privatePost]]);
    expect(rows[0].n).toBe(0);
  });

  it('a suspended account is 403 and anon has no execute grant (42501)', async () => {
    const [author, suspended] = [await createAccount(db), await createAccount(db, { status: 'suspended' })];
    const post = await createPost(db, author);
    for (const fn of ['like_post', 'unlike_post', 'hide_post', 'unhide_post', 'withdraw_report', 'record_post_view']) {
      expect(await callAs(asAccount(suspended, 'suspended'), `select public.${fn}($1)`, [post])).toEqual({ error: FORBIDDEN });
      expect((await callAs(asAnon(), `select public.${fn}($1)`, [post])).error?.code).toBe('42501');
    }
    expect(await callAs(asAccount(suspended, 'suspended'), `select public.add_comment($1, 'hi')`, [post])).toEqual({ error: FORBIDDEN });
    expect(await callAs(asAccount(suspended, 'suspended'), 'select public.delete_comment(1)')).toEqual({ error: FORBIDDEN });
    expect(await rowCountsOf(db, post)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
  });

  it('list_post_likers: the envelope, newest first, without users in a block with the caller or inactive accounts; anon may read', async () => {
    const author = await createAccount(db);
    const post = await createPost(db, author);
    const fans = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const [viewer, suspendedFan] = [await createAccount(db), await createAccount(db)];
    for (const fan of [...fans, suspendedFan]) await callAs(asVisitor(fan), 'select public.like_post($1)', [post]);
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [suspendedFan.id]);
    await block(db, fans[0]!, viewer);

    const page = await callAs<Record<string, unknown>>(asVisitor(viewer), 'select public.list_post_likers($1, 1, 1)', [post]);
    expect(page.value).toMatchObject({ count: 2, page: 1, page_size: 1, total_pages: 2, next: 2, previous: null });
    const results = (page.value!.results as Array<{ user: { id: string; username: string; profile_pic: null } }>);
    expect(results).toEqual([{ post, user: { id: fans[2]!.id, username: fans[2]!.username, profile_pic: null }, created_at: expect.any(String) }]);
    const anon = await callAs<{ count: number; results: Array<{ user: { id: string } }> }>(asAnon(), 'select public.list_post_likers($1)', [post]);
    expect(anon.value!.count).toBe(3);
    expect(anon.value!.results.map((r) => r.user.id)).toEqual([fans[2]!.id, fans[1]!.id, fans[0]!.id]);
    expect(await callAs(asAnon(), 'select public.list_post_likers($1, 4, 1)', [post])).toEqual({ error: { code: 'PT404', message: 'Invalid page.' } });
  });
});

describe('hides and reports', () => {
  it('hide_post / unhide_post answer "You already hid this post." and 404 in turn', async () => {
    const [author, reader] = [await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    expect((await callAs<Record<string, unknown>>(asVisitor(reader), 'select public.hide_post($1)', [post])).value).toMatchObject({ post, user: reader.id });
    expect(await callAs(asVisitor(reader), 'select public.hide_post($1)', [post])).toEqual({
      error: { code: 'P0001', message: 'You already hid this post.' },
    });
    expect((await callAs(asVisitor(reader), 'select public.unhide_post($1)', [post])).error).toBeUndefined();
    expect(await callAs(asVisitor(reader), 'select public.unhide_post($1)', [post])).toEqual({ error: NOT_FOUND });
  });

  it('report_post takes the six reasons and a description of at most 1000 characters; a second report is refused; withdraw_report removes it', async () => {
    const author = await createAccount(db);
    const post = await createPost(db, author);
    // One post per reason: five reports of one post would hide it (moderation's auto-hide threshold).
    for (const reason of ['spam', 'abuse', 'false', 'hate', 'nsfw', 'other']) {
      const reporter = await createAccount(db);
      const reported = await createPost(db, author);
      const report = await callAs<Record<string, unknown>>(asVisitor(reporter), 'select public.report_post($1, $2, $3)', [reported, reason, ' Why. ']);
      expect(report.value).toMatchObject({ post: reported, user: reporter.id, reason, description: 'Why.' });
    }
    const reporter = await createAccount(db);
    const report = (reason: string | null, description: string | null) =>
      callAs(asVisitor(reporter), 'select public.report_post($1, $2, $3)', [post, reason, description]);
    expect(await report('bogus', '')).toEqual({
      error: { code: '23514', message: 'reason: "bogus" is not a valid choice.', detail: { reason: ['"bogus" is not a valid choice.'] } },
    });
    expect((await report(null, '')).error?.detail).toEqual({ reason: ['This field is required.'] });
    expect((await report('spam', 'x'.repeat(1001))).error?.detail).toEqual({ description: ['Ensure this field has no more than 1000 characters.'] });
    const { rows } = await db.query('select count(*)::int as n from public.post_reports where user_id = $1', [reporter.id]);
    expect(rows[0].n).toBe(0);
    expect((await report('spam', null)).value).toMatchObject({ reason: 'spam', description: '' });
    expect(await report('abuse', '')).toEqual({ error: { code: 'P0001', message: 'You already reported this post.' } });
    expect((await callAs(asVisitor(reporter), 'select public.withdraw_report($1)', [post])).error).toBeUndefined();
    expect(await callAs(asVisitor(reporter), 'select public.withdraw_report($1)', [post])).toEqual({ error: NOT_FOUND });
  });
});

describe('comments', () => {
  it('add_comment answers 000\'s comment shape, trimmed; bad text is 400 with the field and writes nothing', async () => {
    const [author, commenter] = [await createAccount(db), await createAccount(db)];
    await db.query(`update public.profiles set profile_pic = $2 where id = $1`, [commenter.id, `${commenter.id}/me.png`]);
    const post = await createPost(db, author);
    const created = await callAs<Record<string, unknown>>(asVisitor(commenter), 'select public.add_comment($1, $2)', [post, '  Great content!  ']);
    expect(created.value).toEqual({
      id: expect.any(Number),
      post,
      comment: 'Great content!',
      created_by: { id: commenter.id, user: { username: commenter.username, profile_pic: `${commenter.id}/me.png` } },
      created_at: expect.any(String),
    });
    const bad: [string | null, string][] = [
      [null, 'This field is required.'],
      ['', 'This field may not be blank.'],
      ['   \n ', 'This field may not be blank.'],
      ['x'.repeat(2001), 'Ensure this field has no more than 2000 characters.'],
    ];
    for (const [text, message] of bad) {
      const refused = await callAs(asVisitor(commenter), 'select public.add_comment($1, $2)', [post, text]);
      expect(refused.error).toMatchObject({ code: '23514', detail: { comment: [message] } });
    }
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 1 });
    expect(await rowCountsOf(db, post)).toMatchObject({ comment_count: 1 });
  });

  it('delete_comment deletes your own; another user\'s or a missing one is 404 with 000\'s message', async () => {
    const [author, commenter, other] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    const { value } = await callAs<{ id: number }>(asVisitor(commenter), `select public.add_comment($1, 'mine')`, [post]);
    const refused = { error: { code: 'PT404', message: "Comment not found or you don't have permission to delete it." } };
    expect(await callAs(asVisitor(other), 'select public.delete_comment($1)', [value!.id])).toEqual(refused);
    expect(await callAs(asVisitor(author), 'select public.delete_comment($1)', [value!.id])).toEqual(refused);
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 1 });
    expect((await callAs(asVisitor(commenter), 'select public.delete_comment($1)', [value!.id])).error).toBeUndefined();
    expect(await callAs(asVisitor(commenter), 'select public.delete_comment($1)', [value!.id])).toEqual(refused);
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 0 });
  });

  it('list_post_comments: default page size 10, at most 30, newest first, blocked and inactive commenters left out', async () => {
    const author = await createAccount(db);
    const post = await createPost(db, author);
    const [commenter, blockedCommenter, suspendedCommenter, viewer] = [
      await createAccount(db), await createAccount(db), await createAccount(db), await createAccount(db),
    ];
    for (let i = 1; i <= 35; i++) await callAs(asVisitor(commenter), 'select public.add_comment($1, $2)', [post, `comment ${i}`]);
    await callAs(asVisitor(blockedCommenter), `select public.add_comment($1, 'from a blocked user')`, [post]);
    await callAs(asVisitor(suspendedCommenter), `select public.add_comment($1, 'from a suspended user')`, [post]);
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [suspendedCommenter.id]);
    await block(db, viewer, blockedCommenter);

    type Envelope = { count: number; page: number; page_size: number; total_pages: number; next: number | null; previous: number | null; results: { comment: string }[] };
    const first = (await callAs<Envelope>(asVisitor(viewer), 'select public.list_post_comments($1)', [post])).value!;
    expect({ ...first, results: first.results.map((r) => r.comment) }).toEqual({
      count: 35, page: 1, page_size: 10, total_pages: 4, next: 2, previous: null,
      results: Array.from({ length: 10 }, (_, i) => `comment ${35 - i}`),
    });
    const capped = (await callAs<Envelope>(asVisitor(viewer), 'select public.list_post_comments($1, 2, 100)', [post])).value!;
    expect({ page_size: capped.page_size, total_pages: capped.total_pages, next: capped.next, previous: capped.previous, n: capped.results.length })
      .toEqual({ page_size: 30, total_pages: 2, next: null, previous: 1, n: 5 });
    const anon = (await callAs<Envelope>(asAnon(), 'select public.list_post_comments($1, 1, 30)', [post])).value!;
    expect(anon.count).toBe(36);
    expect(anon.results.map((r) => r.comment)).toContain('from a blocked user');
    expect(anon.results.map((r) => r.comment)).not.toContain('from a suspended user');
    expect((await callAs(asAnon(), 'select public.list_post_comments($1, 0, 10)', [post])).error).toMatchObject({
      code: '23514', detail: { page: ['A valid integer greater than or equal to 1 is required.'] },
    });
    expect(await callAs(asAnon(), 'select public.list_post_comments($1, 5, 10)', [post])).toEqual({ error: { code: 'PT404', message: 'Invalid page.' } });
  });

  it('a comment on a blocked user\'s post is refused both ways, and their post\'s comments cannot be listed', async () => {
    const [author, blocker, blocked] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    await block(db, blocker, author);
    await block(db, author, blocked);
    for (const who of [blocker, blocked]) {
      expect(await callAs(asVisitor(who), `select public.add_comment($1, 'hi')`, [post])).toEqual({ error: NOT_FOUND });
      expect(await callAs(asVisitor(who), 'select public.list_post_comments($1)', [post])).toEqual({ error: NOT_FOUND });
      expect(await callAs(asVisitor(who), 'select public.list_post_likers($1)', [post])).toEqual({ error: NOT_FOUND });
    }
  });
});

describe('views', () => {
  it('record_post_view counts one view per viewer per post per UTC day', async () => {
    const [author, viewer, second] = [await createAccount(db), await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    // Yesterday's view (as the dashboard would leave it) does not stop today's.
    await db.query(`insert into public.post_views (post_id, viewer_id, viewed_on) values ($1, $2, (now() at time zone 'utc')::date - 1)`, [post, viewer.id]);
    expect((await callAs(asVisitor(viewer), 'select public.record_post_view($1)', [post])).value).toEqual({ post, counted: true, view_count: 2 });
    expect((await callAs(asVisitor(viewer), 'select public.record_post_view($1)', [post])).value).toEqual({ post, counted: false, view_count: 2 });
    expect((await callAs(asVisitor(second), 'select public.record_post_view($1)', [post])).value).toEqual({ post, counted: true, view_count: 3 });
    const { rows } = await db.query(`select viewed_on = (now() at time zone 'utc')::date as today from public.post_views where post_id = $1 and viewer_id = $2 order by viewed_on desc limit 1`, [post, viewer.id]);
    expect(rows[0].today).toBe(true);
    expect(await rowCountsOf(db, post)).toMatchObject({ view_count: 3 });
  });
});

describe('counters through the dashboard', () => {
  it('rows written or deleted as postgres move the counters; a direct wrong counter is refused, the true count is accepted', async () => {
    const [author, fan] = [await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [post, fan.id]);
    await db.query(`insert into public.comments (post_id, created_by, comment) values ($1, $2, 'a'), ($1, $2, 'b')`, [post, fan.id]);
    await db.query('insert into public.post_views (post_id, viewer_id) values ($1, $2)', [post, fan.id]);
    expect(await countersOf(db, post)).toEqual({ like_count: 1, comment_count: 2, view_count: 1 });
    await db.query(`delete from public.comments where post_id = $1 and comment = 'a'`, [post]);
    expect(await countersOf(db, post)).toEqual({ like_count: 1, comment_count: 1, view_count: 1 });

    for (const column of ['like_count', 'comment_count', 'view_count']) {
      await expect(db.query(`update public.posts set ${column} = 1000 where id = $1`, [post])).rejects.toMatchObject({ code: '42501' });
    }
    await db.query(`update public.posts set like_count = 1, comment_count = 1, view_count = 1, post_title = 'Recounted' where id = $1`, [post]);
    expect(await countersOf(db, post)).toEqual(await rowCountsOf(db, post));
    // Moving a like to another post moves both counters.
    const other = await createPost(db, author);
    await db.query('update public.post_likes set post_id = $2 where post_id = $1', [post, other]);
    expect([await countersOf(db, post), await countersOf(db, other)]).toEqual([await rowCountsOf(db, post), await rowCountsOf(db, other)]);
  });
});

describe('deleting what interactions hang on', () => {
  it('a post with likes, comments, hides, reports and views can be deleted, and a deleted account\'s interactions leave the counters', async () => {
    const [author, fan] = [await createAccount(db), await createAccount(db)];
    const [gone, kept] = [await createPost(db, author), await createPost(db, author)];
    for (const p of [gone, kept]) {
      await callAs(asVisitor(fan), 'select public.like_post($1)', [p]);
      await callAs(asVisitor(fan), `select public.add_comment($1, 'hi')`, [p]);
      await callAs(asVisitor(fan), 'select public.record_post_view($1)', [p]);
      await callAs(asVisitor(fan), 'select public.hide_post($1)', [p]);
      await callAs(asVisitor(fan), `select public.report_post($1, 'spam')`, [p]);
    }
    await db.query('delete from public.posts where id = $1', [gone]);
    expect(await rowCountsOf(db, gone)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
    expect(await countersOf(db, kept)).toEqual({ like_count: 1, comment_count: 1, view_count: 1 });
    await db.query('delete from auth.users where id = $1', [fan.id]);
    expect(await countersOf(db, kept)).toEqual({ like_count: 0, comment_count: 0, view_count: 0 });
  });
});

describe('notifications', () => {
  it('a like and a comment notify the author, as the author\'s preferences allow; never yourself', async () => {
    const [author, fan] = [await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    await callAs(asVisitor(fan), 'select public.like_post($1)', [post]);
    await callAs(asVisitor(fan), `select public.add_comment($1, 'hi')`, [post]);
    await callAs(asVisitor(author), 'select public.like_post($1)', [post]);
    await callAs(asVisitor(author), `select public.add_comment($1, 'self')`, [post]);
    expect(await notificationsOf(author)).toEqual([
      { notification_type: 'like', message: `${fan.username} liked your post.`, page_item_id: post },
      { notification_type: 'comment', message: `${fan.username} commented on your post.`, page_item_id: post },
    ]);

    await db.query('update public.notification_preferences set likes_notifications = false, comments_notifications = false where user_id = $1', [author.id]);
    const second = await createAccount(db);
    await callAs(asVisitor(second), 'select public.like_post($1)', [post]);
    await callAs(asVisitor(second), `select public.add_comment($1, 'hi')`, [post]);
    expect(await notificationsOf(author)).toHaveLength(2);
    expect(await countersOf(db, post)).toMatchObject({ like_count: 3, comment_count: 3 });
  });

  it('a like or comment written across a block (as postgres) notifies nobody', async () => {
    const [author, blocked] = [await createAccount(db), await createAccount(db)];
    const post = await createPost(db, author);
    await block(db, author, blocked);
    await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [post, blocked.id]);
    await db.query(`insert into public.comments (post_id, created_by, comment) values ($1, $2, 'hi')`, [post, blocked.id]);
    // The sentinel: an unblocked user's like right after does arrive.
    const fan = await createAccount(db);
    await db.query('insert into public.post_likes (post_id, user_id) values ($1, $2)', [post, fan.id]);
    expect(await notificationsOf(author)).toEqual([{ notification_type: 'like', message: `${fan.username} liked your post.`, page_item_id: post }]);
  });
});
