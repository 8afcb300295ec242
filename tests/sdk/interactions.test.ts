/**
 * Journeys through the SDK (issue 8, item 6): `marquee.comments` and `createPostInteractionsApi`
 * against the stack as signed-in and signed-out apps use them, with 000's answers and the SDK's
 * own refusals of bad input (400 with fields, before any request).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMarquee,
  createPostInteractionsApi,
  MarqueeError,
  type Marquee,
  type MarqueeSupabaseClient,
  type PostInteractionsApi,
} from '../../sdk/src/index.ts';
import { callRpc } from '../../sdk/src/rpc.ts';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { block, countersOf, createPost, signedIn, type SignedIn } from '../db/interactions-fixtures.ts';

interface App {
  user: SignedIn;
  marquee: Marquee;
  interactions: PostInteractionsApi;
}

let db: pg.Client;
let author: App;
let fan: App;
const signedOut = createMarquee({ client: anonClient() as unknown as MarqueeSupabaseClient });

async function app(options: Parameters<typeof signedIn>[1] = {}): Promise<App> {
  const user = await signedIn(db, options);
  const marquee = createMarquee({ client: user.client as unknown as MarqueeSupabaseClient });
  return { user, marquee, interactions: createPostInteractionsApi(marquee.supabase) };
}

/** The refusal as `{status, detail, fields}`, or 'resolved'. */
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: unknown) => {
      if (!(e instanceof MarqueeError)) throw e;
      return { status: e.status, detail: e.detail, ...(e.fields ? { fields: e.fields } : {}) };
    },
  );

beforeAll(async () => {
  db = await connectAsPostgres();
  [author, fan] = [await app(), await app()];
});
afterAll(async () => {
  await db.end();
});

describe('likes', () => {
  it('like, see yourself among the likers (signed out too), unlike; a second like or unlike is refused', async () => {
    const post = await createPost(db, author.user);
    expect(await fan.interactions.like({ post_id: post })).toMatchObject({ post, user: fan.user.id });
    expect(await refusal(fan.interactions.like({ post_id: post }))).toEqual({ status: 400, detail: 'You already liked this post.' });
    const likers = await createPostInteractionsApi(signedOut.supabase).likers({ post_id: post });
    expect(likers).toMatchObject({ count: 1, page: 1, page_size: 30, total_pages: 1, next: null, previous: null });
    expect(likers.results[0]!.user).toEqual({ id: fan.user.id, username: fan.user.username, profile_pic: null });
    await fan.interactions.unlike({ post_id: post });
    expect(await refusal(fan.interactions.unlike({ post_id: post }))).toEqual({ status: 404, detail: 'Not found.' });
    expect(await countersOf(db, post)).toMatchObject({ like_count: 0 });
  });

  it('a post the caller cannot see is 404 "Not found."; signed out is 401; bad ids are refused before any request', async () => {
    const hidden = await createPost(db, author.user, { visibility: 'private' });
    expect(await refusal(fan.interactions.like({ post_id: hidden }))).toEqual({ status: 404, detail: 'Not found.' });
    expect((await refusal(createPostInteractionsApi(signedOut.supabase).like({ post_id: hidden })) as { status: number }).status).toBe(401);
    expect(await refusal(fan.interactions.like({ post_id: -1 }))).toMatchObject({ status: 400, fields: { post_id: ['A valid integer is required.'] } });
    expect(await refusal(fan.interactions.likers({ post_id: 1, page: 0 }))).toMatchObject({ status: 400, fields: { page: expect.any(Array) } });
    expect(await countersOf(db, hidden)).toMatchObject({ like_count: 0 });
  });
});

