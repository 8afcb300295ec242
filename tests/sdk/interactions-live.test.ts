/**
 * A like and a comment reach the post's author live, through the existing notifications
 * subscription (Realtime postgres_changes under the notifications select policy), and a muted kind
 * does not: the comment, written after the muted like, is the sentinel that proves it.
 */
import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, createPostInteractionsApi, type MarqueeSupabaseClient, type Notification } from '../../sdk/src/index.ts';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { createPost, signedIn } from '../db/interactions-fixtures.ts';

const PASSWORD = 'Live-likes-2026!';
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => db?.end());

describe('like and comment notifications, live', { timeout: 60_000 }, () => {
  it('arrive for the author as they happen; a kind the author muted never does', async () => {
    const username = `live_${randomUUID().slice(0, 8)}`;
    const email = `${username}@example.com`;
    const { data, error } = await anonClient().auth.signUp({ email, password: PASSWORD, options: { data: { username } } });
    if (error || !data.user) throw error ?? new Error('no user');
    const stack = stackEnv();
    const author = createMarquee({
      url: stack.url,
      key: stack.anonKey,
      options: { auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: ws as never } },
    });
    await author.auth.signIn({ email, password: PASSWORD });
    const { rows } = await db.query<{ username: string }>('select username from public.profiles where id = $1', [data.user.id]);
    const post = await createPost(db, { id: data.user.id, email, username: rows[0]!.username });

    const inbox: Notification[] = [];
    const stop = await author.notifications.subscribe((n) => inbox.push(n));
    try {
      const fan = await signedIn(db);
      const fanApp = createMarquee({ client: fan.client as unknown as MarqueeSupabaseClient });
      await createPostInteractionsApi(fanApp.supabase).like({ post_id: post });
      await waitFor(() => inbox.some((n) => n.notification_type === 'like'), { timeoutMs: 5_000, what: 'the like notification' });

      await author.notifications.updatePreferences({ likes_notifications: false });
      const second = await signedIn(db);
      await createPostInteractionsApi(createMarquee({ client: second.client as unknown as MarqueeSupabaseClient }).supabase).like({ post_id: post });
      await fanApp.comments.create({ post_id: post, comment: 'Great post!' });
      await waitFor(() => inbox.some((n) => n.notification_type === 'comment'), { timeoutMs: 5_000, what: 'the comment notification' });

      expect(inbox.map((n) => [n.notification_type, n.message, n.page_item_id])).toEqual([
        ['like', `${fan.username} liked your post.`, post],
        ['comment', `${fan.username} commented on your post.`, post],
      ]);
    } finally {
      await stop();
    }
  });
});
