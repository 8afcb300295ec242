/**
 * `marquee.creators` as an app uses it: apply (000's messages), read one's application in 000's
 * shape, an admin's queue and review through creator-review, the new role after a refresh, and the
 * errors each door answers.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarquee, isMarqueeError, type Marquee, type MarqueeError } from '../../sdk/src/index.ts';
import { createAccount, type TestUser } from '../functions/accounts.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';

let db: pg.Client;
let admin: Marquee;
let adminUser: TestUser;

/** One device signed in as `user`. */
async function device(user: TestUser): Promise<Marquee> {
  const stack = stackEnv();
  const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 254)}`;
  const marquee = createMarquee({
    url: stack.url,
    key: stack.anonKey,
    options: {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      global: { headers: { 'X-Forwarded-For': ip } },
    },
  });
  await marquee.auth.signIn({ email: user.email, password: user.password });
  return marquee;
}

async function failure(promise: Promise<unknown>): Promise<MarqueeError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`expected a failure, got ${JSON.stringify(outcome.value)}`);
  if (!isMarqueeError(outcome.error)) throw outcome.error;
  return outcome.error;
}

async function roleClaim(marquee: Marquee): Promise<unknown> {
  const { data } = await marquee.supabase.auth.getSession();
  return decodeJwt(data.session!.access_token).user_role;
}

beforeAll(async () => {
  db = await connectAsPostgres();
  adminUser = await createAccount();
  await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [adminUser.id]);
  admin = await device(adminUser);
});
afterAll(async () => db?.end());

describe('marquee.creators', { timeout: 60_000 }, () => {
  it('apply → pending → an admin approves from the queue → refresh → creator', async () => {
    const user = await createAccount();
    const app = await device(user);
    expect(await app.creators.application()).toEqual([]);
    expect(await app.creators.apply()).toEqual({ detail: 'Creator application submitted successfully.' });
    const again = await failure(app.creators.apply());
    expect({ status: again.status, detail: again.detail }).toEqual({ status: 400, detail: 'You have already applied for creator.' });

    const [mine] = await app.creators.application();
    expect(mine).toEqual({ id: expect.any(Number), user: user.id, application_status: '0', created_at: expect.any(String), review_note: null, reviewed_at: null });

    const queue = await admin.creators.applications({ status: 'pending', page_size: 100 });
    expect(queue.results.find((a) => a.id === mine!.id)).toMatchObject({ username: user.username, status: 'pending', reviewed_by: null });

    const reel = { post_title: 'My first reel', post_type: 'reel' as const, media_path: `${user.id}/reel.mp4` };
    const refused = await app.supabase.from('posts').insert(reel);
    expect(refused.error?.message).toBe('Only creators and admins can create reels and videos.');

    const approved = await admin.creators.review({ application_id: mine!.id, decision: 'approve' });
    expect(approved).toMatchObject({ id: mine!.id, application_status: '1', status: 'approved', reviewed_by: adminUser.id });

    expect(await roleClaim(app)).toBe('visitor');
    const refreshed = await app.supabase.auth.refreshSession();
    expect(refreshed.error).toBeNull();
    expect(await roleClaim(app)).toBe('creator');
    expect((await app.creators.application())[0]).toMatchObject({ application_status: '1', reviewed_at: expect.any(String) });
    // What the role is for: a reel.
    expect((await app.supabase.from('posts').insert(reel)).error).toBeNull();

    const twice = await failure(admin.creators.review({ application_id: mine!.id, decision: 'reject', note: 'No.' }));
    expect({ status: twice.status, detail: twice.detail }).toEqual({ status: 409, detail: 'This application has already been reviewed.' });
  });

  it('a rejection carries its note to the applicant', async () => {
    const user = await createAccount();
    const app = await device(user);
    await app.creators.apply();
    const [mine] = await app.creators.application();
    const noNote = await failure(admin.creators.review({ application_id: mine!.id, decision: 'reject' }));
    expect({ status: noNote.status, fields: noNote.fields }).toEqual({ status: 400, fields: { note: ['A note is required to reject an application.'] } });
    await admin.creators.review({ application_id: mine!.id, decision: 'reject', note: 'Post more first.' });
    expect((await app.creators.application())[0]).toMatchObject({ application_status: '2', review_note: 'Post more first.' });
    const rejected = await admin.creators.applications({ status: 'rejected', page_size: 100 });
    expect(rejected.results.find((a) => a.id === mine!.id)).toMatchObject({ review_note: 'Post more first.', reviewed_by: adminUser.id });
  });

  it('answers 403 to non-admins, 404 for a missing application, 400 for bad input', async () => {
    const user = await createAccount();
    const app = await device(user);
    await app.creators.apply();
    const [mine] = await app.creators.application();
    expect((await failure(app.creators.review({ application_id: mine!.id, decision: 'approve' }))).status).toBe(403);
    expect((await failure(app.creators.applications())).status).toBe(403);
    const missing = await failure(admin.creators.review({ application_id: 999_999_999, decision: 'approve' }));
    expect({ status: missing.status, detail: missing.detail }).toEqual({ status: 404, detail: 'Creator application not found.' });
    const badDecision = await failure(admin.creators.review({ application_id: mine!.id, decision: 'maybe' as never }));
    expect(badDecision.fields).toEqual({ decision: ['"maybe" is not a valid choice.'] });
    const badStatus = await failure(admin.creators.applications({ status: 'old' as never }));
    expect(badStatus.fields).toEqual({ status: ['"old" is not a valid choice.'] });
    expect((await app.creators.application())[0]).toMatchObject({ application_status: '0' });
  });
});
