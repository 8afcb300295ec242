/**
 * `marquee.moderation` (issue 9, item 5) against the stack: the report types for anyone, the queue
 * and the decisions for an admin, 403 for others, and the SDK's own refusals of bad input (400 with
 * fields, before any request).
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarquee, MarqueeError, type Marquee, type MarqueeSupabaseClient } from '../../sdk/src/index.ts';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { createPost, signedIn, type SignedIn } from '../db/interactions-fixtures.ts';

interface App {
  user: SignedIn;
  marquee: Marquee;
}

let db: pg.Client;
let author: App;
let reporter: App;
let admin: App;
const signedOut = createMarquee({ client: anonClient() as unknown as MarqueeSupabaseClient });

async function app(options: Parameters<typeof signedIn>[1] = {}): Promise<App> {
  const user = await signedIn(db, options);
  return { user, marquee: createMarquee({ client: user.client as unknown as MarqueeSupabaseClient }) };
}

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
  [author, reporter, admin] = [await app(), await app(), await app({ role: 'admin' })];
});
afterAll(async () => {
  await db.end();
});

describe('marquee.moderation', () => {
  it('reportTypes() lists the six reasons, signed out too', async () => {
    const types = await signedOut.moderation.reportTypes();
    expect(types.map((t) => t.value)).toEqual(['spam', 'abuse', 'false', 'hate', 'nsfw', 'other']);
    expect(types[0]).toEqual({ value: 'spam', label: 'Spam', description: expect.any(String) });
  });

  it('an admin queues, resolves (suspending the author) and the post vanishes for the reporter', async () => {
    const postId = await createPost(db, author.user, { title: 'SDK reported' });
    await reporter.marquee.posts.report({ post_id: postId, reason: 'nsfw', description: 'Not for kids.' });
    const page = await admin.marquee.moderation.queue({ reason: 'nsfw', page_size: 100 });
    const item = page.results.find((r) => r.post_id === postId);
    expect(item).toMatchObject({ state: 'open', hidden: false, report_count: 1, reasons: { nsfw: 1, spam: 0 }, author: { id: author.user.id } });
    const resolved = await admin.marquee.moderation.resolve({ post_id: postId, note: 'Explicit', suspend_author: true });
    expect(resolved).toEqual({ detail: 'Reports resolved; the post is hidden.', post_id: postId, hidden: true, resolved_reports: 1, author_suspended: true });
    expect(await refusal(reporter.marquee.posts.get({ id: postId }))).toMatchObject({ status: 404, detail: 'Not found.' });
    const resolvedPage = await admin.marquee.moderation.queue({ state: 'resolved', page_size: 100 });
    expect(resolvedPage.results.find((r) => r.post_id === postId)?.last_action).toMatchObject({ action: 'resolve', note: 'Explicit' });
  });

  it('dismiss shows an automatically hidden post again', async () => {
    const other = await app();
    const postId = await createPost(db, other.user, { title: 'Brigaded' });
    for (let i = 0; i < 5; i += 1) await (await app()).marquee.posts.report({ post_id: postId, reason: 'spam' });
    expect(await refusal(reporter.marquee.posts.get({ id: postId }))).toMatchObject({ status: 404 });
    expect(await admin.marquee.moderation.dismiss({ post_id: postId, note: 'Brigading' })).toMatchObject({ hidden: false, dismissed_reports: 5 });
    expect((await reporter.marquee.posts.get({ id: postId })).id).toBe(postId);
    expect(await refusal(admin.marquee.moderation.dismiss({ post_id: postId }))).toMatchObject({ status: 409, detail: 'This post has no open reports.' });
  });

  it('non-admins get 403 and signed-out apps 401 from the admin calls', async () => {
    expect(await refusal(reporter.marquee.moderation.queue())).toMatchObject({ status: 403, detail: 'You do not have permission to perform this action.' });
    expect(await refusal(reporter.marquee.moderation.resolve({ post_id: 1 }))).toMatchObject({ status: 403 });
    expect(await refusal(signedOut.moderation.dismiss({ post_id: 1 }))).toMatchObject({ status: 401 });
  });

  it('refuses bad input before any request: 400 with fields', async () => {
    expect(await refusal(admin.marquee.moderation.queue({ state: 'closed' as never, reason: 'rude' as never }))).toMatchObject({
      status: 400, fields: { state: ['"closed" is not a valid choice.'], reason: ['"rude" is not a valid choice.'] },
    });
    expect(await refusal(admin.marquee.moderation.resolve({ post_id: 1, note: 'x'.repeat(1001) }))).toMatchObject({
      status: 400, fields: { note: ['Ensure this field has no more than 1000 characters.'] },
    });
    expect(await refusal(admin.marquee.moderation.dismiss({ post_id: -1 }))).toMatchObject({ status: 400, fields: { post_id: ['A valid integer is required.'] } });
    expect(await refusal(admin.marquee.moderation.queue({ page: 0 }))).toMatchObject({ status: 400, fields: { page: ['A valid integer greater than or equal to 1 is required.'] } });
  });
});
