import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { asPostgresWithin, column, createAccount, rowCount, type Account } from './accounts-fixtures.ts';

/**
 * Profiles as each role sees them: anon and other users see active profiles; the owner and admins see
 * any; blocked users (either way) never see each other, in profiles, public_profiles and follows.
 */
let db: pg.Client;
let owner: Account;
let other: Account;
let creator: Account;
let admin: Account;
let deactivated: Account;
let suspended: Account;
let banned: Account;
let blocker: Account;
let blockee: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  [owner, other, creator, admin, deactivated, suspended, banned, blocker, blockee] = await Promise.all([
    createAccount(db),
    createAccount(db),
    createAccount(db, { role: 'creator' }),
    createAccount(db, { role: 'admin' }),
    createAccount(db, { status: 'deactivated' }),
    createAccount(db, { status: 'suspended' }),
    createAccount(db, { status: 'banned' }),
    createAccount(db),
    createAccount(db),
  ]);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, blockee.id]);
  // The admin blocked `other` too: admins still see everyone, with the block reported.
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [admin.id, other.id]);
  // owner follows creator; blockee follows owner (so a follow row involves the blocked side).
  await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2), ($3, $1)', [
    owner.id,
    creator.id,
    blockee.id,
  ]);
});
afterAll(async () => {
  await db.end();
});

type Who = 'anon' | 'owner' | 'other' | 'creator' | 'admin' | 'deactivated' | 'suspended' | 'banned' | 'blocker' | 'blockee';
// Phone numbers are unique across accounts: each test takes its own.
const newPhone = () => `+1555${randomInt(1_000_000, 9_999_999)}`;

const account = (who: Exclude<Who, 'anon'>) =>
  ({ owner, other, creator, admin, deactivated, suspended, banned, blocker, blockee })[who];
/** Each viewer with the claims the token hook would give them. */
function actor(who: Who): Actor {
  switch (who) {
    case 'anon':
      return asAnon();
    case 'admin':
      return asAdmin(admin);
    case 'creator':
      return asAccount(creator, 'active', 'creator');
    case 'deactivated':
    case 'suspended':
    case 'banned':
      return asAccount(account(who), who);
    default:
      return asVisitor(account(who));
  }
}

/** The parameters `sql` uses ($1…$n) of `params`: Postgres refuses extra ones. */
const withParams = (sql: string, params: unknown[]) =>
  params.slice(0, Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]))));

const sees = (viewer: Who, target: Exclude<Who, 'anon'>, relation: 'profiles' | 'public_profiles') =>
  runAs(db, actor(viewer), async (c) => (await rowCount(c, `select 1 from public.${relation} where id = $1`, [account(target).id])) === 1);

describe('who sees which profile', () => {
  const cases: [Who, Exclude<Who, 'anon'>, boolean][] = [
    ['anon', 'owner', true],
    ['anon', 'deactivated', false],
    ['anon', 'suspended', false],
    ['anon', 'banned', false],
    ['other', 'owner', true],
    ['other', 'deactivated', false],
    ['other', 'suspended', false],
    ['other', 'banned', false],
    ['deactivated', 'deactivated', true],
    ['suspended', 'suspended', true],
    ['banned', 'banned', true],
    ['admin', 'deactivated', true],
    ['admin', 'suspended', true],
    ['admin', 'banned', true],
    ['admin', 'other', true],
    ['blocker', 'blockee', false],
    ['blockee', 'blocker', false],
    ['other', 'blocker', true],
    ['other', 'blockee', true],
    ['blocker', 'owner', true],
    ['suspended', 'owner', true],
    ['suspended', 'banned', false],
  ];
  it.each(cases)('%s sees %s in profiles: %s', async (viewer, target, expected) => {
    expect(await sees(viewer, target, 'profiles')).toBe(expected);
  });
  it.each(cases)('%s sees %s in public_profiles: %s', async (viewer, target, expected) => {
    expect(await sees(viewer, target, 'public_profiles')).toBe(expected);
  });
});

