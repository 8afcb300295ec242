import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asServiceRole, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { column, createAccount, rowCount, uniqueTag, type Account } from './accounts-fixtures.ts';

/**
 * Parental controls: a verified link is readable by the child and by the parent (their JWT email);
 * only the parent unlinks; only a linked parent with a confirmed account email reads the child's
 * activity summary; linked children are hidden from adults in profile search.
 */
let db: pg.Client;
let child: Account;
let parent: Account;
let unconfirmedParent: Account;
let otherAdult: Account;
let otherChild: Account;
let admin: Account;
const tag = uniqueTag();

beforeAll(async () => {
  db = await connectAsPostgres();
  child = await createAccount(db, { username: `kid${tag}` });
  parent = await createAccount(db, { username: `mum${tag}` });
  unconfirmedParent = await createAccount(db, { username: `dad${tag}`, emailConfirmed: false });
  otherAdult = await createAccount(db, { username: `adult${tag}` });
  otherChild = await createAccount(db, { username: `pupil${tag}` });
  admin = await createAccount(db, { role: 'admin' });
  // Links as the parental function writes them (service role, after the code is verified).
  await db.query('select service.link_parent($1, $2)', [child.id, `  ${parent.email.toUpperCase()} `]);
  await db.query('select service.link_parent($1, $2)', [child.id, unconfirmedParent.email]);
  await db.query('select service.link_parent($1, $2)', [otherChild.id, `guardian-${tag}@marquee.test`]);
  // Something for the summary to count.
  await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2), ($3, $1)', [child.id, otherAdult.id, otherChild.id]);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [child.id, admin.id]);
});
afterAll(async () => {
  await db.end();
});

const linksOfChildSeenBy = (actor: Actor) =>
  runAs(db, actor, (c) => column(c, 'select parent_email from public.parent_links where child_id = $1 order by parent_email', [child.id]));

describe('link_parent and is_parent_linked (service role)', () => {
  it('stores the email lower-cased and trimmed, once', async () => {
    const result = await runAs(db, asServiceRole(), async (c) => {
      await c.query('select service.link_parent($1, $2)', [child.id, parent.email.toUpperCase()]);
      return {
        links: await rowCount(c, 'select 1 from public.parent_links where child_id = $1 and parent_email = $2', [child.id, parent.email]),
        linked: (await c.query('select service.is_parent_linked($1, $2) as v', [child.id, ` ${parent.email.toUpperCase()}`])).rows[0].v,
        notLinked: (await c.query('select service.is_parent_linked($1, $2) as v', [child.id, otherAdult.email])).rows[0].v,
      };
    });
    expect(result).toEqual({ links: 1, linked: true, notLinked: false });
  });
});

describe('parent_links', () => {
  it.each([
    ['the child', () => asVisitor(child), () => [parent.email, unconfirmedParent.email].sort()],
    ['the parent', () => asVisitor(parent), () => [parent.email]],
    ['the parent, with a capitalised JWT email', () => asAccount(parent, 'active', 'visitor', { email: parent.email.toUpperCase() }), () => [parent.email]],
    ['another adult', () => asVisitor(otherAdult), () => []],
    ['another child', () => asVisitor(otherChild), () => []],
    ['an admin', () => asAdmin(admin), () => []],
    ['anon', () => asAnon(), () => []],
  ])("%s reads the child's links", async (_name, actor, expected) => {
    expect(await linksOfChildSeenBy(actor())).toEqual(expected());
  });

  it.each([
    ['the parent', 1, () => asVisitor(parent)],
    ['the child', 0, () => asVisitor(child)],
    ['another adult', 0, () => asVisitor(otherAdult)],
    ['an admin', 0, () => asAdmin(admin)],
    ['the parent while suspended', 0, () => asAccount(parent, 'suspended')],
  ])('%s unlinks: %i rows', async (_name, expected, actor) => {
    const count = await runAs(db, actor(), (c) =>
      rowCount(c, 'delete from public.parent_links where child_id = $1 and parent_email = $2', [child.id, parent.email]),
    );
    expect(count).toBe(expected);
  });

  it.each([
    ['the child links a parent directly', `insert into public.parent_links (child_id, parent_email) values ($1, 'me-${tag}@marquee.test')`],
    ['the child edits a link', `update public.parent_links set parent_email = 'me-${tag}@marquee.test' where child_id = $1`],
  ])('%s: refused (42501)', async (_name, sql) => {
    expect(await sqlstateOf(runAs(db, asVisitor(child), (c) => c.query(sql, [child.id])))).toBe('42501');
  });
});

