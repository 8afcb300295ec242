import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asVisitor, connectAsPostgres, runAs } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { createCast, MATRIX_ROLES } from './interactions-fixtures.ts';
import { auditOf, callAs, createPost, hiddenAt, moderationNotices, reportBy } from './moderation-fixtures.ts';

/**
 * Moderation (issue 9, item 5) in the database: the report types, the refusal of one's own report,
 * the automatic hide at the threshold, the admins' queue and their resolve / dismiss decisions, the
 * audit of each, and the author's notifications. Each call commits, as a PostgREST request would.
 */
let db: pg.Client;
let admin: Account;
let visitor: Account;
beforeAll(async () => {
  db = await connectAsPostgres();
  admin = await createAccount(db, { role: 'admin' });
  visitor = await createAccount(db);
});
afterAll(async () => {
  await db.end();
});

const FORBIDDEN = { code: '42501', message: 'You do not have permission to perform this action.' };

describe('report types', () => {
  it('lists the six reasons of the report_reason enum, in order, for anyone', async () => {
    const { value } = await callAs<{ value: string; label: string }[]>(db, asAnon(), 'select public.report_types()');
    const { rows } = await db.query<{ r: string[] }>('select enum_range(null::public.report_reason)::text[] as r');
    expect(value!.map((t) => t.value)).toEqual(rows[0]!.r);
    expect(value!.map((t) => t.value)).toEqual(['spam', 'abuse', 'false', 'hate', 'nsfw', 'other']);
    expect(value![2]).toMatchObject({ value: 'false', label: 'False information' });
  });
});

describe('reporting one\'s own post', () => {
  it('is refused through report_post and a raw insert alike, and nothing is written', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author);
    const viaRpc = await callAs(db, asVisitor(author), `select public.report_post($1, 'spam', '')`, [postId]);
    expect(viaRpc.error).toMatchObject({ code: 'P0001', message: 'You cannot report your own post.' });
    const viaInsert = await callAs(db, asVisitor(author), `insert into public.post_reports (post_id, reason) values ($1, 'spam')`, [postId]);
    expect(viaInsert.error).toMatchObject({ code: 'P0001', message: 'You cannot report your own post.' });
    const { rows } = await db.query('select 1 from public.post_reports where post_id = $1', [postId]);
    expect(rows).toHaveLength(0);
  });
});

describe('the automatic hide', () => {
  it('hides the post at the 5th distinct report (default threshold), audits it once and notifies the author', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author, 'Too many reports');
    await reportBy(db, postId, 4);
    expect(await hiddenAt(db, postId)).toBeNull();
    expect(await moderationNotices(db, author, postId)).toEqual([]);
    const fifth = await createAccount(db);
    const reported = await callAs(db, asVisitor(fifth), `select public.report_post($1, 'hate', 'awful')`, [postId]);
    expect(reported.error).toBeUndefined();
    expect(await hiddenAt(db, postId)).not.toBeNull();
    const audit = await auditOf(db, postId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'auto_hide', actor: fifth.id, post_author_id: author.id, details: { open_reports: 5, threshold: 5, hidden: true } });
    expect(await moderationNotices(db, author, postId)).toEqual([
      'Your post "Too many reports" was hidden after reports from other users and is waiting for review.',
    ]);
  });

  it('follows the admin-edited threshold (moderation_settings), which only admins read and edit, every change audited', async () => {
    // In one rolled-back transaction, so the shared threshold never changes for the other test files.
    const before = await callAs(db, asVisitor(visitor), 'select auto_hide_threshold from public.moderation_settings');
    expect(before.rows).toEqual([]);
    const notAdmin = await callAs(db, asVisitor(visitor), 'update public.moderation_settings set auto_hide_threshold = 1 returning 1');
    expect(notAdmin.rows).toEqual([]);
    const author = await createAccount(db);
    const postId = await createPost(db, author);
    const [r1, r2] = [await createAccount(db), await createAccount(db)];
    await runAs(db, asAdmin(admin), async (c) => {
      await expect(c.query('savepoint s; update public.moderation_settings set auto_hide_threshold = 0')).rejects.toMatchObject({ code: '23514' });
      await c.query('rollback to savepoint s');
      const set = await c.query('update public.moderation_settings set auto_hide_threshold = 2 returning auto_hide_threshold');
      expect(set.rows).toEqual([{ auto_hide_threshold: 2 }]);
      await c.query('reset role');
      const { rows: audit } = await c.query(
        `select actor, details from public.moderation_actions where action = 'threshold_change' order by id desc limit 1`,
      );
      expect(audit[0]).toEqual({ actor: admin.id, details: { from: 5, to: 2 } });
      const hidden = async () => (await c.query('select moderation_hidden_at from public.posts where id = $1', [postId])).rows[0].moderation_hidden_at;
      await c.query(`insert into public.post_reports (user_id, post_id, reason) values ($1, $2, 'spam')`, [r1.id, postId]);
      expect(await hidden()).toBeNull();
      await c.query(`insert into public.post_reports (user_id, post_id, reason) values ($1, $2, 'spam')`, [r2.id, postId]);
      expect(await hidden()).not.toBeNull();
    });
    expect((await db.query('select auto_hide_threshold from public.moderation_settings')).rows[0].auto_hide_threshold).toBe(5);
  });
});