describe('public_profiles reports the viewer-relative fields', () => {
  const viewOf = (viewer: Actor, target: Account) =>
    runAs(db, viewer, async (c) =>
      (
        await c.query(
          'select username, user_group, status, followed_by_user, blocked_by_user from public.public_profiles where id = $1',
          [target.id],
        )
      ).rows[0],
    );

  it.each([
    ['owner follows creator', () => asVisitor(owner), () => creator, { user_group: 'creator', followed_by_user: true, blocked_by_user: false }],
    ['other does not follow creator', () => asVisitor(other), () => creator, { user_group: 'creator', followed_by_user: false, blocked_by_user: false }],
    ['anon', () => asAnon(), () => creator, { user_group: 'creator', followed_by_user: false, blocked_by_user: false }],
    ['the admin blocked other', () => asAdmin(admin), () => other, { user_group: 'visitor', followed_by_user: false, blocked_by_user: true }],
    // Who the admins are is not public: to everyone else an admin shows as a visitor.
    ['owner views the admin', () => asVisitor(owner), () => admin, { user_group: 'visitor', followed_by_user: false, blocked_by_user: false }],
    ['anon views the admin', () => asAnon(), () => admin, { user_group: 'visitor', followed_by_user: false, blocked_by_user: false }],
    ['the admin views themself', () => asAdmin(admin), () => admin, { user_group: 'admin', followed_by_user: false, blocked_by_user: false }],
  ])('%s', async (_name, viewer, target, expected) => {
    expect(await viewOf(viewer(), target())).toMatchObject({ username: target().username, status: 'active', ...expected });
  });
});

describe('follows and blocks between blocked users', () => {
  const followRowsOf = (who: Who) =>
    runAs(db, actor(who), (c) =>
      rowCount(c, 'select 1 from public.follows where follower_id = $1 and followed_id = $2', [blockee.id, owner.id]),
    );

  it.each([
    ['anon', 1],
    ['owner', 1],
    ['other', 1],
    ['blocker', 0],
  ] as [Who, number][])("%s sees %i follow rows of the blocker's blocked user", async (who, expected) => {
    expect(await followRowsOf(who)).toBe(expected);
  });

  it.each([
    ['blocker', 1],
    ['blockee', 0],
    ['other', 0],
    ['anon', 0],
  ] as [Who, number][])('%s sees %i rows of the block', async (who, expected) => {
    const count = await runAs(db, actor(who), (c) =>
      rowCount(c, 'select 1 from public.blocks where blocker_id = $1 and blocked_id = $2', [blocker.id, blockee.id]),
    );
    expect(count).toBe(expected);
  });

  it.each([
    ['the blocker follows the blocked user', () => blocker, () => blockee],
    ['the blocked user follows the blocker', () => blockee, () => blocker],
  ])('%s: refused (42501)', async (_name, from, to) => {
    const insert = runAs(db, asVisitor(from()), (c) =>
      c.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [from().id, to().id]),
    );
    expect(await sqlstateOf(insert)).toBe('42501');
  });

  it('an active user follows someone they are not blocked with', async () => {
    const count = await runAs(db, asVisitor(other), (c) =>
      rowCount(c, 'insert into public.follows (follower_id, followed_id) values ($1, $2)', [other.id, creator.id]),
    );
    expect(count).toBe(1);
  });

  it.each([
    ['a follow in another user’s name', '42501', 'insert into public.follows (follower_id, followed_id) values ($2, $1)'],
    ['a block in another user’s name', '42501', 'insert into public.blocks (blocker_id, blocked_id) values ($2, $1)'],
    ['following oneself', '23514', 'insert into public.follows (follower_id, followed_id) values ($1, $1)'],
    ['blocking oneself', '23514', 'insert into public.blocks (blocker_id, blocked_id) values ($1, $1)'],
    ['editing a follow', '42501', 'update public.follows set created_at = now() where follower_id = $1 and followed_id <> $2'],
    ['editing a block', '42501', 'update public.blocks set created_at = now() where blocker_id = $1 and blocked_id <> $2'],
  ])('%s is refused (%s)', async (_name, code, sql) => {
    expect(await sqlstateOf(runAs(db, asVisitor(other), (c) => c.query(sql, withParams(sql, [other.id, owner.id]))))).toBe(code);
  });

  it('anon can neither follow nor block (42501)', async () => {
    const codes = [];
    for (const table of ['follows (follower_id, followed_id)', 'blocks (blocker_id, blocked_id)']) {
      codes.push(await sqlstateOf(runAs(db, asAnon(), (c) => c.query(`insert into public.${table} values ($1, $2)`, [owner.id, creator.id]))));
    }
    expect(codes).toEqual(['42501', '42501']);
  });

  it('a block ends the follows between the two, both ways', async () => {
    const followsBetween = (c: pg.Client) =>
      asPostgresWithin(c, () =>
        rowCount(c, 'select 1 from public.follows where (follower_id, followed_id) in (($1, $2), ($2, $1))', [owner.id, creator.id]),
      );
    const [before, after] = await runAs(db, asVisitor(owner), async (c) => {
      // owner already follows creator; creator follows back.
      await asPostgresWithin(c, () => c.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [creator.id, owner.id]));
      const before = await followsBetween(c);
      await c.query('set local role authenticated');
      await c.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [owner.id, creator.id]);
      return [before, await followsBetween(c)];
    });
    expect({ before, after }).toEqual({ before: 2, after: 0 });
  });

  it.each([
    ['the blocker', 1, () => blocker],
    ['the blocked user', 0, () => blockee],
  ])('%s unblocks: %i rows', async (_name, expected, who) => {
    const count = await runAs(db, asVisitor(who()), (c) =>
      rowCount(c, 'delete from public.blocks where blocker_id = $1 and blocked_id = $2', [blocker.id, blockee.id]),
    );
    expect(count).toBe(expected);
  });

  it.each([
    ['the follower', 1, () => owner],
    ['the one followed', 0, () => creator],
  ])('%s unfollows: %i rows', async (_name, expected, who) => {
    const count = await runAs(db, asVisitor(who()), (c) =>
      rowCount(c, 'delete from public.follows where follower_id = $1 and followed_id = $2', [owner.id, creator.id]),
    );
    expect(count).toBe(expected);
  });
});

