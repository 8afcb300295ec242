import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAdmin, asAnon, asCreator, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { checkCase, createCast, DENIED, ROLES, show, suspend, type Cast, type Expected, type Operation } from './social-fixtures.ts';

/**
 * Creator applications (000 §8): the table's policy matrix, the apply and review RPCs' answers and
 * errors, and what a decision brings with it (the creator role, the audit, the notification).
 */
let db: pg.Client;
let cast: Cast;
let ownerApp: number;
let suspendedApp: number;

async function applicationOf(user: Account): Promise<number> {
  const { rows } = await db.query<{ id: number }>('insert into public.creator_applications (user_id) values ($1) returning id', [user.id]);
  return Number(rows[0]!.id);
}

beforeAll(async () => {
  db = await connectAsPostgres();
  cast = await createCast(db);
  ownerApp = await applicationOf(cast.owner);
  suspendedApp = await applicationOf(cast.suspended);
  await suspend(db, cast);
});
afterAll(async () => db?.end());

type Outcome = { value: unknown } | { code: string | undefined; message: string | undefined };

/** Runs `sql` as `actor` and commits, as an API call would; answers the first column or the error. */
async function committed(actor: Actor, sql: string, params: unknown[] = []): Promise<Outcome> {
  await db.query('begin');
  try {
    await db.query(`set local role ${actor.role}`);
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
    const { rows, fields } = await db.query(sql, params);
    await db.query('commit');
    return { value: rows[0]?.[fields[0]!.name] };
  } catch (error) {
    await db.query('rollback');
    const e = error as { code?: string; message?: string };
    return { code: e.code, message: e.message };
  }
}

const review = (actor: Actor, id: number, decision: string, note: string | null = null) =>
  committed(actor, 'select public.review_creator_application($1, $2, $3)', [id, decision, note]);

describe('creator_applications policy matrix (row: the owner\'s pending application)', () => {
  const expected: Record<Operation, Record<(typeof ROLES)[number], Expected>> = {
    // The applicant (the suspended user looks at their own) and admins; anon has no grant at all.
    select: { anon: DENIED, owner: 1, other: 0, blocker: 0, blocked: 0, suspended: 1, creator: 0, admin: 1 },
    // Each applies for themself: active visitors only; blocks do not matter. The owner and the suspended
    // user have applied already (P0001, the reference's message); a suspended user who has not is below.
    insert: { anon: DENIED, owner: { throws: 'P0001' }, other: 1, blocker: 1, blocked: 1, suspended: { throws: 'P0001' }, creator: DENIED, admin: DENIED },
    // Reviews go through review_creator_application only: no client updates or deletes, admins included.
    update: { anon: DENIED, owner: DENIED, other: DENIED, blocker: DENIED, blocked: DENIED, suspended: DENIED, creator: DENIED, admin: DENIED },
    delete: { anon: DENIED, owner: DENIED, other: DENIED, blocker: DENIED, blocked: DENIED, suspended: DENIED, creator: DENIED, admin: DENIED },
  };
  const sqlFor = (role: (typeof ROLES)[number], op: Operation) => {
    const id = role === 'suspended' ? suspendedApp : ownerApp;
    switch (op) {
      case 'select':
        return { sql: 'select 1 from public.creator_applications where id = $1', params: [id] };
      case 'insert':
        return { sql: 'insert into public.creator_applications default values', params: [] };
      case 'update':
        return { sql: `update public.creator_applications set user_id = user_id where id = $1`, params: [id] };
      case 'delete':
        return { sql: 'delete from public.creator_applications where id = $1', params: [id] };
    }
  };
  const cases = ROLES.flatMap((role) => (['select', 'insert', 'update', 'delete'] as Operation[]).map((op) => [role, op, show(expected[op][role])] as const));
  it.each(cases)('%s %s → %s', async (role, op) => {
    await checkCase(db, cast, { role, op, expected: expected[op][role], ...sqlFor(role, op) });
  });

  it.each([
    ['an application in someone else\'s name', 'insert into public.creator_applications (user_id) values ($1)', () => [cast.owner.id]],
    ['an application born approved', `insert into public.creator_applications (status) values ('approved')`, () => []],
    ['a review note', `insert into public.creator_applications (review_note) values ('ok')`, () => []],
    ['the review audit (who reviewed)', 'select reviewer_id from private.creator_application_reviews', () => []],
  ] as const)('a client cannot write or read %s (42501)', async (_what, sql, params) => {
    const state = await runAs(db, asVisitor(cast.other), (c) => sqlstateOf(c.query(sql, params())));
    expect(state).toBe('42501');
  });

  it("answers 000's shape to its applicant through a column alias", async () => {
    const rows = await runAs(db, asVisitor(cast.owner), async (c) =>
      (await c.query('select id, user_id as "user", application_status, created_at from public.creator_applications')).rows);
    expect(rows).toEqual([{ id: String(ownerApp), user: cast.owner.id, application_status: '0', created_at: expect.any(Date) }]);
  });
});