describe('hides, reports, views', () => {
  it('hide and unhide once each', async () => {
    const post = await createPost(db, author.user);
    expect(await fan.interactions.hide({ post_id: post })).toMatchObject({ post, user: fan.user.id });
    expect(await refusal(fan.interactions.hide({ post_id: post }))).toEqual({ status: 400, detail: 'You already hid this post.' });
    await fan.interactions.unhide({ post_id: post });
    expect(await refusal(fan.interactions.unhide({ post_id: post }))).toEqual({ status: 404, detail: 'Not found.' });
  });

  it('report with one of the six reasons, once; withdraw it; another reason or a long description is a 400 naming the field', async () => {
    const post = await createPost(db, author.user);
    const bad = fan.interactions.report({ post_id: post, reason: 'boring' as never });
    expect(await refusal(bad)).toMatchObject({ status: 400, fields: { reason: ['"boring" is not a valid choice.'] } });
    const long = fan.interactions.report({ post_id: post, reason: 'spam', description: 'x'.repeat(1001) });
    expect(await refusal(long)).toMatchObject({ status: 400, fields: { description: ['Ensure this field has no more than 1000 characters.'] } });
    expect(await fan.interactions.report({ post_id: post, reason: 'spam', description: 'This post is spam.' })).toMatchObject({
      post, reason: 'spam', description: 'This post is spam.',
    });
    expect(await refusal(fan.interactions.report({ post_id: post, reason: 'hate' }))).toEqual({ status: 400, detail: 'You already reported this post.' });
    await fan.interactions.withdrawReport({ post_id: post });
    expect(await refusal(fan.interactions.withdrawReport({ post_id: post }))).toEqual({ status: 404, detail: 'Not found.' });
  });

  it('a view counts once a day', async () => {
    const post = await createPost(db, author.user);
    expect(await fan.interactions.view({ post_id: post })).toEqual({ post, counted: true, view_count: 1 });
    expect(await fan.interactions.view({ post_id: post })).toEqual({ post, counted: false, view_count: 1 });
  });
});

describe('marquee.comments', () => {
  it('create, list (signed out too) in 000\'s shape, remove your own; someone else\'s is 404 with 000\'s message', async () => {
    const post = await createPost(db, author.user);
    const created = await fan.marquee.comments.create({ post_id: post, comment: 'This is amazing!' });
    expect(created).toEqual({
      id: expect.any(Number),
      post,
      comment: 'This is amazing!',
      created_by: { id: fan.user.id, user: { username: fan.user.username, profile_pic: null } },
      created_at: expect.any(String),
    });
    const page = await signedOut.comments.list({ post_id: post });
    expect(page).toEqual({ count: 1, page: 1, page_size: 10, total_pages: 1, next: null, previous: null, results: [created] });
    expect(await refusal(author.marquee.comments.remove({ comment_id: created.id }))).toEqual({
      status: 404,
      detail: "Comment not found or you don't have permission to delete it.",
    });
    await fan.marquee.comments.remove({ comment_id: created.id });
    expect((await signedOut.comments.list({ post_id: post })).count).toBe(0);
  });

  it('page_size above 30 is capped at 30; a page past the end is 404 "Invalid page."', async () => {
    const post = await createPost(db, author.user);
    await fan.marquee.comments.create({ post_id: post, comment: 'one' });
    expect((await fan.marquee.comments.list({ post_id: post, page_size: 500 })).page_size).toBe(30);
    expect(await refusal(fan.marquee.comments.list({ post_id: post, page: 2 }))).toEqual({ status: 404, detail: 'Invalid page.' });
  });

  it('an empty or over-long comment is 400 on the field and nothing is written; a blocked user\'s post is 404', async () => {
    const post = await createPost(db, author.user);
    for (const [comment, message] of [
      ['', 'This field may not be blank.'],
      ['  \n ', 'This field may not be blank.'],
      ['x'.repeat(2001), 'Ensure this field has no more than 2000 characters.'],
    ] as const) {
      expect(await refusal(fan.marquee.comments.create({ post_id: post, comment }))).toMatchObject({ status: 400, fields: { comment: [message] } });
    }
    const blocked = await app();
    await block(db, author.user, blocked.user);
    expect(await refusal(blocked.marquee.comments.create({ post_id: post, comment: 'hi' }))).toEqual({ status: 404, detail: 'Not found.' });
    expect(await refusal(blocked.marquee.comments.list({ post_id: post }))).toEqual({ status: 404, detail: 'Not found.' });
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 0 });
  });

  it('the database\'s field errors become fields on the MarqueeError (callRpc, without the SDK\'s own check first)', async () => {
    const post = await createPost(db, author.user);
    const refused = callRpc(fan.marquee.supabase, 'add_comment', { p_post_id: post, p_comment: '\t' });
    expect(await refusal(refused)).toMatchObject({ status: 400, fields: { comment: ['This field may not be blank.'] } });
    const report = callRpc(fan.marquee.supabase, 'report_post', { p_post_id: post, p_reason: 'boring' });
    expect(await refusal(report)).toMatchObject({ status: 400, fields: { reason: ['"boring" is not a valid choice.'] } });
    expect(await countersOf(db, post)).toMatchObject({ comment_count: 0 });
  });
});