describe('guards on profiles and roles', () => {
  it.each([
    ['status', `update public.profiles set status = 'active' where id = $1`],
    ['status to banned', `update public.profiles set status = 'banned' where id = $1`],
    ['username', `update public.profiles set username = 'renamed_' || left(md5(random()::text), 8) where id = $1`],
    ['user_type', `update public.profiles set user_type = 'staff' where id = $1`],
    ['id', `update public.profiles set id = gen_random_uuid() where id = $1`],
    ['created_at', `update public.profiles set created_at = now() where id = $1`],
    ['updated_at', `update public.profiles set updated_at = now() where id = $1`],
    ['a profile insert', `insert into public.profiles (id, username) values ($1, 'forged_' || left(md5(random()::text), 8))`],
    ['a profile delete', `delete from public.profiles where id = $1`],
    ['a role insert', `insert into public.user_roles (user_id, role) values ($1, 'admin')`],
    ['a role delete', `delete from public.user_roles where user_id = $1`],
    ['user_roles.user_id', `update public.user_roles set user_id = user_id where user_id = $1`],
    ['user_roles.updated_at', `update public.user_roles set updated_at = now() where user_id = $1`],
    ['birthday', `update public.personal_details set birthday = '1990-01-01' where user_id = $1`],
    ['a personal details insert', `insert into public.personal_details (user_id) values ($1)`],
    ['a personal details delete', `delete from public.personal_details where user_id = $1`],
  ])('the owner cannot change %s (42501 permission denied)', async (_name, sql) => {
    expect(await sqlstateOf(runAs(db, asVisitor(owner), (c) => c.query(sql, [owner.id])))).toBe('42501');
  });

  it.each([
    ['anon', () => asAnon(), '42501'],
    ['an admin', () => asAdmin(admin), '42501'],
  ])('%s cannot change a status either', async (_name, who, code) => {
    const update = runAs(db, who(), (c) => c.query(`update public.profiles set status = 'banned' where id = $1`, [owner.id]));
    expect(await sqlstateOf(update)).toBe(code);
  });

  it('the owner edits names, picture and social links; updated_at moves', async () => {
    const row = await runAs(db, asVisitor(owner), async (c) => {
      await asPostgresWithin(c, async () => {
        await c.query(`update public.profiles set updated_at = '2001-01-01' where id = $1`, [owner.id]);
        await c.query('set local role authenticated');
      });
      const { rows } = await c.query(
        `update public.profiles set first_name = 'Ada', last_name = 'L', profile_pic = $1 || '/me.png',
           user_social_fb = 'facebook.com/ada', user_social_twt = 'https://x.com/ada', user_social_yt = 'youtube.com/ada'
         where id = $1 returning first_name, profile_pic, updated_at > '2001-01-02' as touched`,
        [owner.id],
      );
      return rows;
    });
    expect(row).toEqual([{ first_name: 'Ada', profile_pic: `${owner.id}/me.png`, touched: true }]);
  });

  it.each([
    ['another user', () => asVisitor(other)],
    ['a creator', () => asAccount(creator, 'active', 'creator')],
    ['an admin', () => asAdmin(admin)],
    ['anon (no privilege: 42501)', () => asAnon()],
  ])("%s updates 0 rows of the owner's profile", async (name, who) => {
    const update = runAs(db, who(), (c) => rowCount(c, `update public.profiles set first_name = 'Hacked' where id = $1`, [owner.id]));
    if (name.startsWith('anon')) expect(await sqlstateOf(update)).toBe('42501');
    else expect(await update).toBe(0);
  });

  it.each([
    ['a first name of 51 characters', '23514', `update public.profiles set first_name = repeat('x', 51) where id = $1`],
    ['a social link of 201 characters', '23514', `update public.profiles set user_social_yt = repeat('x', 201) where id = $1`],
    ['a picture path climbing out with ..', '23514', `update public.profiles set profile_pic = '../other/me.png' where id = $1`],
  ])('the owner cannot save %s (%s)', async (_name, code, sql) => {
    expect(await sqlstateOf(runAs(db, asVisitor(owner), (c) => c.query(sql, [owner.id])))).toBe(code);
  });

  describe('roles', () => {
    it.each([
      ['an active admin', 1, () => asAdmin(admin)],
      ['a visitor, for themself', 0, () => asVisitor(other)],
      ['a creator', 0, () => asAccount(creator, 'active', 'creator')],
      ['a suspended admin', 0, () => asAccount(admin, 'suspended', 'admin')],
      ['a deactivated admin', 0, () => asAccount(admin, 'deactivated', 'admin')],
    ])('%s changes a role: %i rows', async (_name, expected, who) => {
      const count = await runAs(db, who(), (c) => rowCount(c, `update public.user_roles set role = 'admin' where user_id = $1`, [other.id]));
      expect(count).toBe(expected);
    });

    it('a visitor cannot make themself admin (0 rows)', async () => {
      const count = await runAs(db, asVisitor(owner), (c) =>
        rowCount(c, `update public.user_roles set role = 'admin' where user_id = $1`, [owner.id]),
      );
      expect(count).toBe(0);
    });

    it('anon cannot change a role (42501)', async () => {
      const update = runAs(db, asAnon(), (c) => c.query(`update public.user_roles set role = 'admin' where user_id = $1`, [owner.id]));
      expect(await sqlstateOf(update)).toBe('42501');
    });

    it.each([
      ['anon', () => asAnon()],
      ['a visitor', () => asVisitor(other)],
      ['a suspended user', () => asAccount(suspended, 'suspended')],
    ])('%s reads the creator badge but not who the admins are', async (_name, who) => {
      const roles = await runAs(db, who(), (c) =>
        column(c, 'select role from public.user_roles where user_id = any($1) order by role', [[creator.id, admin.id]]),
      );
      expect(roles).toEqual(['creator']);
    });

    it('an admin reads every role', async () => {
      const roles = await runAs(db, asAdmin(admin), (c) =>
        column(c, 'select role from public.user_roles where user_id = any($1) order by role', [[creator.id, admin.id, other.id]]),
      );
      expect(roles).toEqual(['visitor', 'creator', 'admin']);
    });
  });
});

