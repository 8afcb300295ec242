import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres, createUser, sqlstateOf } from '../helpers/db.ts';
import { uniqueTag } from './accounts-fixtures.ts';

/**
 * The signup trigger (private.handle_new_user on auth.users): every new auth user gets a profile,
 * personal details, the visitor role, notification preferences and the welcome notification in the
 * same transaction; a bad or taken username fails the signup and leaves nothing behind.
 */
let db: pg.Client;
beforeAll(async () => {
  db = await connectAsPostgres();
});
afterAll(async () => {
  await db.end();
});

const emailFor = () => `signup-${uniqueTag()}@marquee.test`;

/** Everything the trigger writes for one user, read as postgres. */
async function accountRows(userId: string) {
  const one = async (sql: string) => (await db.query(sql, [userId])).rows;
  return {
    profiles: await one(
      `select username::text, first_name, last_name, user_type, status, profile_pic from public.profiles where id = $1`,
    ),
    details: await one(`select to_char(birthday, 'YYYY-MM-DD') as birthday, user_phone, user_address from public.personal_details where user_id = $1`),
    roles: await one(`select role from public.user_roles where user_id = $1`),
    preferences: await one(
      `select all_notifications, email_notifications, push_notifications, follow_notifications, likes_notifications,
              comments_notifications, new_events_notifications, event_reminders_notifications
       from public.notification_preferences where user_id = $1`,
    ),
    notifications: await one(
      `select message, notification_type, page, page_item_id, is_read from public.notifications where user_id = $1`,
    ),
  };
}

describe('a new auth user', () => {
  it('gets a profile, personal details, the visitor role, preferences and the welcome notification', async () => {
    const username = `Signup_${uniqueTag()}`;
    const user = await createUser(db, emailFor(), {
      metadata: { username, first_name: '  Ada ', last_name: 'Lovelace', birthday: '1990-12-10' },
    });
    expect(await accountRows(user.id)).toEqual({
      profiles: [{ username, first_name: 'Ada', last_name: 'Lovelace', user_type: 'regular', status: 'active', profile_pic: null }],
      details: [{ birthday: '1990-12-10', user_phone: '', user_address: '' }],
      roles: [{ role: 'visitor' }],
      preferences: [
        {
          all_notifications: true,
          email_notifications: true,
          push_notifications: true,
          follow_notifications: true,
          likes_notifications: true,
          comments_notifications: true,
          new_events_notifications: true,
          event_reminders_notifications: true,
        },
      ],
      notifications: [
        {
          message: `Welcome ${username}! Your account has been successfully created.`,
          notification_type: 'general',
          page: 'profile',
          page_item_id: null,
          is_read: false,
        },
      ],
    });
  });

  it.each([
    ['no metadata', {}],
    ['a blank username', { username: '   ' }],
  ])('with %s gets a generated user_<hex> username and the 2000-01-01 birthday', async (_name, metadata) => {
    const user = await createUser(db, emailFor(), { metadata });
    const rows = await accountRows(user.id);
    const expected = `user_${user.id.replaceAll('-', '').slice(0, 12)}`;
    expect(rows.profiles[0]).toMatchObject({ username: expected, first_name: '', last_name: '' });
    expect(rows.details).toEqual([{ birthday: '2000-01-01', user_phone: '', user_address: '' }]);
    expect(rows.notifications[0]?.message).toBe(`Welcome ${expected}! Your account has been successfully created.`);
  });

  it('a name longer than 50 characters is cut to 50, not rejected', async () => {
    const user = await createUser(db, emailFor(), { metadata: { first_name: 'x'.repeat(80) } });
    expect((await accountRows(user.id)).profiles[0]?.first_name).toBe('x'.repeat(50));
  });

  // Valid edge cases run in a rolled-back transaction, so short names never collide between runs.
  it.each([
    ['3 characters (the minimum)', () => `a${uniqueTag().slice(0, 2)}`],
    ['50 characters (the maximum)', () => `b${uniqueTag()}`.padEnd(50, 'z')],
    ['dots, underscores and digits', () => `j.doe_${uniqueTag()}`],
  ])('accepts a username of %s', async (_name, make) => {
    const username = make();
    await db.query('begin');
    try {
      const user = await createUser(db, emailFor(), { metadata: { username } });
      expect((await accountRows(user.id)).profiles[0]?.username).toBe(username);
    } finally {
      await db.query('rollback');
    }
  });
});