describe('the queue', () => {
  it('is for live admins only: a visitor, a creator, a demoted admin and a suspended admin get 403; anon may not call it', async () => {
    const creator = await createAccount(db, { role: 'creator' });
    const suspendedAdmin = await createAccount(db, { role: 'admin', status: 'suspended' });
    for (const actor of [asVisitor(visitor), asCreator(creator), asAdmin(visitor), asAccount(suspendedAdmin, 'suspended', 'admin')]) {
      const { error } = await callAs(db, actor, 'select public.moderation_queue()');
      expect(error).toMatchObject(FORBIDDEN);
    }
    const anon = await callAs(db, asAnon(), 'select public.moderation_queue()');
    expect(anon.error?.code).toBe('42501');
    expect(anon.error?.message).toMatch(/permission denied for function moderation_queue/);
  });

  it('answers open reported posts with counts per post and per reason, newest report first, filtered and paged', async () => {
    const author = await createAccount(db, { role: 'creator' });
    const older = await createPost(db, author, 'Older');
    const newer = await createPost(db, author, 'Newer', 'video');
    await reportBy(db, older, 2, 'spam');
    await reportBy(db, older, 1, 'nsfw');
    await reportBy(db, newer, 1, 'abuse');

    const page = await callAs<{ count: number; results: Record<string, unknown>[] }>(
      db, asAdmin(admin), 'select public.moderation_queue(p_page_size => 100)',
    );
    const mine = page.value!.results.filter((r) => r.created_by === author.id);
    expect(mine.map((r) => r.post_id)).toEqual([newer, older]);
    expect(mine[1]).toMatchObject({
      post_title: 'Older', state: 'open', hidden: false, report_count: 3,
      reasons: { spam: 2, abuse: 0, false: 0, hate: 0, nsfw: 1, other: 0 },
      author: { id: author.id, username: author.username, status: 'active' },
    });
    // newest report first across the whole queue
    const times = page.value!.results.map((r) => Date.parse(r.last_reported_at as string));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const nsfw = await callAs<{ results: { post_id: number }[] }>(db, asAdmin(admin), `select public.moderation_queue(p_reason => 'nsfw', p_page_size => 100)`);
    expect(nsfw.value!.results.map((r) => r.post_id)).toContain(older);
    expect(nsfw.value!.results.map((r) => r.post_id)).not.toContain(newer);
    const videos = await callAs<{ results: { post_id: number; post_type: string }[] }>(
      db, asAdmin(admin), `select public.moderation_queue(p_post_type => 'video', p_page_size => 100)`,
    );
    expect(videos.value!.results.every((r) => r.post_type === 'video')).toBe(true);
    expect(videos.value!.results.map((r) => r.post_id)).toContain(newer);

    const first = await callAs<{ count: number; page_size: number; next: number | null; results: unknown[] }>(
      db, asAdmin(admin), 'select public.moderation_queue(p_page => 1, p_page_size => 1)',
    );
    expect(first.value).toMatchObject({ page_size: 1, next: 2 });
    expect(first.value!.results).toHaveLength(1);
    expect(first.value!.count).toBeGreaterThanOrEqual(2);
  });

  it('refuses unknown filters and pages with 400 field errors, and a page past the last with 404', async () => {
    const bad = await callAs(db, asAdmin(admin), `select public.moderation_queue(p_state => 'closed', p_reason => 'rude', p_post_type => 'gif')`);
    expect(bad.error).toMatchObject({
      code: '23514',
      detail: { state: ['"closed" is not a valid choice.'], reason: ['"rude" is not a valid choice.'], post_type: ['"gif" is not a valid choice.'] },
    });
    const page = await callAs(db, asAdmin(admin), 'select public.moderation_queue(p_page => 0)');
    expect(page.error).toMatchObject({ code: '23514', detail: { page: ['A valid integer greater than or equal to 1 is required.'] } });
    const past = await callAs(db, asAdmin(admin), `select public.moderation_queue(p_state => 'dismissed', p_page => 100000)`);
    expect(past.error).toMatchObject({ code: 'PT404', message: 'Invalid page.' });
  });
});

