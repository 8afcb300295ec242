import { decodeJwt } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { anonClient, userClient } from '../helpers/clients.ts';
import { accessToken, call, createAccount, randomIp, sessionOf, sql, type TestUser } from './accounts.ts';

/**
 * creator-review (000 §8): an admin approves or rejects an application; approval grants the creator
 * role, which reaches the applicant's JWT at their next real token refresh.
 */
let admin: TestUser;
let adminToken: string;

async function applyAs(user: TestUser): Promise<number> {
  const { data, error } = await userClient(await accessToken(user)).rpc('apply_for_creator');
  expect(error).toBeNull();
  expect(data).toEqual({ detail: 'Creator application submitted successfully.' });
  const rows = await sql<{ id: string }>('select id::text from public.creator_applications where user_id = $1', [user.id]);
  return Number(rows[0]!.id);
}

beforeAll(async () => {
  admin = await createAccount();
  await sql(`update public.user_roles set role = 'admin' where user_id = $1`, [admin.id]);
  adminToken = await accessToken(admin);
});

describe('creator-review', () => {
  it('approves: the application answers "1", the role is creator, and a real refresh puts it in the JWT', async () => {
    const applicant = await createAccount();
    const session = await sessionOf(applicant);
    const id = await applyAs(applicant);
    expect(decodeJwt(session.access_token).user_role).toBe('visitor');

    const reply = await call('creator-review', { application_id: id, decision: 'approve' }, { token: adminToken });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      id,
      user: applicant.id,
      username: applicant.username,
      application_status: '1',
      status: 'approved',
      review_note: null,
      reviewed_by: admin.id,
      reviewed_at: expect.any(String),
      created_at: expect.any(String),
    });

    // The old token keeps the old role until it is refreshed.
    expect(decodeJwt(session.access_token).user_role).toBe('visitor');
    const refreshed = await anonClient({ headers: { 'X-Forwarded-For': randomIp() } }).auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refreshed.error).toBeNull();
    expect(decodeJwt(refreshed.data.session!.access_token).user_role).toBe('creator');

    // The applicant reads 000's shape and is told.
    const mine = await userClient(refreshed.data.session!.access_token)
      .from('creator_applications').select('id, user:user_id, application_status, created_at');
    expect(mine.data).toEqual([{ id, user: applicant.id, application_status: '1', created_at: expect.any(String) }]);
    const notes = await userClient(refreshed.data.session!.access_token).from('notifications').select('message').eq('page', 'creator_application');
    expect(notes.data).toEqual([{ message: 'Your creator application has been approved. You can now upload reels and videos.' }]);

    // Reviewing twice is refused and changes nothing.
    const again = await call('creator-review', { application_id: id, decision: 'reject', note: 'No.' }, { token: adminToken });
    expect(again).toMatchObject({ status: 409, body: { detail: 'This application has already been reviewed.' } });
    expect(await sql('select status::text from public.creator_applications where id = $1', [id])).toEqual([{ status: 'approved' }]);
  });

  it('rejects with the note kept; the applicant reads it and keeps the visitor role', async () => {
    const applicant = await createAccount();
    const id = await applyAs(applicant);
    const reply = await call('creator-review', { application_id: id, decision: 'reject', note: ' Not enough original work yet. ' }, { token: adminToken });
    expect(reply).toMatchObject({ status: 200, body: { application_status: '2', status: 'rejected', review_note: 'Not enough original work yet.' } });
    const token = await accessToken(applicant);
    expect(decodeJwt(token).user_role).toBe('visitor');
    const mine = await userClient(token).from('creator_applications').select('application_status, review_note');
    expect(mine.data).toEqual([{ application_status: '2', review_note: 'Not enough original work yet.' }]);
    const notes = await userClient(token).from('notifications').select('message').eq('page', 'creator_application');
    expect(notes.data).toEqual([{ message: 'Your creator application was not approved. Not enough original work yet.' }]);
  });

  it('answers 401 signed out and 403 to non-admins, a creator and a demoted admin\'s old token included', async () => {
    const applicant = await createAccount();
    const id = await applyAs(applicant);
    const body = { application_id: id, decision: 'approve' };
    expect(await call('creator-review', body)).toMatchObject({ status: 401 });
    expect(await call('creator-review', body, { token: await accessToken(applicant) }))
      .toMatchObject({ status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    const creator = await createAccount();
    await sql(`update public.user_roles set role = 'creator' where user_id = $1`, [creator.id]);
    expect(await call('creator-review', body, { token: await accessToken(creator) })).toMatchObject({ status: 403 });

    const demoted = await createAccount();
    await sql(`update public.user_roles set role = 'admin' where user_id = $1`, [demoted.id]);
    const staleToken = await accessToken(demoted);
    await sql(`update public.user_roles set role = 'visitor' where user_id = $1`, [demoted.id]);
    expect(decodeJwt(staleToken).user_role).toBe('admin');
    expect(await call('creator-review', body, { token: staleToken })).toMatchObject({ status: 403 });

    // A non-admin gets 403 even with a body that would not validate.
    expect(await call('creator-review', { decision: 'maybe' }, { token: await accessToken(applicant) })).toMatchObject({ status: 403 });
    expect(await sql('select status::text from public.creator_applications where id = $1', [id])).toEqual([{ status: 'pending' }]);
  });

  it('answers 404 for a missing application and 400 for bad input, changing nothing', async () => {
    expect(await call('creator-review', { application_id: 999_999_999, decision: 'approve' }, { token: adminToken }))
      .toEqual(expect.objectContaining({ status: 404, body: { detail: 'Creator application not found.' } }));
    const applicant = await createAccount();
    const id = await applyAs(applicant);
    const cases: [unknown, Record<string, string[]>][] = [
      [{ application_id: id, decision: 'maybe' }, { decision: ['"maybe" is not a valid choice.'] }],
      [{ application_id: id }, { decision: ['This field is required.'] }],
      [{ decision: 'approve' }, { application_id: ['This field is required.'] }],
      [{ application_id: 'five', decision: 'approve' }, { application_id: ['A valid integer is required.'] }],
      [{ application_id: id, decision: 'reject' }, { note: ['A note is required to reject an application.'] }],
      [{ application_id: id, decision: 'reject', note: '   ' }, { note: ['A note is required to reject an application.'] }],
      [{ application_id: id, decision: 'approve', note: 'x'.repeat(1001) }, { note: ['Ensure this field has no more than 1000 characters.'] }],
      [{ application_id: id, decision: 'approve', status: 'approved' }, { status: ['This field is not allowed.'] }],
    ];
    for (const [body, fields] of cases) {
      const reply = await call('creator-review', body, { token: adminToken });
      expect({ body, status: reply.status, reply: reply.body }).toEqual({ body, status: 400, reply: fields });
    }
    expect(await sql('select status::text from public.creator_applications where id = $1', [id])).toEqual([{ status: 'pending' }]);
    expect(await sql(`select role::text from public.user_roles where user_id = $1`, [applicant.id])).toEqual([{ role: 'visitor' }]);
  });

  it('answers like every function: POST only, malformed JSON and NUL characters refused', async () => {
    const applicant = await createAccount();
    const id = await applyAs(applicant);
    expect(await call('creator-review', undefined, { method: 'GET', token: adminToken })).toMatchObject({ status: 405, body: { detail: 'Method "GET" not allowed.' } });
    expect((await call('creator-review', undefined, { raw: '{"application_id":', token: adminToken })).status).toBe(400);
    expect(await call('creator-review', { application_id: id, decision: 'reject', note: 'bad\u0000note' }, { token: adminToken }))
      .toMatchObject({ status: 400, body: { note: ['Null characters are not allowed.'] } });
    expect(await sql('select status::text from public.creator_applications where id = $1', [id])).toEqual([{ status: 'pending' }]);
  });
});
