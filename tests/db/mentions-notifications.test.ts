import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres, runAs } from '../helpers/db.ts';
import { asPostgresWithin, createAccount, type Account } from './accounts-fixtures.ts';
import { mentionNotifications, mentionsOf } from './tags-fixtures.ts';

/**
 * A new mention notifies the mentioned user once, through private.notify_event: never yourself,
 * never across a block, never when their preferences mute comments/mentions, never for a private
 * post; an edit that keeps a mention, or a text mention becoming explicit, does not notify again.
 */
let db: pg.Client;
let author: Account;
let jane: Account;
let muted: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await createAccount(db);
  jane = await createAccount(db);
  muted = await createAccount(db);
  await db.query('update public.notification_preferences set comments_notifications = false where user_id = $1', [muted.id]);
});
afterAll(async () => {
  await db.end();
});

/** Runs `work` as the author with a helper that writes a post; returns what `work` returns. */
function asAuthor<T>(work: (c: pg.Client, post: (title: string, description?: string, visibility?: string) => Promise<number>) => Promise<T>) {
  return runAs(db, asVisitor(author), (c) =>
    work(c, async (title, description = '', visibility = 'public') => {
      const { rows } = await c.query<{ id: string }>(
        'insert into public.posts (post_title, post_description, visibility) values ($1, $2, $3) returning id',
        [title, description, visibility],
      );
      return Number(rows[0]!.id);
    }),
  );
}

describe('mention notifications', () => {
  it('a text mention notifies the mentioned user with the author, page and post id', async () => {
    const { postId, rows } = await asAuthor(async (c, post) => {
      const id = await post(`Hello @${jane.username}`);
      return asPostgresWithin(c, async () => ({
        postId: id,
        rows: (await c.query(
          `select message, page, page_item_id::int as post, is_read from public.notifications
           where user_id = $1 and notification_type = 'mention'`,
          [jane.id],
        )).rows,
      }));
    });
    expect(rows).toEqual([{ message: `${author.username} mentioned you in a post.`, page: 'post', post: postId, is_read: false }]);
  });

  it('an edit that keeps the mention, a second explicit call and a text mention turning explicit notify nobody again', async () => {
    const counts = await asAuthor(async (c, post) => {
      const postId = await post(`Hi @${jane.username}`);
      await c.query('update public.posts set post_title = $2, post_description = $3 where id = $1', [postId, `Hi again @${jane.username}`, 'edited']);
      await c.query('select public.set_post_mentions($1, $2)', [postId, [jane.id]]);
      await c.query('select public.set_post_mentions($1, $2)', [postId, [jane.id]]);
      await c.query('update public.posts set post_title = $2 where id = $1', [postId, 'No names now']);
      return asPostgresWithin(c, async () => ({
        notifications: await mentionNotifications(c, jane, postId),
        mentions: await mentionsOf(c, postId, true),
      }));
    });
    expect(counts).toEqual({ notifications: 1, mentions: [`${jane.username}:explicit`] });
  });

  it('an explicit mention notifies once', async () => {
    const count = await asAuthor(async (c, post) => {
      const postId = await post('Plain');
      await c.query('select public.set_post_mentions($1, $2)', [postId, [jane.id]]);
      return asPostgresWithin(c, () => mentionNotifications(c, jane, postId));
    });
    expect(count).toBe(1);
  });

  it('a user whose preferences mute comments and mentions is linked but not notified', async () => {
    const result = await asAuthor(async (c, post) => {
      const postId = await post(`Hi @${muted.username}`);
      return asPostgresWithin(c, async () => ({ mentions: await mentionsOf(c, postId), notifications: await mentionNotifications(c, muted, postId) }));
    });
    expect(result).toEqual({ mentions: [muted.username], notifications: 0 });
  });

  it('a private post links the mention but notifies nobody (they could not open it)', async () => {
    const result = await asAuthor(async (c, post) => {
      const postId = await post(`Hi @${jane.username}`, '', 'private');
      return asPostgresWithin(c, async () => ({ mentions: await mentionsOf(c, postId), notifications: await mentionNotifications(c, jane, postId) }));
    });
    expect(result).toEqual({ mentions: [jane.username], notifications: 0 });
  });

  it('no notification to yourself or across a block, and no link either', async () => {
    const blocker = await createAccount(db);
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, author.id]);
    const result = await asAuthor(async (c, post) => {
      const postId = await post(`@${author.username} @${blocker.username}`);
      return asPostgresWithin(c, async () => ({
        mentions: await mentionsOf(c, postId),
        self: await mentionNotifications(c, author, postId),
        blocker: await mentionNotifications(c, blocker, postId),
      }));
    });
    expect(result).toEqual({ mentions: [], self: 0, blocker: 0 });
  });
});
