/**
 * `marquee.social` and the notification extras as an app uses them: follow and block toggles with
 * 000's messages, followers and following pages, the friends journey, the notification list's type
 * and unread filters with unread_count, deleting one, push tokens per device, and a follow
 * notification arriving live over `notifications.subscribe`.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, isMarqueeError, type Marquee, type MarqueeError, type Notification } from '../../sdk/src/index.ts';
import { createAccount, type TestUser } from '../functions/accounts.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { waitFor } from '../helpers/wait-for.ts';

let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

/** One device signed in as `user`. */
async function device(user: TestUser): Promise<Marquee> {
  const stack = stackEnv();
  const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 254)}`;
  const marquee = createMarquee({
    url: stack.url,
    key: stack.anonKey,
    options: {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: ws as never },
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

describe('marquee.social', { timeout: 60_000 }, () => {
  it('follows and blocks with 000\'s messages, the counts and the lists', async () => {
    const [john, jane] = await Promise.all([createAccount(), createAccount()]);
    const [app, janeApp] = await Promise.all([device(john), device(jane)]);

    expect(await app.social.toggleFollow({ user_id: jane.id })).toEqual({ detail: `Successfully followed ${jane.username}.` });
    const profile = await app.supabase.from('public_profiles').select('follower_count, followed_by_user').eq('id', jane.id).single();
    expect(profile.data).toEqual({ follower_count: 1, followed_by_user: true });

    const followers = await janeApp.social.followers({ user_id: jane.id });
    expect(followers).toMatchObject({ count: 1, page: 1, page_size: 20, total_pages: 1, next: null, previous: null });
    expect(followers.results.map((u) => u.username)).toEqual([john.username]);
    expect((await janeApp.social.following({ user_id: john.id })).results.map((u) => u.id)).toEqual([jane.id]);

    expect(await app.social.toggleFollow({ user_id: jane.id })).toEqual({ detail: `Successfully unfollowed ${jane.username}.` });
    expect(await app.social.toggleBlock({ user_id: jane.id })).toEqual({ detail: `Successfully blocked ${jane.username}.` });
    expect(await failure(app.social.toggleFollow({ user_id: jane.id }))).toMatchObject({ status: 403, detail: 'You cannot follow a user you have blocked.' });
    expect(await failure(janeApp.social.toggleFollow({ user_id: john.id }))).toMatchObject({ status: 404, detail: 'User not found.' });
    expect(await app.social.toggleBlock({ user_id: jane.id })).toEqual({ detail: `Successfully unblocked ${jane.username}.` });

    expect(await failure(app.social.toggleFollow({ user_id: john.id }))).toMatchObject({ status: 400, detail: 'You cannot follow yourself.' });
    expect(await failure(app.social.toggleFollow({ user_id: 'not-a-uuid' }))).toMatchObject({ status: 400, fields: { user_id: ['Must be a valid UUID.'] } });
  });

  it('walks the friends journey', async () => {
    const [ana, ben] = await Promise.all([createAccount(), createAccount()]);
    const [anaApp, benApp] = await Promise.all([device(ana), device(ben)]);

    expect(await anaApp.social.sendFriendRequest({ user_id: ben.id })).toEqual({ detail: `Friend request sent to ${ben.username}.` });
    expect(await failure(anaApp.social.sendFriendRequest({ user_id: ben.id }))).toMatchObject({ status: 409 });
    const incoming = await benApp.social.friendRequests({ direction: 'incoming' });
    expect(incoming.results).toMatchObject([{ direction: 'incoming', user_id: ana.id, username: ana.username }]);
    expect((await anaApp.social.friendRequests({ direction: 'incoming' })).count).toBe(0);

    expect(await benApp.social.acceptFriendRequest({ user_id: ana.id })).toEqual({ detail: `You are now friends with ${ana.username}.` });
    const friends = await anaApp.social.friends({ page_size: 1 });
    expect(friends).toMatchObject({ count: 1, page_size: 1, results: [{ id: ben.id, username: ben.username }] });

    const kinds = await anaApp.notifications.list({ type: 'friend_accepted' });
    expect(kinds.results.map((n) => n.message)).toEqual([`${ben.username} accepted your friend request.`]);

    expect(await anaApp.social.unfriend({ user_id: ben.id })).toEqual({ detail: `You are no longer friends with ${ben.username}.` });
    expect((await benApp.social.friends()).count).toBe(0);
  });
});

describe('marquee.notifications extras', { timeout: 60_000 }, () => {
  it('filters by type and unread, answers unread_count, deletes one', async () => {
    const [me, fan1, fan2] = await Promise.all([createAccount(), createAccount(), createAccount()]);
    const [app, fan1App, fan2App] = await Promise.all([device(me), device(fan1), device(fan2)]);
    await fan1App.social.toggleFollow({ user_id: me.id });
    await fan2App.social.toggleFollow({ user_id: me.id });

    const all = await app.notifications.list();
    // The welcome notification and two follows, all unread.
    expect(all).toMatchObject({ count: 3, unread_count: 3 });
    const follows = await app.notifications.list({ type: 'follow' });
    expect(follows.results.map((n) => n.message)).toEqual([`${fan2.username} started following you.`, `${fan1.username} started following you.`]);

    await app.notifications.markRead({ id: follows.results[0]!.id });
    const unread = await app.notifications.list({ unread: true });
    expect(unread).toMatchObject({ count: 2, unread_count: 2 });
    expect((await app.notifications.list({ type: 'follow', unread: true })).results.map((n) => n.id)).toEqual([follows.results[1]!.id]);

    expect(await app.notifications.remove({ id: follows.results[1]!.id })).toEqual({ detail: 'Notification deleted.' });
    expect(await failure(app.notifications.remove({ id: follows.results[1]!.id }))).toMatchObject({ status: 404, detail: 'Not found.' });
    expect(await failure(fan1App.notifications.remove({ id: follows.results[0]!.id }))).toMatchObject({ status: 404 });
    expect(await app.notifications.list()).toMatchObject({ count: 2, unread_count: 1 });

    expect(await failure(app.notifications.list({ type: 'party' as never }))).toMatchObject({ status: 400, fields: { type: ['"party" is not a valid choice.'] } });
  });

  it('registers one push token per device, gone when that device signs out', async () => {
    const me = await createAccount();
    const [phone, laptop] = [await device(me), await device(me)];
    expect(await phone.notifications.registerPushToken({ token: 'phone-1', platform: 'ios' })).toEqual({ detail: 'Push token updated.' });
    await phone.notifications.registerPushToken({ token: 'phone-2', platform: 'ios' });
    await laptop.notifications.registerPushToken({ token: 'laptop-1', platform: 'web' });
    const tokens = async () => (await db.query('select token from public.push_tokens where user_id = $1 order by token', [me.id])).rows.map((r) => r.token);
    expect(await tokens()).toEqual(['laptop-1', 'phone-2']);

    await phone.auth.signOut({ scope: 'local' });
    expect(await tokens()).toEqual(['laptop-1']);
    expect(await laptop.notifications.removePushToken({ token: 'laptop-1' })).toEqual({ detail: 'Push token removed.' });
    expect(await tokens()).toEqual([]);
    expect(await failure(laptop.notifications.registerPushToken({ token: 'x', platform: 'symbian' as never }))).toMatchObject({
      status: 400,
      fields: { platform: ['"symbian" is not a valid choice.'] },
    });
  });

  it('a follow notification arrives live over the existing subscription', async () => {
    const [me, fan] = await Promise.all([createAccount(), createAccount()]);
    const [app, fanApp] = await Promise.all([device(me), device(fan)]);
    const inbox: Notification[] = [];
    const stop = await app.notifications.subscribe((n) => inbox.push(n));
    try {
      await fanApp.social.toggleFollow({ user_id: me.id });
      const message = `${fan.username} started following you.`;
      await waitFor(() => inbox.some((n) => n.message === message), { timeoutMs: 5_000, what: 'the live follow notification' });
      expect(inbox).toMatchObject([{ message, notification_type: 'follow', is_read: false, page: 'profile' }]);
    } finally {
      await stop();
    }
  });
});