describe('resolve', () => {
  it('hides the post, closes its open reports, audits who/what/note once and notifies the author', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author, 'Bad post');
    await reportBy(db, postId, 2, 'abuse');
    const { value, error } = await callAs(db, asAdmin(admin), `select public.moderation_resolve($1, ' Harassment. ')`, [postId]);
    expect(error).toBeUndefined();
    expect(value).toEqual({ detail: 'Reports resolved; the post is hidden.', post_id: postId, hidden: true, resolved_reports: 2, author_suspended: false });
    expect(await hiddenAt(db, postId)).not.toBeNull();
    const { rows } = await db.query('select state from public.post_reports where post_id = $1', [postId]);
    expect(rows.map((r) => r.state)).toEqual(['resolved', 'resolved']);
    const audit = await auditOf(db, postId);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'resolve', actor: admin.id, note: 'Harassment.', details: expect.objectContaining({ reports: 2, hidden: true, reasons: expect.objectContaining({ abuse: 2 }) }) }),
    ]);
    expect(await moderationNotices(db, author, postId)).toEqual(['Your post "Bad post" was hidden by a moderator.']);
    // it left the open queue and is in the resolved one
    const open = await callAs<{ results: { post_id: number }[] }>(db, asAdmin(admin), 'select public.moderation_queue(p_page_size => 100)');
    expect(open.value!.results.map((r) => r.post_id)).not.toContain(postId);
    const resolved = await callAs<{ results: { post_id: number; last_action: { action: string } }[] }>(
      db, asAdmin(admin), `select public.moderation_queue(p_state => 'resolved', p_page_size => 100)`,
    );
    expect(resolved.value!.results.find((r) => r.post_id === postId)?.last_action.action).toBe('resolve');
  });

  it('suspends the author through the account RPC when asked (audited in account_actions too)', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author);
    await reportBy(db, postId, 1);
    const { value } = await callAs(db, asAdmin(admin), `select public.moderation_resolve($1, 'Repeat offender', true)`, [postId]);
    expect(value).toMatchObject({ author_suspended: true });
    const { rows } = await db.query('select status from public.profiles where id = $1', [author.id]);
    expect(rows[0].status).toBe('suspended');
    const { rows: actions } = await db.query('select action, actor, reason from public.account_actions where user_id = $1', [author.id]);
    expect(actions).toEqual([{ action: 'suspend', actor: admin.id, reason: 'Repeat offender' }]);
    expect((await auditOf(db, postId))[0]!.details).toMatchObject({ suspend_author: true, author_suspended: true });
  });

  it('answers 404 for an unknown post, 409 without open reports, 400 for a long note, 403 for non-admins; nothing changes', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author);
    expect((await callAs(db, asAdmin(admin), 'select public.moderation_resolve(-1)')).error).toMatchObject({ code: 'PT404', message: 'Not found.' });
    expect((await callAs(db, asAdmin(admin), 'select public.moderation_resolve($1)', [postId])).error).toMatchObject({
      code: 'PT409', message: 'This post has no open reports.',
    });
    await reportBy(db, postId, 1);
    expect((await callAs(db, asAdmin(admin), 'select public.moderation_resolve($1, $2)', [postId, 'x'.repeat(1001)])).error).toMatchObject({
      code: '23514', detail: { note: ['Ensure this field has no more than 1000 characters.'] },
    });
    expect((await callAs(db, asVisitor(visitor), 'select public.moderation_resolve($1)', [postId])).error).toMatchObject(FORBIDDEN);
    expect((await callAs(db, asVisitor(author), 'select public.moderation_dismiss($1)', [postId])).error).toMatchObject(FORBIDDEN);
    expect(await hiddenAt(db, postId)).toBeNull();
    expect(await auditOf(db, postId)).toEqual([]);
  });
});

