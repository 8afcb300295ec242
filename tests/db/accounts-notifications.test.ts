import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, asAnon, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { column, createAccount, rowCount, type Account } from './accounts-fixtures.ts';

/**
 * Notifications: the owner reads those their preferences let through, marks them read (is_read
 * only) and deletes them; nobody else sees or touches them; all_notifications = false turns every
 * other flag off.
 */
let db: pg.Client;
let owner: Account;
let other: Account;
let admin: Account;

const TYPES = ['general', 'follow', 'like', 'comment', 'new_event', 'event_reminder'] as const;
const FLAGS = [
  'email_notifications',
  'push_notifications',
  'follow_notifications',
  'likes_notifications',
  'comments_notifications',
  'new_events_notifications',
  'event_reminders_notifications',
] as const;

beforeAll(async () => {
  db = await connectAsPostgres();
  [owner, other, admin] = await Promise.all([createAccount(db), createAccount(db), createAccount(db, { role: 'admin' })]);
  // One notification of each kind besides the welcome one (general), written as the system does.
  for (const type of TYPES.filter((t) => t !== 'general')) {
    await db.query(`select private.notify($1, $2, $3, 'post', 7)`, [owner.id, type, `a ${type}`]);
  }
});
afterAll(async () => {
  await db.end();
});

const typesSeenBy = (actor: Actor, userId: string, before?: string) =>
  runAs(db, actor, async (c) => {
    if (before) await c.query(before, [userId]);
    return column(c, 'select n.notification_type::text from public.notifications n where n.user_id = $1 order by n.notification_type', [userId]);
  });

describe('reading notifications', () => {
  it('the owner reads all of them with the default preferences', async () => {
    expect(await typesSeenBy(asVisitor(owner), owner.id)).toEqual([...TYPES]);
  });

  it.each([
    ['another user', () => asVisitor(other)],
    ['an admin', () => asAdmin(admin)],
    ['anon', () => asAnon()],
  ])("%s reads none of the owner's", async (_name, actor) => {
    expect(await typesSeenBy(actor(), owner.id)).toEqual([]);
  });

  it.each([
    ['follow_notifications', 'follow'],
    ['likes_notifications', 'like'],
    ['comments_notifications', 'comment'],
    ['new_events_notifications', 'new_event'],
    ['event_reminders_notifications', 'event_reminder'],
  ])('turning %s off hides %s notifications only', async (flag, type) => {
    const seen = await typesSeenBy(asVisitor(owner), owner.id, `update public.notification_preferences set ${flag} = false where user_id = $1`);
    expect(seen).toEqual(TYPES.filter((t) => t !== type));
  });

  it('turning all_notifications off turns every flag off and hides everything, general included', async () => {
    const result = await runAs(db, asVisitor(owner), async (c) => {
      await c.query('update public.notification_preferences set all_notifications = false where user_id = $1', [owner.id]);
      const flags = (await c.query(`select ${FLAGS.join(', ')} from public.notification_preferences where user_id = $1`, [owner.id])).rows[0];
      const seen = await rowCount(c, 'select 1 from public.notifications where user_id = $1', [owner.id]);
      return { flags, seen };
    });
    expect(result).toEqual({ flags: Object.fromEntries(FLAGS.map((f) => [f, false])), seen: 0 });
  });

  it('a flag cannot be turned on while all_notifications is off', async () => {
    const likes = await runAs(db, asVisitor(owner), async (c) => {
      await c.query('update public.notification_preferences set all_notifications = false where user_id = $1', [owner.id]);
      const { rows } = await c.query(
        'update public.notification_preferences set likes_notifications = true where user_id = $1 returning likes_notifications',
        [owner.id],
      );
      return rows[0].likes_notifications;
    });
    expect(likes).toBe(false);
  });
});