describe('personal_details', () => {
  const detailsSeenBy = (who: Actor, target: Account) =>
    runAs(db, who, (c) => rowCount(c, 'select 1 from public.personal_details where user_id = $1', [target.id]));
  const phoneUpdateBy = (who: Actor, target: Account) =>
    runAs(db, who, (c) =>
      rowCount(c, `update public.personal_details set user_phone = $2, user_address = 'Home' where user_id = $1`, [target.id, newPhone()]),
    );

  it.each([
    ['the owner', 1, () => asVisitor(owner)],
    ['another user', 0, () => asVisitor(other)],
    ['an admin', 0, () => asAdmin(admin)],
    ['anon', 0, () => asAnon()],
  ])("%s reads %i rows of the owner's details", async (_name, expected, who) => {
    expect(await detailsSeenBy(who(), owner)).toBe(expected);
  });

  it.each([
    ['the owner', 1, () => asVisitor(owner)],
    ['another user', 0, () => asVisitor(other)],
    ['an admin', 0, () => asAdmin(admin)],
    ['the owner while suspended', 0, () => asAccount(owner, 'suspended')],
  ])("%s updates %i rows of the owner's phone and address", async (_name, expected, who) => {
    expect(await phoneUpdateBy(who(), owner)).toBe(expected);
  });

  it('the phone must be E.164 (23514)', async () => {
    const update = runAs(db, asVisitor(owner), (c) =>
      c.query(`update public.personal_details set user_phone = '555-1234' where user_id = $1`, [owner.id]),
    );
    expect(await sqlstateOf(update)).toBe('23514');
  });

  describe('with MFA', () => {
    let mfaUser: Account;
    let unverifiedUser: Account;
    beforeAll(async () => {
      [mfaUser, unverifiedUser] = await Promise.all([createAccount(db), createAccount(db)]);
      const insertFactor = `insert into auth.mfa_factors (id, user_id, friendly_name, factor_type, status, created_at, updated_at, secret)
        values (gen_random_uuid(), $1, 'phone app', 'totp', $2, now(), now(), 'JBSWY3DPEHPK3PXP')`;
      await db.query(insertFactor, [mfaUser.id, 'verified']);
      await db.query(insertFactor, [unverifiedUser.id, 'unverified']);
    });

    it.each([
      ['a verified factor, aal1', 0, () => mfaUser, 'aal1'],
      ['a verified factor, aal2', 1, () => mfaUser, 'aal2'],
      ['only an unverified factor, aal1', 1, () => unverifiedUser, 'aal1'],
      ['no factor, aal1', 1, () => owner, 'aal1'],
    ])('owner with %s reads and updates %i rows', async (_name, expected, who, aal) => {
      const actor = asAccount(who(), 'active', 'visitor', { aal });
      expect([await detailsSeenBy(actor, who()), await phoneUpdateBy(actor, who())]).toEqual([expected, expected]);
    });
  });
});