describe('dismiss', () => {
  it('shows an automatically hidden post again and audits it once with the note', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author);
    await reportBy(db, postId, 5, 'other');
    expect(await hiddenAt(db, postId)).not.toBeNull();
    const { value } = await callAs(db, asAdmin(admin), `select public.moderation_dismiss($1, 'Brigading')`, [postId]);
    expect(value).toEqual({ detail: 'Reports dismissed.', post_id: postId, hidden: false, dismissed_reports: 5 });
    expect(await hiddenAt(db, postId)).toBeNull();
    expect((await auditOf(db, postId)).map((a) => [a.action, a.note])).toEqual([
      ['auto_hide', ''],
      ['dismiss', 'Brigading'],
    ]);
    // dismissed reports no longer count toward the threshold: one new report does not hide it again
    await reportBy(db, postId, 1);
    expect(await hiddenAt(db, postId)).toBeNull();
  });

  it('leaves a post an admin hid by decision hidden', async () => {
    const postId = await createPost(db, await createAccount(db));
    await reportBy(db, postId, 1);
    await callAs(db, asAdmin(admin), 'select public.moderation_resolve($1)', [postId]);
    // others cannot read the hidden post any more, so the new report is written as postgres
    await reportBy(db, postId, 1);
    const { value } = await callAs(db, asAdmin(admin), 'select public.moderation_dismiss($1)', [postId]);
    expect(value).toMatchObject({ hidden: true, dismissed_reports: 1 });
    expect(await hiddenAt(db, postId)).not.toBeNull();
    expect((await auditOf(db, postId)).map((a) => a.action)).toEqual(['resolve', 'dismiss']);
  });
});

describe('the audit', () => {
  it('records a hide or unhide made as postgres in the dashboard, and refuses to be changed, even by postgres', async () => {
    const author = await createAccount(db);
    const postId = await createPost(db, author, 'Dashboard');
    await db.query('update public.posts set moderation_hidden_at = now() where id = $1', [postId]);
    await db.query('update public.posts set moderation_hidden_at = null where id = $1', [postId]);
    expect((await auditOf(db, postId)).map((a) => [a.action, a.actor])).toEqual([
      ['hide', 'dashboard'],
      ['unhide', 'dashboard'],
    ]);
    expect(await moderationNotices(db, author, postId)).toEqual(['Your post "Dashboard" was hidden by a moderator.']);
    for (const sql of [
      'update public.moderation_actions set note = $2 where post_id = $1',
      'delete from public.moderation_actions where post_id = $1',
    ]) {
      await expect(db.query(sql, sql.includes('$2') ? [postId, 'rewritten'] : [postId])).rejects.toMatchObject({
        code: '42501', message: 'Moderation actions are never changed or removed.',
      });
    }
    await expect(db.query('truncate public.moderation_actions')).rejects.toMatchObject({ code: '42501' });
    expect(await auditOf(db, postId)).toHaveLength(2);
  });

  it('is readable by admins only', async () => {
    const postId = await createPost(db, await createAccount(db));
    await db.query('update public.posts set moderation_hidden_at = now() where id = $1', [postId]);
    const asUser = await callAs(db, asVisitor(visitor), 'select post_id from public.moderation_actions where post_id = $1', [postId]);
    expect(asUser.rows).toEqual([]);
    const asAdminRows = await callAs(db, asAdmin(admin), 'select post_id from public.moderation_actions where post_id = $1', [postId]);
    expect(asAdminRows.rows).toHaveLength(1);
    const insert = await callAs(db, asAdmin(admin), `insert into public.moderation_actions (post_id, action) values ($1, 'hide')`, [postId]);
    expect(insert.error?.code).toBe('42501');
  });
});

describe('settings, audit and decisions as each role of the matrix', () => {
  it('only an active admin reads the settings and the audit or decides; the rest read nothing and get 403', async () => {
    const cast = await createCast(db);
    const postId = await createPost(db, cast.author);
    await reportBy(db, postId, 1);
    await db.query('update public.posts set moderation_hidden_at = now() where id = $1', [postId]);
    await db.query('update public.posts set moderation_hidden_at = null where id = $1', [postId]);
    for (const role of MATRIX_ROLES) {
      const actor = cast.actor(role);
      const settings = await callAs(db, actor, 'select auto_hide_threshold from public.moderation_settings');
      const audit = await callAs(db, actor, 'select action from public.moderation_actions where post_id = $1', [postId]);
      const queue = await callAs(db, actor, 'select public.moderation_queue()');
      const dismiss = await callAs(db, actor, 'select public.moderation_dismiss($1)', [postId]);
      if (role === 'anon') {
        for (const outcome of [settings, audit, queue, dismiss]) expect(outcome.error?.code).toBe('42501');
      } else if (role === 'admin') {
        expect(settings.rows).toEqual([{ auto_hide_threshold: 5 }]);
        expect(audit.rows).toEqual([{ action: 'hide' }, { action: 'unhide' }]);
        expect(queue.error).toBeUndefined();
      } else {
        expect(settings.rows).toEqual([]);
        expect(audit.rows).toEqual([]);
        expect(queue.error).toMatchObject(FORBIDDEN);
        expect(dismiss.error).toMatchObject(FORBIDDEN);
      }
    }
    // the admin went last: its dismiss is the only decision
    expect((await auditOf(db, postId)).map((a) => a.action)).toEqual(['hide', 'unhide', 'dismiss']);
  });
});
