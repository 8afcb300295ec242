/**
 * Hostile clients against moderation (issue 9, item 5), through raw REST and Storage: non-admins
 * calling the queue and the decisions, users writing the hide mark, an author un-hiding their post,
 * forged report states, self-reports, the settings and the audit written by hand, and a hidden
 * post's file downloaded by others. Each refusal changes nothing.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { PNG } from '../helpers/media-samples.ts';
import { attach, member, newPost, pathFor, readable, upload, type Member } from '../helpers/posts.ts';
import { rawRest } from '../helpers/raw-rest.ts';

let db: pg.Client;
let author: Member;
let other: Member;
let admin: Member;
beforeAll(async () => {
  db = await connectAsPostgres();
  [author, other, admin] = await Promise.all([member(), member(), member('admin')]);
});
afterAll(async () => {
  await db.end();
});

const hiddenAt = async (postId: number) =>
  (await db.query('select moderation_hidden_at from public.posts where id = $1', [postId])).rows[0].moderation_hidden_at as Date | null;
const auditCount = async (postId: number) =>
  (await db.query('select count(*)::int as n from public.moderation_actions where post_id = $1', [postId])).rows[0].n as number;

/** A post of `author` with one open report by `other`, written through REST. */
async function reportedPost(): Promise<number> {
  const postId = await newPost(author);
  const report = await rawRest('POST', 'rpc/report_post', other.token, { p_post_id: postId, p_reason: 'spam' });
  expect(report.status).toBe(200);
  return postId;
}

describe('the admin RPCs over raw REST', () => {
  it('anon gets 401 and a signed-in non-admin 403 from the queue, resolve and dismiss; nothing changes', async () => {
    const postId = await reportedPost();
    for (const [fn, args] of [
      ['moderation_queue', {}],
      ['moderation_resolve', { p_post_id: postId, p_note: 'x', p_suspend_author: true }],
      ['moderation_dismiss', { p_post_id: postId }],
    ] as const) {
      expect((await rawRest('POST', `rpc/${fn}`, null, args)).status).toBe(401);
      for (const who of [author, other]) {
        const reply = await rawRest('POST', `rpc/${fn}`, who.token, args);
        expect(reply).toMatchObject({ status: 403, body: { code: '42501', message: 'You do not have permission to perform this action.' } });
      }
    }
    expect(await hiddenAt(postId)).toBeNull();
    expect(await auditCount(postId)).toBe(0);
    const { rows } = await db.query('select status from public.profiles where id = $1', [author.user.id]);
    expect(rows[0].status).toBe('active');
  });

  it('an admin gets the queue and decides; bad filters are 400 with fields, unknown posts 404, no open reports 409', async () => {
    const postId = await reportedPost();
    const queue = await rawRest('POST', 'rpc/moderation_queue', admin.token, { p_page_size: 100 });
    expect(queue.status).toBe(200);
    expect((queue.body as { results: { post_id: number }[] }).results.map((r) => r.post_id)).toContain(postId);
    const bad = await rawRest('POST', 'rpc/moderation_queue', admin.token, { p_state: 'closed' });
    expect(bad).toMatchObject({ status: 400, body: { code: '23514' } });
    expect(JSON.parse((bad.body as { details: string }).details)).toEqual({ state: ['"closed" is not a valid choice.'] });
    expect(await rawRest('POST', 'rpc/moderation_resolve', admin.token, { p_post_id: 999999999 })).toMatchObject({ status: 404, body: { message: 'Not found.' } });
    const resolved = await rawRest('POST', 'rpc/moderation_resolve', admin.token, { p_post_id: postId, p_note: 'spam' });
    expect(resolved).toMatchObject({ status: 200, body: { hidden: true, resolved_reports: 1 } });
    expect(await rawRest('POST', 'rpc/moderation_dismiss', admin.token, { p_post_id: postId })).toMatchObject({
      status: 409, body: { message: 'This post has no open reports.' },
    });
  });
});