describe('get_child_activity_summary', () => {
  it('the linked parent with a confirmed email gets the summary', async () => {
    const summary = await runAs(db, asVisitor(parent), async (c) =>
      (await c.query('select public.get_child_activity_summary($1) as s', [child.id])).rows[0].s,
    );
    expect(summary).toMatchObject({
      child_id: child.id,
      username: child.username,
      account_status: 'active',
      followers: 1,
      following: 1,
      blocked_users: 1,
      // The welcome notification, and otherChild's follow (follows notify the followed user).
      unread_notifications: 2,
    });
    expect(summary.linked_at).toEqual(expect.any(String));
  });

  it.each([
    ['a linked parent whose email is not confirmed', () => asVisitor(unconfirmedParent), '42501'],
    ['another adult', () => asVisitor(otherAdult), '42501'],
    ['another adult claiming the parent’s email in the JWT', () => asAccount(otherAdult, 'active', 'visitor', { email: parent.email }), '42501'],
    ['the child', () => asVisitor(child), '42501'],
    ['an admin', () => asAdmin(admin), '42501'],
    ['anon', () => asAnon(), '42501'],
  ])('%s is refused (%s)', async (_name, actor, code) => {
    const call = runAs(db, actor(), (c) => c.query('select public.get_child_activity_summary($1)', [child.id]));
    expect(await sqlstateOf(call)).toBe(code);
  });

  it("the parent cannot read another child's summary (42501)", async () => {
    const call = runAs(db, asVisitor(parent), (c) => c.query('select public.get_child_activity_summary($1)', [otherChild.id]));
    expect(await sqlstateOf(call)).toBe('42501');
  });
});

describe('search_profiles', () => {
  const search = (actor: Actor, query: string) =>
    runAs(db, actor, (c) => column(c, 'select username from public.search_profiles($1)', [query]));

  it.each([
    ['an adult', () => asVisitor(otherAdult), () => [`dad${tag}`, `mum${tag}`]],
    ['a linked child', () => asVisitor(otherChild), () => [`adult${tag}`, `dad${tag}`, `kid${tag}`, `mum${tag}`]],
    ['the parent', () => asVisitor(parent), () => [`adult${tag}`, `dad${tag}`]],
  ])('%s finds the tagged profiles, children only if a child, never themself', async (_name, actor, expected) => {
    expect((await search(actor(), tag)).sort()).toEqual(expected().sort());
  });

  it('hides users blocked either way', async () => {
    const [blocker, blocked, bystander] = [
      await createAccount(db, { username: `blocker${tag}` }),
      await createAccount(db, { username: `blocked${tag}` }),
      await createAccount(db, { username: `bystander${tag}` }),
    ];
    await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, blocked.id]);
    const found = async (who: Account) => (await search(asVisitor(who), `${tag}`)).filter((u) => u.startsWith('b')).sort();
    expect(await found(blocker)).toEqual([`bystander${tag}`]);
    expect(await found(blocked)).toEqual([`bystander${tag}`]);
    expect(await found(bystander)).toEqual([`blocked${tag}`, `blocker${tag}`]);
  });

  it('hides accounts that are not active', async () => {
    const gone = await createAccount(db, { username: `gone${tag}`, status: 'deactivated' });
    expect(await search(asAdmin(admin), gone.username)).toEqual([]);
  });

  it('matches first and last names too, case-insensitively', async () => {
    const named = await createAccount(db, { metadata: { first_name: `Zed${tag}`, last_name: 'Quux' } });
    expect(await search(asVisitor(otherAdult), `zED${tag.toUpperCase()}`)).toEqual([named.username]);
  });

  describe('wildcards are literal', () => {
    const esc = uniqueTag();
    beforeAll(async () => {
      await createAccount(db, { username: `s${esc}x2` });
      await createAccount(db, { username: `s${esc}_2` });
    });
    it.each([
      ['_ matches only an underscore', `${esc}_2`, [`s${esc}_2`]],
      ['% matches nothing (no username holds one)', `${esc}%2`, []],
      ['a lone % matches nothing', '%', []],
      ['a backslash matches nothing', `${esc}\\`, []],
      ['a blank query matches nothing', '   ', []],
    ])('%s', async (_name, query, expected) => {
      expect(await search(asVisitor(otherAdult), query)).toEqual(expected);
    });
  });

  it('anon cannot search (42501)', async () => {
    expect(await sqlstateOf(runAs(db, asAnon(), (c) => c.query('select * from public.search_profiles($1)', [tag])))).toBe('42501');
  });
});