describe('a signup the trigger refuses leaves nothing behind', () => {
  /** Signs up with `metadata`; returns the error code and how many rows now name the email or username. */
  async function refusedSignup(metadata: Record<string, unknown>) {
    const email = emailFor();
    const code = await sqlstateOf(createUser(db, email, { metadata }));
    const { rows } = await db.query(
      `select (select count(*) from auth.users where email = $1)::int as users,
              (select count(*) from public.profiles where username::text = $2)::int as profiles,
              (select count(*) from public.notifications
                where message = format('Welcome %s! Your account has been successfully created.', $2::text))::int as notifications`,
      [email, String(metadata.username ?? '')],
    );
    return { code, ...rows[0] };
  }

  it.each([
    ['SQL injection text', `x'); delete from public.profiles; --`],
    ['a quote', `o'neil_${uniqueTag()}`],
    ['a Cyrillic look-alike letter', `\u0430dmin_${uniqueTag()}`],
    ['a Greek look-alike letter', `\u03bfscar_${uniqueTag()}`],
    ['a full-width letter', `\uff41lice_${uniqueTag()}`],
    ['2 characters (too short)', 'ab'],
    ['51 characters (too long)', `c${uniqueTag()}`.padEnd(51, 'z')],
    ['a space inside', `john ${uniqueTag()}`],
    ['a hyphen', `john-${uniqueTag()}`],
    ['an at sign', `john@${uniqueTag()}`],
    ['a trailing newline', `john_${uniqueTag()}\n`],
  ])('rejects a username with %s (22023)', async (_name, username) => {
    expect(await refusedSignup({ username })).toEqual({ code: '22023', users: 0, profiles: 0, notifications: 0 });
  });

  it('rejects a taken username, compared case-insensitively (23505)', async () => {
    const username = `Taken_${uniqueTag()}`;
    await createUser(db, emailFor(), { metadata: { username } });
    const result = await refusedSignup({ username: username.toLowerCase() });
    expect(result.code).toBe('23505');
    expect(result.users).toBe(0);
    const { rows } = await db.query('select count(*)::int as n from public.profiles where username = $1::extensions.citext', [username]);
    expect(rows[0].n).toBe(1);
  });

  it.each([
    ['a day-first date', '10/12/1990', '22007'],
    ['a non-date', 'yesterday', '22007'],
    ['an impossible date', '1990-02-30', '22008'],
  ])('rejects a birthday that is %s', async (_name, birthday, code) => {
    expect(await refusedSignup({ username: `bday_${uniqueTag()}`, birthday })).toMatchObject({ code, users: 0, profiles: 0 });
  });
});

/**
 * The migration's backfill (private.setup_account in lenient mode) for users who existed before
 * the accounts schema: the user's rows are removed as postgres to stand for such a user.
 */
describe('users from before the accounts schema get the same rows, leniently', () => {
  async function userWithoutAccountRows(metadata: Record<string, unknown>) {
    // Metadata the signup trigger would refuse is set afterwards, as an older signup could have left it.
    const user = await createUser(db, emailFor());
    await db.query('update auth.users set raw_user_meta_data = $2 where id = $1', [user.id, JSON.stringify(metadata)]);
    await db.query('delete from public.notifications where user_id = $1', [user.id]);
    await db.query('delete from public.notification_preferences where user_id = $1', [user.id]);
    await db.query('delete from public.user_roles where user_id = $1', [user.id]);
    await db.query('delete from public.profiles where id = $1', [user.id]);
    return user;
  }
  const backfill = (user: { id: string }) =>
    db.query('select private.setup_account(id, raw_user_meta_data, false) from auth.users where id = $1', [user.id]);

  it('keeps a valid free username and the birthday from metadata', async () => {
    const username = `old_${uniqueTag()}`;
    const user = await userWithoutAccountRows({ username, birthday: '1990-04-05' });
    await backfill(user);
    const rows = await accountRows(user.id);
    expect(rows.profiles[0]?.username).toBe(username);
    expect(rows.details[0]?.birthday).toBe('1990-04-05');
    expect(rows.roles).toEqual([{ role: 'visitor' }]);
    expect(rows.preferences).toHaveLength(1);
    expect(rows.notifications).toHaveLength(1);
  });

  it.each([
    ['a taken username', () => ({ username: 'alice' })],
    ['an invalid username', () => ({ username: 'no spaces allowed' })],
  ])('falls back to a generated username for %s, and to the default birthday for a bad one', async (_case, metadata) => {
    const user = await userWithoutAccountRows({ ...metadata(), birthday: '1990-02-31' });
    await backfill(user);
    const rows = await accountRows(user.id);
    expect(rows.profiles[0]?.username).toBe(`user_${user.id.replaceAll('-', '').slice(0, 12)}`);
    expect(rows.details[0]?.birthday).toBe('2000-01-01');
  });
});