describe('the hide mark', () => {
  it('a user cannot set moderation_hidden_at on their own post, nor insert a post already hidden', async () => {
    const postId = await newPost(author);
    const patched = await rawRest('PATCH', `posts?id=eq.${postId}`, author.token, { moderation_hidden_at: new Date().toISOString() });
    expect(patched).toMatchObject({ status: 403, body: { code: '42501' } });
    const inserted = await rawRest('POST', 'posts', author.token, { post_title: 'pre-hidden', moderation_hidden_at: new Date().toISOString() });
    expect(inserted).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(await hiddenAt(postId)).toBeNull();
  });

  it('the author of a hidden post cannot un-hide it, and it vanishes for others over REST while the author still reads it', async () => {
    const postId = await reportedPost();
    expect((await rawRest('POST', 'rpc/moderation_resolve', admin.token, { p_post_id: postId })).status).toBe(200);
    const unhide = await rawRest('PATCH', `posts?id=eq.${postId}`, author.token, { moderation_hidden_at: null });
    expect(unhide).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(await hiddenAt(postId)).not.toBeNull();
    expect((await rawRest('GET', `posts?id=eq.${postId}&select=id`, other.token)).body).toEqual([]);
    expect((await rawRest('GET', `posts?id=eq.${postId}&select=id`, null)).body).toEqual([]);
    expect((await rawRest('GET', `posts?id=eq.${postId}&select=id`, author.token)).body).toEqual([{ id: postId }]);
    expect(await rawRest('POST', 'rpc/get_post', other.token, { p_post_id: postId })).toMatchObject({ status: 404, body: { message: 'Not found.' } });
    expect(await rawRest('POST', 'post_likes', author.token, { post_id: postId })).toMatchObject({
      status: 403, body: { message: 'This post is hidden by moderation.' },
    });
    expect(await rawRest('POST', 'comments', other.token, { post_id: postId, comment: 'x' })).toMatchObject({ status: 404 });
  });

  it('a report\'s state cannot be written by its reporter', async () => {
    const postId = await reportedPost();
    const patched = await rawRest('PATCH', `post_reports?post_id=eq.${postId}`, other.token, { state: 'dismissed' });
    expect(patched.status).toBeGreaterThanOrEqual(401);
    const forged = await rawRest('POST', 'post_reports', author.token, { post_id: await newPost(other), reason: 'spam', state: 'resolved' });
    expect(forged).toMatchObject({ status: 403, body: { code: '42501' } });
    const { rows } = await db.query('select state from public.post_reports where post_id = $1', [postId]);
    expect(rows).toEqual([{ state: 'open' }]);
  });

  it('reporting one\'s own post over raw REST is 400 "You cannot report your own post."', async () => {
    const postId = await newPost(author);
    expect(await rawRest('POST', 'post_reports', author.token, { post_id: postId, reason: 'spam' })).toMatchObject({
      status: 400, body: { message: 'You cannot report your own post.' },
    });
    expect(await rawRest('POST', 'rpc/report_post', author.token, { p_post_id: postId, p_reason: 'spam' })).toMatchObject({
      status: 400, body: { message: 'You cannot report your own post.' },
    });
  });
});

describe('settings and audit written by hand', () => {
  it('a non-admin cannot read or change the threshold; nobody inserts, edits or deletes audit rows over REST', async () => {
    expect((await rawRest('GET', 'moderation_settings?select=auto_hide_threshold', other.token)).body).toEqual([]);
    expect((await rawRest('PATCH', 'moderation_settings?id=eq.true', other.token, { auto_hide_threshold: 1 })).body).toEqual([]);
    expect((await db.query('select auto_hide_threshold from public.moderation_settings')).rows[0].auto_hide_threshold).toBe(5);
    const postId = await reportedPost();
    await rawRest('POST', 'rpc/moderation_resolve', admin.token, { p_post_id: postId, p_note: 'original' });
    expect((await rawRest('POST', 'moderation_actions', admin.token, { post_id: postId, action: 'dismiss' })).status).toBe(403);
    expect((await rawRest('PATCH', `moderation_actions?post_id=eq.${postId}`, admin.token, { note: 'rewritten' })).status).toBe(403);
    expect((await rawRest('DELETE', `moderation_actions?post_id=eq.${postId}`, admin.token)).status).toBe(403);
    const { rows } = await db.query('select note from public.moderation_actions where post_id = $1', [postId]);
    expect(rows).toEqual([{ note: 'original' }]);
    expect((await rawRest('GET', `moderation_actions?post_id=eq.${postId}&select=note`, other.token)).body).toEqual([]);
    expect((await rawRest('GET', `moderation_actions?post_id=eq.${postId}&select=note`, admin.token)).body).toEqual([{ note: 'original' }]);
  });
});

describe('a hidden post\'s files in Storage', { timeout: 60_000 }, () => {
  it('others can no longer download them; the author and admins still can', async () => {
    const postId = await newPost(author);
    const path = pathFor(author, 'png');
    expect(await upload(author, 'post-images', path, PNG, 'image/png')).toBeNull();
    expect((await attach(author, { post_id: postId, bucket: 'post-images', path })).status).toBe(201);
    expect(await readable(other, 'post-images', path)).toBe(true);
    await db.query('update public.posts set moderation_hidden_at = now() where id = $1', [postId]);
    expect(await readable(other, 'post-images', path)).toBe(false);
    expect(await readable(null, 'post-images', path)).toBe(false);
    expect(await readable(author, 'post-images', path)).toBe(true);
    expect(await readable(admin, 'post-images', path)).toBe(true);
  });
});