describe('notification preferences', () => {
  it.each([
    ['the owner', 1, () => asVisitor(owner)],
    ['another user', 0, () => asVisitor(other)],
    ['an admin', 0, () => asAdmin(admin)],
    ['anon', 0, () => asAnon()],
  ])('%s reads %i rows of them', async (_name, expected, actor) => {
    expect(await runAs(db, actor(), (c) => rowCount(c, 'select 1 from public.notification_preferences where user_id = $1', [owner.id]))).toBe(
      expected,
    );
  });

  it.each([
    ['the owner', 1, () => asVisitor(owner)],
    ['another user', 0, () => asVisitor(other)],
    ['an admin', 0, () => asAdmin(admin)],
  ])('%s updates %i rows of them', async (_name, expected, actor) => {
    const count = await runAs(db, actor(), (c) =>
      rowCount(c, 'update public.notification_preferences set push_notifications = false where user_id = $1', [owner.id]),
    );
    expect(count).toBe(expected);
  });

  it.each([
    ['user_id', `update public.notification_preferences set user_id = user_id where user_id = $1`],
    ['updated_at', `update public.notification_preferences set updated_at = now() where user_id = $1`],
    ['an insert', `insert into public.notification_preferences (user_id) values ($1)`],
    ['a delete', `delete from public.notification_preferences where user_id = $1`],
    ['anon, a flag', `update public.notification_preferences set push_notifications = false where user_id = $1`],
  ])('%s is refused (42501)', async (name, sql) => {
    const actor = name.startsWith('anon') ? asAnon() : asVisitor(owner);
    expect(await sqlstateOf(runAs(db, actor, (c) => c.query(sql, [owner.id])))).toBe('42501');
  });
});

describe('changing notifications', () => {
  it.each([
    ['the owner', 6, () => asVisitor(owner)],
    ['another user', 0, () => asVisitor(other)],
    ['an admin', 0, () => asAdmin(admin)],
  ])('%s marks %i of them read', async (_name, expected, actor) => {
    const count = await runAs(db, actor(), (c) => rowCount(c, 'update public.notifications set is_read = true where user_id = $1', [owner.id]));
    expect(count).toBe(expected);
  });

  it.each([
    ['the owner', 6, () => asVisitor(owner)],
    ['another user', 0, () => asVisitor(other)],
    ['an admin', 0, () => asAdmin(admin)],
  ])('%s deletes %i of them', async (_name, expected, actor) => {
    const count = await runAs(db, actor(), (c) => rowCount(c, 'delete from public.notifications where user_id = $1', [owner.id]));
    expect(count).toBe(expected);
  });

  it.each([
    ['message', `update public.notifications set message = 'forged' where user_id = $1`],
    ['notification_type', `update public.notifications set notification_type = 'general' where user_id = $1`],
    ['user_id', `update public.notifications set user_id = user_id where user_id = $1`],
    ['page', `update public.notifications set page = 'x' where user_id = $1`],
    ['created_at', `update public.notifications set created_at = now() where user_id = $1`],
    ['an insert', `insert into public.notifications (user_id, message) values ($1, 'forged')`],
  ])('the owner cannot change %s (42501)', async (_name, sql) => {
    expect(await sqlstateOf(runAs(db, asVisitor(owner), (c) => c.query(sql, [owner.id])))).toBe('42501');
  });

  it.each([
    ['anon', () => asAnon()],
    ['another user', () => asVisitor(other)],
  ])('%s cannot write a notification for the owner (42501)', async (_name, actor) => {
    const insert = runAs(db, actor(), (c) => c.query(`insert into public.notifications (user_id, message) values ($1, 'spam')`, [owner.id]));
    expect(await sqlstateOf(insert)).toBe('42501');
  });

  it.each([
    ['anon', () => asAnon()],
    ['a signed-in user', () => asVisitor(owner)],
  ])('%s cannot call private.notify (42501)', async (_name, actor) => {
    const call = runAs(db, actor(), (c) => c.query(`select private.notify($1, 'general', 'spam')`, [owner.id]));
    expect(await sqlstateOf(call)).toBe('42501');
  });
});

describe('mark_all_notifications_read', () => {
  it("returns how many it changed, only the caller's, and 0 the second time", async () => {
    const result = await runAs(db, asVisitor(owner), async (c) => {
      await c.query(`update public.notifications set is_read = true where user_id = $1 and notification_type = 'like'`, [owner.id]);
      const first = (await c.query('select public.mark_all_notifications_read() as n')).rows[0].n;
      const second = (await c.query('select public.mark_all_notifications_read() as n')).rows[0].n;
      const unread = await rowCount(c, 'select 1 from public.notifications where user_id = $1 and not is_read', [owner.id]);
      await c.query('reset role');
      const othersUnread = await rowCount(c, 'select 1 from public.notifications where user_id = $1 and not is_read', [other.id]);
      return { first, second, unread, othersUnread };
    });
    expect(result).toEqual({ first: 5, second: 0, unread: 0, othersUnread: 1 });
  });

  it('anon cannot call it (42501)', async () => {
    expect(await sqlstateOf(runAs(db, asAnon(), (c) => c.query('select public.mark_all_notifications_read()')))).toBe('42501');
  });
});