describe('update_own_profile: the editable fields of both tables in one transaction', () => {
  const edit = (actor: Actor, changes: unknown) =>
    runAs(db, actor, async (c) => {
      const answer = (await c.query('select public.update_own_profile($1::jsonb) as r', [JSON.stringify(changes)])).rows[0].r;
      return answer as Record<string, unknown>;
    });
  const stateOf = async (who: Account) =>
    (
      await db.query(
        `select p.first_name, d.user_phone from public.profiles p join public.personal_details d on d.user_id = p.id where p.id = $1`,
        [who.id],
      )
    ).rows[0];

  it('changes both tables and answers the reference\'s update shape', async () => {
    const phone = newPhone();
    const answer = await edit(asVisitor(owner), { first_name: 'Ada', user_phone: phone, profile_pic: null });
    expect(answer).toMatchObject({ userId: owner.id, first_name: 'Ada', user_phone: phone, profile_pic: null });
  });

  it('changes nothing when one part is refused: a bad first name leaves the phone as it was', async () => {
    const before = await stateOf(owner);
    const failed = edit(asVisitor(owner), { user_phone: newPhone(), first_name: 'x'.repeat(51) });
    expect(await sqlstateOf(failed)).toBe('23514');
    expect(await stateOf(owner)).toEqual(before);
  });

  it.each([
    ['status', { status: 'active' }],
    ['username', { username: 'taken_over' }],
    ['birthday', { birthday: '1990-01-01' }],
  ])('refuses %s (42501)', async (_field, changes) => {
    expect(await sqlstateOf(edit(asVisitor(owner), changes))).toBe('42501');
  });

  it.each([
    ['suspended', 'suspended'],
    ['banned', 'banned'],
  ] as const)('a %s owner changes nothing (42501)', async (_name, status) => {
    const who = status === 'suspended' ? suspended : banned;
    const before = await stateOf(who);
    expect(await sqlstateOf(edit(asAccount(who, status, 'visitor'), { first_name: 'Still me' }))).toBe('42501');
    expect(await stateOf(who)).toEqual(before);
  });

  it('anon cannot call it', async () => {
    expect(await sqlstateOf(edit(asAnon(), { first_name: 'x' }))).toBe('42501');
  });
});