describe('apply_for_creator', () => {
  it('answers 000\'s messages: submitted once, refused the second time', async () => {
    const ada = await createAccount(db);
    expect(await committed(asVisitor(ada), 'select public.apply_for_creator()')).toEqual({ value: { detail: 'Creator application submitted successfully.' } });
    expect(await committed(asVisitor(ada), 'select public.apply_for_creator()')).toEqual({ code: 'P0001', message: 'You have already applied for creator.' });
    const rows = (await db.query('select status::text, application_status from public.creator_applications where user_id = $1', [ada.id])).rows;
    expect(rows).toEqual([{ status: 'pending', application_status: '0' }]);
  });

  it('refuses creators, admins, suspended users and anon, and writes nothing', async () => {
    const [creator, admin, suspended] = [await createAccount(db, { role: 'creator' }), await createAccount(db, { role: 'admin' }), await createAccount(db)];
    await db.query(`update public.profiles set status = 'suspended' where id = $1`, [suspended.id]);
    expect(await committed(asCreator(creator), 'select public.apply_for_creator()')).toEqual({ code: 'P0001', message: 'You already have creator rights.' });
    expect(await committed(asAdmin(admin), 'select public.apply_for_creator()')).toEqual({ code: 'P0001', message: 'You already have creator rights.' });
    expect(await committed(asAccount(suspended, 'suspended'), 'select public.apply_for_creator()')).toMatchObject({ code: '42501' });
    expect(await committed(asAnon(), 'select public.apply_for_creator()')).toMatchObject({ code: '42501' });
    expect(await committed(asAccount(suspended, 'suspended'), 'insert into public.creator_applications default values')).toMatchObject({ code: '42501' });
    expect(await committed(asCreator(creator), 'insert into public.creator_applications default values')).toMatchObject({ code: '42501' });
    // A stale visitor token of a user who is a creator now: the live role decides.
    expect(await committed(asVisitor(creator), 'select public.apply_for_creator()')).toEqual({ code: 'P0001', message: 'You already have creator rights.' });
    const { rows } = await db.query('select count(*)::int as n from public.creator_applications where user_id = any($1)', [[creator.id, admin.id, suspended.id]]);
    expect(rows[0].n).toBe(0);
  });
});

