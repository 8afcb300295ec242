/**
 * `marquee.notifications.subscribe`: new notifications arrive live through Realtime, only the
 * subscriber's own, and only the kinds their preferences let through (the table's select policy
 * decides, as Realtime applies RLS to postgres_changes).
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, type Marquee, type Notification } from '../../sdk/src/index.ts';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { waitFor } from '../helpers/wait-for.ts';

const PASSWORD = 'Live-notes-2026!';

let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

async function signedInDevice(): Promise<{ marquee: Marquee; id: string }> {
  const email = `live-${randomUUID().slice(0, 8)}@example.com`;
  const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD });
  if (error || !data.user) throw error ?? new Error('no user');
  const stack = stackEnv();
  const marquee = createMarquee({
    url: stack.url,
    key: stack.anonKey,
    options: { auth: { persistSession: false, autoRefreshToken: false } },
    webSocket: ws, // createMarquee's own option: Node 20 has no global WebSocket
  });
  await marquee.auth.signIn({ email, password: PASSWORD });
  return { marquee, id: data.user.id };
}

const notify = (userId: string, type: string, message: string) =>
  db.query(`select private.notify($1, $2::public.notification_type, $3, 'profile')`, [userId, type, message]);

/** Waits (bounded) until `inbox` holds a notification with `message`. */
async function received(inbox: Notification[], message: string): Promise<Notification[]> {
  await waitFor(() => inbox.some((n) => n.message === message), { timeoutMs: 5_000, what: `the notification "${message}"` });
  return inbox;
}

describe('live notifications', () => {
  it('delivers the user\'s own new notifications of the kinds they want, and nothing else', async () => {
    const [me, someoneElse] = await Promise.all([signedInDevice(), signedInDevice()]);
    await me.marquee.notifications.updatePreferences({ likes_notifications: false });

    const inbox: Notification[] = [];
    const stop = await me.marquee.notifications.subscribe((n) => inbox.push(n));
    await notify(someoneElse.id, 'general', 'not for me');
    await notify(me.id, 'like', 'muted kind');
    await notify(me.id, 'follow', 'ada followed you');

    // The wanted notification was committed last: changes arrive in commit order, so the two
    // before it would have arrived first.
    const [first] = await received(inbox, 'ada followed you');
    expect(first).toMatchObject({ message: 'ada followed you', notification_type: 'follow', is_read: false, page: 'profile' });
    expect(inbox.map((n) => n.message)).toEqual(['ada followed you']);

    await stop();
    // Sentinel: a new subscription on the same socket gets the next notification; the stopped one
    // would have had it first.
    const after: Notification[] = [];
    const stopAfter = await me.marquee.notifications.subscribe((n) => after.push(n));
    await notify(me.id, 'follow', 'after stop');
    await received(after, 'after stop');
    await stopAfter();
    expect(inbox).toHaveLength(1);
  });
});
