import { describe, expect, it } from 'vitest';
import { waitForMail } from '../helpers/outbox.ts';
import { call, mailbox, PASSWORD, sql, unique } from './accounts.ts';

/** functions/register: Auth's sign-up behind the reference API's validation and messages. */
describe('functions/register', { timeout: 90_000 }, () => {
  it('registers, sets up the profile and sends the welcome mail', async () => {
    const username = unique('Ada');
    const email = mailbox('ada');
    const { status, body } = await call('register', {
      username,
      email: email.toUpperCase(),
      password: PASSWORD,
      birthday: '1995-06-15',
      first_name: 'Ada',
      last_name: 'Lovelace',
    });
    expect(status).toBe(201);
    expect(body).toEqual({
      message: 'User registered successfully.',
      user: { id: expect.stringMatching(/^[0-9a-f-]{36}$/), username, email },
      email_sent: true,
    });
    const id = (body.user as { id: string }).id;
    const [profile] = await sql('select username::text, first_name, last_name, status::text from public.profiles where id = $1', [id]);
    expect(profile).toEqual({ username, first_name: 'Ada', last_name: 'Lovelace', status: 'active' });
    const [details] = await sql("select to_char(birthday, 'YYYY-MM-DD') as birthday from public.personal_details where user_id = $1", [id]);
    expect(details).toEqual({ birthday: '1995-06-15' });
    const [role] = await sql('select role::text from public.user_roles where user_id = $1', [id]);
    expect(role).toEqual({ role: 'visitor' });
    expect(await waitForMail(email, 'Welcome to Marquee')).toContain(username);
  });

  it('defaults the birthday to 2000-01-01', async () => {
    const { status, body } = await call('register', { username: unique('bday'), email: mailbox(), password: PASSWORD });
    expect(status).toBe(201);
    const [details] = await sql("select to_char(birthday, 'YYYY-MM-DD') as birthday from public.personal_details where user_id = $1", [
      (body.user as { id: string }).id,
    ]);
    expect(details).toEqual({ birthday: '2000-01-01' });
  });

  it('refuses a taken username (any case) and a taken email, both at once', async () => {
    const username = unique('taken');
    const email = mailbox('taken');
    expect((await call('register', { username, email, password: PASSWORD })).status).toBe(201);
    const again = await call('register', { username: username.toUpperCase(), email: email.toUpperCase(), password: PASSWORD });
    expect(again).toMatchObject({ status: 400, body: { username: ['Username already exists.'], email: ['Email already exists.'] } });
    expect((await call('register', { username, email: mailbox(), password: PASSWORD })).body).toEqual({ username: ['Username already exists.'] });
    expect((await call('register', { username: unique('other'), email, password: PASSWORD })).body).toEqual({ email: ['Email already exists.'] });
  });

  it('reports every missing field and wrong type at once', async () => {
    expect(await call('register', {})).toMatchObject({
      status: 400,
      body: { username: ['This field is required.'], email: ['This field is required.'], password: ['This field is required.'] },
    });
    expect((await call('register', { username: 42, email: ['a@b.co'], password: null })).body).toEqual({
      username: ['Not a valid string.'],
      email: ['Not a valid string.'],
      password: ['This field may not be null.'],
    });
    expect((await call('register', { username: '  ', email: '', password: '' })).body).toEqual({
      username: ['This field may not be blank.'],
      email: ['This field may not be blank.'],
      password: ['This field may not be blank.'],
    });
  });

  it('validates username, email, birthday and names', async () => {
    const base = { username: unique('v'), email: mailbox(), password: PASSWORD };
    const USERNAME = 'Enter a valid username. This value may contain only unaccented letters, numbers, and ./_ characters.';
    const cases: [Record<string, unknown>, Record<string, string[]>][] = [
      [{ username: "x'; drop table public.profiles; --" }, { username: [USERNAME] }],
      [{ username: 'admin" or "1"="1' }, { username: [USERNAME] }],
      // Cyrillic а and fullwidth letters look like Latin ones.
      [{ username: 'аdmin' }, { username: [USERNAME] }],
      [{ username: 'ａｄｍｉｎ' }, { username: [USERNAME] }],
      [{ username: 'ab' }, { username: ['Ensure this field has at least 3 characters.'] }],
      [{ username: 'a'.repeat(51) }, { username: ['Ensure this field has no more than 50 characters.'] }],
      [{ email: 'not-an-email' }, { email: ['Enter a valid email address.'] }],
      [{ email: 'a@b' }, { email: ['Enter a valid email address.'] }],
      [{ birthday: '15/06/1995' }, { birthday: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] }],
      [{ birthday: '2023-02-30' }, { birthday: ['Date has wrong format. Use one of these formats instead: YYYY-MM-DD.'] }],
      [{ first_name: 'x'.repeat(51) }, { first_name: ['Ensure this field has no more than 50 characters.'] }],
      // One rules module: the keys the SDK refuses, the function refuses too.
      [{ role: 'admin', is_staff: true }, { role: ['This field is not allowed.'], is_staff: ['This field is not allowed.'] }],
      [{ confirm_password: `${PASSWORD}-not` }, { confirm_password: ["The two password fields didn't match."] }],
    ];
    for (const [change, errors] of cases) {
      const { status, body } = await call('register', { ...base, ...change });
      expect({ change, status, body }).toEqual({ change, status: 400, body: errors });
    }
    // The SQL went nowhere: the table is there and no such username was stored.
    const rows = await sql("select count(*)::int as count from public.profiles where username::text like '%drop table%' or username::text like '%1=1%'");
    expect(rows).toEqual([{ count: 0 }]);
  });

  it('applies the password policy, reporting every broken rule', async () => {
    const username = unique('pw');
    const base = { username, email: mailbox() };
    const SHORT = 'This password is too short. It must contain at least 8 characters.';
    const SIMPLE = 'Password must contain at least 8 characters, including letters, numbers, and special characters.';
    const LONG = 'Ensure this field has no more than 72 characters.';
    const SIMILAR = 'The password is too similar to the username.';
    const CASES = 'Password must contain both upper and lower case letters.';
    const cases: [string, string[]][] = [
      ['A1#a', [SHORT]],
      ['abc', [SHORT, SIMPLE, CASES]],
      ['abcdefgh', [SIMPLE, CASES]],
      ['Abcdefg1', [SIMPLE]],
      ['12345678!', [SIMPLE]],
      ['abcdefg1!', [CASES]],
      ['ABCDEFG1!', [CASES]],
      // GoTrue's symbols are ASCII punctuation: a space is none.
      ['Abcdefg1 ', [SIMPLE]],
      // Auth counts ASCII letters only; the policy must not promise more.
      ['ñçéüöäßø1!', [SIMPLE]],
      [`A1#${'x'.repeat(70)}`, [LONG]],
      [`#1a${username.toUpperCase()}`, [SIMILAR]],
    ];
    for (const [password, errors] of cases) {
      const { status, body } = await call('register', { ...base, password });
      expect({ password, status, body }).toEqual({ password, status: 400, body: { password: errors } });
    }
  });

  it('refuses bodies that are not a JSON object, or too large', async () => {
    expect((await call('register', undefined, { raw: '{"username": ' })).body).toEqual({ non_field_errors: ['Invalid JSON body.'] });
    expect((await call('register', [1, 2])).body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] });
    expect((await call('register', 'text')).body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] });
    const big = await call('register', { username: unique('big'), email: mailbox(), password: PASSWORD, padding: 'x'.repeat(1024 * 1024 + 10) });
    expect(big).toMatchObject({ status: 413, body: { detail: 'Request body too large.' } });
  });

  it('gives one account to 20 parallel registrations of one username', async () => {
    const username = unique('race');
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call('register', { username, email: mailbox(`race${i}`), password: PASSWORD })),
    );
    const statuses = replies.map((reply) => reply.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expect(reply).toMatchObject({ status: 400, body: { username: ['Username already exists.'] } });
    }
    const rows = await sql('select id from public.profiles where username = $1', [username]);
    expect(rows).toHaveLength(1);
    const winner = replies.find((r) => r.status === 201)!.body.user as { email: string };
    const users = await sql("select email from auth.users where email like 'race%' and id = $1", [rows[0]!.id]);
    expect(users).toEqual([{ email: winner.email }]);
  });
});