describe('avatars (storage.objects in the avatars bucket)', () => {
  const insertAvatar = (who: Actor, folder: string) =>
    runAs(db, who, (c) =>
      c.query(`insert into storage.objects (bucket_id, name, owner) values ('avatars', $1 || '/' || gen_random_uuid() || '.png', $2)`, [
        folder,
        who.id ?? null,
      ]),
    );

  it.each([
    ['the owner, in their folder', undefined, () => asVisitor(owner), () => owner.id],
    ["the owner, in another user's folder", '42501', () => asVisitor(owner), () => other.id],
    ['the owner while suspended', '42501', () => asAccount(owner, 'suspended'), () => owner.id],
    ['the owner while banned', '42501', () => asAccount(owner, 'banned'), () => owner.id],
    ['anon', '42501', () => asAnon(), () => owner.id],
  ])('%s uploads: %s', async (_name, code, who, folder) => {
    expect(await sqlstateOf(insertAvatar(who(), folder()))).toBe(code);
  });

  describe('an existing avatar', () => {
    let name: string;
    beforeAll(async () => {
      name = `${owner.id}/existing.png`;
      await db.query(`insert into storage.objects (bucket_id, name, owner) values ('avatars', $1, $2)`, [name, owner.id]);
    });

    it.each([
      ['the owner', 1, () => asVisitor(owner)],
      ['another user', 0, () => asVisitor(other)],
    ])('%s lists it: %i rows', async (_name, expected, who) => {
      expect(await runAs(db, who(), (c) => rowCount(c, 'select 1 from storage.objects where bucket_id = $1 and name = $2', ['avatars', name]))).toBe(
        expected,
      );
    });

    it.each([
      ['the owner', 1, () => asVisitor(owner)],
      ['another user', 0, () => asVisitor(other)],
      ['the owner while suspended', 0, () => asAccount(owner, 'suspended')],
    ])('%s replaces it: %i rows', async (_name, expected, who) => {
      const count = await runAs(db, who(), (c) =>
        rowCount(c, `update storage.objects set metadata = '{"size": 1}' where bucket_id = 'avatars' and name = $1`, [name]),
      );
      expect(count).toBe(expected);
    });

    it.each([
      ['the owner', 1, () => asVisitor(owner)],
      ['another user', 0, () => asVisitor(other)],
      // Fails against the committed 20261122010200_profiles.sql ("users can remove their own avatars"
      // has no is_active()): suspended and banned accounts write nothing, removals included.
      ['the owner while suspended (writes nothing)', 0, () => asAccount(owner, 'suspended')],
      ['the owner while banned (writes nothing)', 0, () => asAccount(owner, 'banned')],
    ])('%s removes it: %i rows', async (_name, expected, who) => {
      const count = await runAs(db, who(), async (c) => {
        // As the Storage API does before it deletes rows (storage.protect_delete).
        await c.query(`select set_config('storage.allow_delete_query', 'true', true)`);
        return rowCount(c, `delete from storage.objects where bucket_id = 'avatars' and name = $1`, [name]);
      });
      expect(count).toBe(expected);
    });
  });
});
