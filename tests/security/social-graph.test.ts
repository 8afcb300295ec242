/**
 * Hostile clients against the social graph, through raw REST with real Auth tokens: follows and
 * friend requests across a block, writes in someone else's name, server-owned columns (counters,
 * request status and times), and lists that would show a blocked user.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessToken, createAccount, type TestUser } from '../functions/accounts.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { rawRest } from '../helpers/raw-rest.ts';

let db: pg.Client;
let alice: TestUser; // blocks mallory
let mallory: TestUser; // blocked by alice; the attacker
let bob: TestUser; // a bystander
const tokens = {} as Record<'alice' | 'mallory' | 'bob', string>;

beforeAll(async () => {
  db = await connectAsPostgres();
  [alice, mallory, bob] = await Promise.all([createAccount(), createAccount(), createAccount()]);
  [tokens.alice, tokens.mallory, tokens.bob] = await Promise.all([accessToken(alice), accessToken(mallory), accessToken(bob)]);
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [alice.id, mallory.id]);
  await db.query('insert into public.follows (follower_id, followed_id) values ($1, $2)', [bob.id, alice.id]);
});
afterAll(async () => db?.end());

const rest = rawRest;

const count = async (sql: string, params: unknown[]) => Number((await db.query(sql, params)).rows[0].count);

describe('follows', { timeout: 60_000 }, () => {
  it.each([
    ['the blocked user follows the blocker', () => tokens.mallory, () => ({ follower_id: mallory.id, followed_id: alice.id })],
    ['the blocker follows the blocked user', () => tokens.alice, () => ({ follower_id: alice.id, followed_id: mallory.id })],
    ['a follow in someone else\'s name', () => tokens.mallory, () => ({ follower_id: bob.id, followed_id: mallory.id })],
  ])('%s: 403, nothing written', async (_what, token, row) => {
    const reply = await rest('POST', 'follows', token(), row());
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ code: '42501' });
    expect(await count('select count(*) from public.follows where followed_id = $1 and follower_id = $2', [row().followed_id, row().follower_id])).toBe(0);
  });

  it('the toggle answers across a block: 404 for the blocked side, 403 for the blocker', async () => {
    expect(await rest('POST', 'rpc/toggle_follow', tokens.mallory, { p_user_id: alice.id })).toMatchObject({ status: 404, body: { message: 'User not found.' } });
    expect(await rest('POST', 'rpc/toggle_follow', tokens.alice, { p_user_id: mallory.id })).toMatchObject({
      status: 403,
      body: { message: 'You cannot follow a user you have blocked.' },
    });
  });

  it('signed out, the toggles are refused (401)', async () => {
    for (const fn of ['toggle_follow', 'toggle_block']) {
      expect((await rest('POST', `rpc/${fn}`, null, { p_user_id: alice.id })).status).toBe(401);
    }
  });

  it('the counters are not a client\'s to write', async () => {
    const before = (await db.query('select follower_count from public.profiles where id = $1', [mallory.id])).rows[0].follower_count;
    const reply = await rest('PATCH', `profiles?id=eq.${mallory.id}`, tokens.mallory, { follower_count: 1_000_000 });
    expect(reply.status).toBe(403);
    expect((await db.query('select follower_count from public.profiles where id = $1', [mallory.id])).rows[0].follower_count).toBe(before);
  });

  it('the blocked user sees neither the blocker\'s followers nor them in anyone\'s lists', async () => {
    const followers = await rest('GET', `followers?user_id=eq.${alice.id}&select=id`, tokens.mallory);
    const following = await rest('GET', `following?user_id=eq.${bob.id}&select=id`, tokens.mallory);
    const profile = await rest('GET', `public_profiles?id=eq.${alice.id}&select=id`, tokens.mallory);
    expect([followers.body, following.body, profile.body]).toEqual([[], [], []]);
    // The control: a bystander sees them.
    expect((await rest('GET', `followers?user_id=eq.${alice.id}&select=id`, tokens.bob)).body).toEqual([{ id: bob.id }]);
  });
});

describe('friend requests', { timeout: 60_000 }, () => {
  it.each([
    ['across a block (blocked side)', () => tokens.mallory, () => ({ to_user_id: alice.id })],
    ['across a block (blocker side)', () => tokens.alice, () => ({ to_user_id: mallory.id })],
    ['in someone else\'s name', () => tokens.mallory, () => ({ from_user_id: bob.id, to_user_id: alice.id })],
    ['born accepted', () => tokens.mallory, () => ({ to_user_id: bob.id, status: 'accepted' })],
    ['with a chosen responded_at', () => tokens.mallory, () => ({ to_user_id: bob.id, responded_at: '2001-01-01T00:00:00Z' })],
  ])('a raw insert %s: 403, nothing written', async (_what, token, row) => {
    const reply = await rest('POST', 'friend_requests', token(), row());
    expect(reply.status).toBe(403);
    expect(await count('select count(*) from public.friend_requests where $1 in (from_user_id, to_user_id)', [mallory.id])).toBe(0);
  });

  it('the RPC refuses across a block too', async () => {
    expect(await rest('POST', 'rpc/send_friend_request', tokens.mallory, { p_user_id: alice.id })).toMatchObject({ status: 404, body: { message: 'User not found.' } });
  });

  it('the sender cannot accept their own request; a stranger cannot see or remove it', async () => {
    const sent = await rest('POST', 'rpc/send_friend_request', tokens.mallory, { p_user_id: bob.id });
    expect(sent).toMatchObject({ status: 200, body: { detail: `Friend request sent to ${bob.username}.` } });
    const [{ id }] = (await db.query('select id from public.friend_requests where from_user_id = $1', [mallory.id])).rows;

    expect(await rest('PATCH', `friend_requests?id=eq.${id}`, tokens.mallory, { status: 'accepted' })).toMatchObject({ status: 200, body: [] });
    expect(await rest('GET', `friend_requests?id=eq.${id}`, tokens.alice)).toMatchObject({ status: 200, body: [] });
    expect(await rest('DELETE', `friend_requests?id=eq.${id}`, tokens.alice)).toMatchObject({ status: 200, body: [] });
    expect((await db.query('select status from public.friend_requests where id = $1', [id])).rows).toEqual([{ status: 'pending' }]);

    // The recipient may accept, and nothing else: moving the request to someone else is refused.
    expect((await rest('PATCH', `friend_requests?id=eq.${id}`, tokens.bob, { to_user_id: alice.id })).status).toBe(403);
    expect(await rest('PATCH', `friend_requests?id=eq.${id}`, tokens.bob, { status: 'accepted' })).toMatchObject({ status: 200, body: [{ status: 'accepted' }] });
  });
});
