/**
 * Hostile clients against the creator programme: raw REST writes that skip apply_for_creator and
 * creator-review (approving oneself, setting status and review columns, applying in someone else's
 * name, deleting a decision), the review RPC called directly, and races (two applications at once,
 * two reviews at once). Each refusal changes nothing: no status, no role, no notification.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAsPostgres } from '../helpers/db.ts';
import { rawRest } from '../helpers/raw-rest.ts';
import { signedIn, type SignedIn } from '../db/interactions-fixtures.ts';
import { accessToken, call, createAccount } from '../functions/accounts.ts';

let db: pg.Client;
let admin: SignedIn;

beforeAll(async () => {
  db = await connectAsPostgres();
  admin = await signedIn(db, { role: 'admin' });
});
afterAll(async () => db?.end());

async function stateOf(user: SignedIn) {
  const apps = (await db.query(
    'select status::text, review_note, reviewed_at from public.creator_applications where user_id = $1',
    [user.id],
  )).rows;
  const role = (await db.query('select role::text from public.user_roles where user_id = $1', [user.id])).rows[0]?.role as string;
  const notes = (await db.query(`select count(*)::int as n from public.notifications where user_id = $1 and page = 'creator_application'`, [user.id])).rows[0].n as number;
  return { apps, role, notes };
}

const pending = { apps: [{ status: 'pending', review_note: null, reviewed_at: null }], role: 'visitor', notes: 0 };

describe('raw REST', () => {
  it('an application inserted directly is a pending one; a second is 400 with 000\'s message', async () => {
    const user = await signedIn(db);
    const first = await rawRest('POST', 'creator_applications?select=id,user_id,application_status', user.token, {});
    expect(first).toMatchObject({ status: 201, body: [{ user_id: user.id, application_status: '0' }] });
    const again = await rawRest('POST', 'creator_applications', user.token, {});
    expect(again).toMatchObject({ status: 400, body: { message: 'You have already applied for creator.' } });
    expect(await stateOf(user)).toEqual(pending);
  });

  it.each([
    ['status', { status: 'approved' }],
    ['application_status', { application_status: '1' }],
    ['review_note', { review_note: 'self-approved' }],
    ['reviewed_at', { reviewed_at: '2020-01-01T00:00:00Z' }],
    ['created_at', { created_at: '2020-01-01T00:00:00Z' }],
  ])('an application cannot be born with %s set', async (_column, body) => {
    const user = await signedIn(db);
    const reply = await rawRest('POST', 'creator_applications', user.token, body);
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(reply.status).toBeLessThan(500);
    expect(await stateOf(user)).toEqual({ apps: [], role: 'visitor', notes: 0 });
  });

  it('nobody applies in someone else\'s name, and the refusal does not say whether they applied', async () => {
    const [attacker, victim, applied] = [await signedIn(db), await signedIn(db), await signedIn(db)];
    await db.query('insert into public.creator_applications (user_id) values ($1)', [applied.id]);
    const forVictim = await rawRest('POST', 'creator_applications', attacker.token, { user_id: victim.id });
    const forApplied = await rawRest('POST', 'creator_applications', attacker.token, { user_id: applied.id });
    expect(forVictim).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(forApplied).toMatchObject({ status: 403, body: { code: '42501' } });
    expect(await stateOf(victim)).toEqual({ apps: [], role: 'visitor', notes: 0 });
    expect(await stateOf(attacker)).toEqual({ apps: [], role: 'visitor', notes: 0 });
  });

  it('an applicant cannot approve themself: not by PATCH, not by the review RPC, not by their role row', async () => {
    const user = await signedIn(db);
    const { rows } = await db.query<{ id: string }>('insert into public.creator_applications (user_id) values ($1) returning id::text', [user.id]);
    const id = rows[0]!.id;
    expect(await rawRest('PATCH', `creator_applications?id=eq.${id}`, user.token, { status: 'approved' })).toMatchObject({ status: 403 });
    expect(await rawRest('PATCH', `creator_applications?id=eq.${id}`, user.token, { review_note: 'great' })).toMatchObject({ status: 403 });
    expect(await rawRest('POST', 'rpc/review_creator_application', user.token, { p_application_id: Number(id), p_decision: 'approve' }))
      .toMatchObject({ status: 403, body: { message: 'You do not have permission to perform this action.' } });
    // user_roles: the policy finds no row the applicant may change (an admin's only, not one's own).
    expect(await rawRest('PATCH', `user_roles?user_id=eq.${user.id}`, user.token, { role: 'creator' })).toEqual({ status: 200, body: [] });
    // A rejected applicant cannot wipe the decision to apply again.
    expect(await rawRest('DELETE', `creator_applications?id=eq.${id}`, user.token)).toMatchObject({ status: 403 });
    expect(await stateOf(user)).toEqual(pending);
  });

  it('admins review only through the review door: a PATCH by an admin is refused too', async () => {
    const user = await signedIn(db);
    const { rows } = await db.query<{ id: string }>('insert into public.creator_applications (user_id) values ($1) returning id::text', [user.id]);
    expect(await rawRest('PATCH', `creator_applications?id=eq.${rows[0]!.id}`, admin.token, { status: 'approved' })).toMatchObject({ status: 403 });
    expect(await stateOf(user)).toEqual(pending);
  });

  it('anon reads nothing; users read only their own application, and who reviewed it stays private', async () => {
    const [user, other] = [await signedIn(db), await signedIn(db)];
    await db.query('insert into public.creator_applications (user_id) values ($1)', [user.id]);
    expect(await rawRest('GET', 'creator_applications?select=id', null)).toMatchObject({ status: 401 });
    expect(await rawRest('GET', `creator_applications?select=id&user_id=eq.${user.id}`, other.token)).toEqual({ status: 200, body: [] });
    expect(await rawRest('GET', 'creator_applications?select=reviewed_by', user.token)).toMatchObject({ status: 400 });
    expect(await rawRest('GET', 'rpc/list_creator_applications', user.token)).toMatchObject({ status: 403 });
  });
});

describe('races', () => {
  it('ten applications at once make one row: one success, nine "already applied"', async () => {
    const user = await signedIn(db);
    const replies = await Promise.all(Array.from({ length: 10 }, () => rawRest('POST', 'rpc/apply_for_creator', user.token, {})));
    expect(replies.filter((r) => r.status === 200)).toEqual([{ status: 200, body: { detail: 'Creator application submitted successfully.' } }]);
    expect(replies.filter((r) => r.status === 400).map((r) => (r.body as { message: string }).message))
      .toEqual(Array(9).fill('You have already applied for creator.'));
    expect(await stateOf(user)).toEqual(pending);
  });

  it('an approval and a rejection at once: exactly one decision, one notification, a role that matches it', async () => {
    const user = await signedIn(db);
    // The function checks the token with Auth: a real session's.
    const reviewer = await createAccount();
    await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [reviewer.id]);
    const reviewerToken = await accessToken(reviewer);
    const { rows } = await db.query<{ id: string }>('insert into public.creator_applications (user_id) values ($1) returning id::text', [user.id]);
    const id = Number(rows[0]!.id);
    const replies = await Promise.all([
      call('creator-review', { application_id: id, decision: 'approve' }, { token: reviewerToken }),
      call('creator-review', { application_id: id, decision: 'reject', note: 'No.' }, { token: reviewerToken }),
    ]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const state = await stateOf(user);
    expect(state.notes).toBe(1);
    expect(state.role).toBe(state.apps[0]!.status === 'approved' ? 'creator' : 'visitor');
  });
});