describe('review_creator_application', () => {
  it('approval: creator role in the same transaction, audited with the reviewer, applicant notified; twice → 409', async () => {
    const [applicant, admin] = [await createAccount(db), await createAccount(db, { role: 'admin' })];
    const id = await applicationOf(applicant);
    const answer = await review(asAdmin(admin), id, 'approve');
    expect(answer).toEqual({
      value: expect.objectContaining({ id, user: applicant.id, username: applicant.username, application_status: '1', status: 'approved', review_note: null, reviewed_by: admin.id }),
    });
    expect((await db.query('select role::text from public.user_roles where user_id = $1', [applicant.id])).rows).toEqual([{ role: 'creator' }]);
    const audit = (await db.query(
      `select action, actor, admin_id, from_role::text, to_role::text from public.account_actions where user_id = $1 and action = 'role_change'`,
      [applicant.id],
    )).rows;
    expect(audit).toEqual([{ action: 'role_change', actor: admin.id, admin_id: admin.id, from_role: 'visitor', to_role: 'creator' }]);
    const reviews = (await db.query('select status::text, actor, reviewer_id from private.creator_application_reviews where application_id = $1', [id])).rows;
    expect(reviews).toEqual([{ status: 'approved', actor: admin.id, reviewer_id: admin.id }]);
    const notes = (await db.query(`select message, page, page_item_id from public.notifications where user_id = $1 and page = 'creator_application'`, [applicant.id])).rows;
    expect(notes).toEqual([{ message: 'Your creator application has been approved. You can now upload reels and videos.', page: 'creator_application', page_item_id: String(id) }]);

    expect(await review(asAdmin(admin), id, 'reject', 'changed my mind')).toEqual({ code: 'PT409', message: 'This application has already been reviewed.' });
    expect((await db.query('select role::text from public.user_roles where user_id = $1', [applicant.id])).rows).toEqual([{ role: 'creator' }]);
  });

  it('rejection keeps the note, notifies with it and grants nothing', async () => {
    const [applicant, admin] = [await createAccount(db), await createAccount(db, { role: 'admin' })];
    const id = await applicationOf(applicant);
    expect(await review(asAdmin(admin), id, 'reject')).toMatchObject({ code: '23514' });
    const answer = await review(asAdmin(admin), id, 'reject', '  Show us three videos first.  ');
    expect(answer).toEqual({ value: expect.objectContaining({ application_status: '2', status: 'rejected', review_note: 'Show us three videos first.' }) });
    expect((await db.query('select role::text from public.user_roles where user_id = $1', [applicant.id])).rows).toEqual([{ role: 'visitor' }]);
    const notes = (await db.query(`select message from public.notifications where user_id = $1 and page = 'creator_application'`, [applicant.id])).rows;
    expect(notes).toEqual([{ message: 'Your creator application was not approved. Show us three videos first.' }]);
    expect(await review(asAdmin(admin), id, 'approve')).toEqual({ code: 'PT409', message: 'This application has already been reviewed.' });
  });

  it('refuses non-admins (a stale admin token included), one\'s own application, a missing one and bad input', async () => {
    const [applicant, creator, demoted, admin] = [await createAccount(db), await createAccount(db, { role: 'creator' }), await createAccount(db), await createAccount(db, { role: 'admin' })];
    const id = await applicationOf(applicant);
    expect(await review(asVisitor(applicant), id, 'approve')).toMatchObject({ code: '42501' });
    expect(await review(asCreator(creator), id, 'approve')).toMatchObject({ code: '42501' });
    expect(await review(asAdmin(demoted), id, 'approve')).toMatchObject({ code: '42501' });
    expect(await review(asAnon(), id, 'approve')).toMatchObject({ code: '42501' });
    expect(await review(asAdmin(admin), 999_999_999, 'approve')).toEqual({ code: 'PT404', message: 'Creator application not found.' });
    expect(await review(asAdmin(admin), id, 'maybe')).toEqual({ code: '23514', message: 'decision: "maybe" is not a valid choice.' });
    expect(await review(asAdmin(admin), id, 'approve', 'x'.repeat(1001))).toMatchObject({ code: '23514' });

    // An admin who applied as a visitor cannot approve themself.
    const self = await createAccount(db);
    const selfApp = await applicationOf(self);
    await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [self.id]);
    expect(await review(asAdmin(self), selfApp, 'approve')).toEqual({ code: '42501', message: 'You cannot review your own application.' });

    const { rows } = await db.query(`select status::text from public.creator_applications where id = any($1) order by id`, [[id, selfApp]]);
    expect(rows).toEqual([{ status: 'pending' }, { status: 'pending' }]);
    expect((await db.query('select role::text from public.user_roles where user_id = $1', [applicant.id])).rows).toEqual([{ role: 'visitor' }]);
  });

  it('respects the applicant\'s "all notifications" switch', async () => {
    const [applicant, admin] = [await createAccount(db), await createAccount(db, { role: 'admin' })];
    await db.query('update public.notification_preferences set all_notifications = false where user_id = $1', [applicant.id]);
    await review(asAdmin(admin), await applicationOf(applicant), 'approve');
    expect((await db.query(`select count(*)::int as n from public.notifications where user_id = $1 and page = 'creator_application'`, [applicant.id])).rows[0].n).toBe(0);
    expect((await db.query('select role::text from public.user_roles where user_id = $1', [applicant.id])).rows).toEqual([{ role: 'creator' }]);
  });
});

describe('list_creator_applications', () => {
  it('gives admins every application with its reviewer, filtered and paged; others 42501', async () => {
    const admin = await createAccount(db, { role: 'admin' });
    const [a, b] = [await createAccount(db), await createAccount(db)];
    const [idA, idB] = [await applicationOf(a), await applicationOf(b)];
    await review(asAdmin(admin), idA, 'approve');
    const approved = await committed(asAdmin(admin), `select public.list_creator_applications('approved', 1, 100)`);
    const page = (approved as { value: { count: number; results: { id: number; reviewed_by: string; status: string }[] } }).value;
    expect(page.results.every((r) => r.status === 'approved')).toBe(true);
    expect(page.results.find((r) => r.id === idA)).toMatchObject({ reviewed_by: admin.id, application_status: '1' });
    const pending = (await committed(asAdmin(admin), `select public.list_creator_applications('pending', 1, 1)`)) as { value: { results: { id: number }[]; page_size: number; next: number | null } };
    expect(pending.value.results).toEqual([expect.objectContaining({ id: idB })]); // newest first
    expect(pending.value.next).toBe(2);
    expect(await committed(asVisitor(a), 'select public.list_creator_applications()')).toMatchObject({ code: '42501' });
    expect(await committed(asAdmin(admin), 'select public.list_creator_applications(null, 0, 10)')).toMatchObject({ code: '23514' });
  });
});

describe('the dashboard (postgres) keeps role and status consistent', () => {
  it('approving in the dashboard grants the role; taking approval back takes it back; an admin stays admin', async () => {
    const [applicant, adminApplicant] = [await createAccount(db), await createAccount(db)];
    const [id, adminId] = [await applicationOf(applicant), await applicationOf(adminApplicant)];
    await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [adminApplicant.id]);

    await db.query(`update public.creator_applications set status = 'approved' where id = any($1)`, [[id, adminId]]);
    const roles = async () => (await db.query(`select user_id, role::text from public.user_roles where user_id = any($1) order by role`, [[applicant.id, adminApplicant.id]])).rows;
    expect(await roles()).toEqual([{ user_id: adminApplicant.id, role: 'admin' }, { user_id: applicant.id, role: 'creator' }]);
    const stamp = (await db.query('select reviewed_at is not null as stamped from public.creator_applications where id = $1', [id])).rows[0];
    expect(stamp).toEqual({ stamped: true });
    const reviews = (await db.query('select status::text, actor, reviewer_id from private.creator_application_reviews where application_id = $1', [id])).rows;
    expect(reviews).toEqual([{ status: 'approved', actor: 'dashboard', reviewer_id: null }]);
    const actor = (await db.query(`select actor from public.account_actions where user_id = $1 and action = 'role_change'`, [applicant.id])).rows;
    expect(actor).toEqual([{ actor: 'dashboard' }]);

    await db.query(`update public.creator_applications set status = 'rejected', review_note = 'Revoked.' where id = any($1)`, [[id, adminId]]);
    expect(await roles()).toEqual([{ user_id: adminApplicant.id, role: 'admin' }, { user_id: applicant.id, role: 'visitor' }]);
    const history = (await db.query('select status::text, review_note from private.creator_application_reviews where application_id = $1 order by id', [id])).rows;
    expect(history).toEqual([{ status: 'approved', review_note: null }, { status: 'rejected', review_note: 'Revoked.' }]);
  });

  it('the review audit is append-only, for postgres too', async () => {
    const applicant = await createAccount(db);
    await db.query(`insert into public.creator_applications (user_id, status) values ($1, 'rejected')`, [applicant.id]);
    expect(await sqlstateOf(db.query('update private.creator_application_reviews set review_note = $2 where applicant_id = $1', [applicant.id, 'x']))).toBe('42501');
    expect(await sqlstateOf(db.query('delete from private.creator_application_reviews where applicant_id = $1', [applicant.id]))).toBe('42501');
  });

  it('an application inserted approved grants the role; the one-per-user rule holds for postgres too', async () => {
    const applicant = await createAccount(db);
    await db.query(`insert into public.creator_applications (user_id, status) values ($1, 'approved')`, [applicant.id]);
    expect((await db.query('select role::text from public.user_roles where user_id = $1', [applicant.id])).rows).toEqual([{ role: 'creator' }]);
    expect(await sqlstateOf(db.query('insert into public.creator_applications (user_id) values ($1)', [applicant.id]))).toBe('P0001');
  });
});

describe('account deletion', () => {
  it('takes the application with the account; the review audit outlives both', async () => {
    const [applicant, admin] = [await createAccount(db), await createAccount(db, { role: 'admin' })];
    const id = await applicationOf(applicant);
    await review(asAdmin(admin), id, 'reject', 'Not yet.');
    await db.query('delete from auth.users where id = $1', [applicant.id]);
    expect((await db.query('select count(*)::int as n from public.creator_applications where id = $1', [id])).rows[0].n).toBe(0);
    const audit = (await db.query('select applicant_id, status::text, review_note, reviewer_id from private.creator_application_reviews where application_id = $1', [id])).rows;
    expect(audit).toEqual([{ applicant_id: applicant.id, status: 'rejected', review_note: 'Not yet.', reviewer_id: admin.id }]);
  });
});
