import { createHash, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAnon, asServiceRole, asVisitor, connectAsPostgres, runAs, sqlstateOf, type Actor } from '../helpers/db.ts';
import { createAccount, uniqueTag, type Account } from './accounts-fixtures.ts';

/**
 * One-time codes and the other service-role helpers the account edge functions call: only
 * service_role may execute them; codes are stored as bcrypt hashes (tokens as SHA-256), expire,
 * allow 5 wrong tries, are single use and cannot be re-issued within 60 s.
 */
let db: pg.Client;
let visitor: Account;
beforeAll(async () => {
  db = await connectAsPostgres();
  visitor = await createAccount(db);
});
afterAll(async () => {
  await db.end();
});

interface Issued {
  code: string;
  token: string;
  expires_at: string;
}

/** A service-role session in one rolled-back transaction, with a way to act as postgres inside it. */
function asService<T>(work: (s: Service) => Promise<T>): Promise<T> {
  return runAs(db, asServiceRole(), (c) => work(new Service(c)));
}
class Service {
  constructor(readonly c: pg.Client) {}
  async issue(purpose: string, subject: string): Promise<Issued & { retry_after?: number }> {
    return (await this.c.query('select service.issue_one_time_code($1, $2) as r', [purpose, subject])).rows[0].r;
  }
  async consume(purpose: string, code: string | null, subject: string | null, token: string | null = null) {
    return (await this.c.query('select service.consume_one_time_code($1, $2, $3, $4) as r', [purpose, code, subject, token])).rows[0].r;
  }
  /** Runs `sql` as postgres (private tables), then switches back to service_role. */
  async asPostgres(sql: string, params: unknown[] = []) {
    await this.c.query('reset role');
    try {
      return (await this.c.query(sql, params)).rows;
    } finally {
      await this.c.query('set local role service_role');
    }
  }
  /** Moves every code of the subject `seconds` into the past, as if time had passed. */
  backdate(subject: string, seconds: number) {
    return this.asPostgres(
      `update private.one_time_codes set created_at = created_at - make_interval(secs => $2), expires_at = expires_at - make_interval(secs => $2)
       where subject = $1`,
      [subject, seconds],
    );
  }
  codes(subject: string) {
    return this.asPostgres('select * from private.one_time_codes where subject = $1 order by id', [subject]);
  }
}

const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('who may call the service-role helpers', () => {
  const calls: [string, string, unknown[]][] = [
    ['issue_one_time_code', 'select service.issue_one_time_code($1, $2)', ['password_reset', randomUUID()]],
    ['consume_one_time_code', 'select service.consume_one_time_code($1, $2, $3)', ['password_reset', '123456', randomUUID()]],
    ['capture_sms', 'select service.capture_sms($1, $2)', ['+15550000000', 'hello']],
    ['find_sign_in_account', 'select service.find_sign_in_account($1)', ['someone']],
    ['verify_user_password', 'select service.verify_user_password($1, $2)', [randomUUID(), 'password-123']],
    ['link_parent', 'select service.link_parent($1, $2)', [randomUUID(), 'parent@marquee.test']],
    ['is_parent_linked', 'select service.is_parent_linked($1, $2)', [randomUUID(), 'parent@marquee.test']],
  ];
  const actors: [string, () => Actor, string | undefined][] = [
    ['anon', () => asAnon(), '42501'],
    ['a signed-in user', () => asVisitor(visitor), '42501'],
    ['service_role', () => asServiceRole(), undefined],
  ];
  const cases = calls.flatMap(([fn, sql, params]) => actors.map(([who, actor, code]) => [fn, who, code, sql, params, actor] as const));
  it.each(cases)('%s by %s: %s', async (_fn, _who, code, sql, params, actor) => {
    // link_parent needs a real child; the others do not care.
    const args = sql.includes('link_parent') && code === undefined ? [visitor.id, `p-${uniqueTag()}@marquee.test`] : params;
    expect(await sqlstateOf(runAs(db, actor(), (c) => c.query(sql, args)))).toBe(code);
  });
});

describe('issue_one_time_code', () => {
  it('returns a 6-digit code, a 64-hex token and a 10-minute expiry; stores only their hashes', async () => {
    const subject = randomUUID();
    const { issued, rows, now } = await asService(async (s) => ({
      issued: await s.issue('password_reset', subject),
      rows: await s.codes(subject),
      now: (await s.c.query('select now() as now')).rows[0].now as Date,
    }));
    expect(issued.code).toMatch(/^\d{6}$/);
    expect(issued.token).toMatch(/^[0-9a-f]{64}$/);
    expect(new Date(issued.expires_at).getTime() - now.getTime()).toBe(10 * 60 * 1000);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ purpose: 'password_reset', subject, attempts: 0, token_hash: sha256(issued.token) });
    expect(row.code_hash).toMatch(/^\$2[aby]?\$\d\d\$/);
    expect(row.code_hash).not.toContain(issued.code);
    expect(row.token_hash).not.toBe(issued.token);
    const [{ matches }] = await db.query('select extensions.crypt($1, $2) = $2 as matches', [issued.code, row.code_hash]).then((r) => r.rows);
    expect(matches).toBe(true);
  });

  it('within 60 s answers retry_after and issues nothing; after 60 s the new code voids the old', async () => {
    const subject = `+1555${Date.now() % 10_000_000}`;
    const result = await asService(async (s) => {
      const first = await s.issue('phone_signup', subject);
      await s.backdate(subject, 20);
      const early = await s.issue('phone_signup', subject);
      const rowsAfterEarly = (await s.codes(subject)).length;
      await s.backdate(subject, 41);
      const second = await s.issue('phone_signup', subject);
      const rows = await s.codes(subject);
      return {
        early,
        rowsAfterEarly,
        second,
        rows,
        oldCode: await s.consume('phone_signup', first.code === second.code ? wrongCodeFor(second.code) : first.code, subject),
        oldToken: await s.consume('phone_signup', second.code, null, first.token),
        newToken: await s.consume('phone_signup', second.code, null, second.token),
      };
    });
    expect(result.early).toEqual({ retry_after: 40 });
    expect(result.rowsAfterEarly).toBe(1);
    expect(result.second.code).toMatch(/^\d{6}$/);
    expect(result.rows).toHaveLength(1);
    expect(result.rows[0]!.token_hash).toBe(sha256(result.second.token));
    expect(result.oldCode).toEqual({ status: 'invalid_code' });
    expect(result.oldToken).toEqual({ status: 'invalid_token' });
    expect(result.newToken).toEqual({ status: 'ok', subject });
  });

  it('a code of one purpose does not block or void another purpose for the same subject', async () => {
    const subject = randomUUID();
    const result = await asService(async (s) => {
      const reset = await s.issue('password_reset', subject);
      const link = await s.issue('parent_link', subject);
      return { link, reset: await s.consume('password_reset', reset.code, subject) };
    });
    expect(result.link.code).toMatch(/^\d{6}$/);
    expect(result.reset).toEqual({ status: 'ok', subject });
  });

  it('refuses an unknown purpose (23514)', async () => {
    expect(await sqlstateOf(asService((s) => s.issue('email_change', randomUUID())))).toBe('23514');
  });
});

describe('consume_one_time_code', () => {
  it('accepts the code once, then deletes every code of the subject (single use)', async () => {
    const subject = randomUUID();
    const result = await asService(async (s) => {
      const { code } = await s.issue('password_reset', subject);
      return {
        first: await s.consume('password_reset', code, subject),
        left: (await s.codes(subject)).length,
        again: await s.consume('password_reset', code, subject),
      };
    });
    expect(result).toEqual({ first: { status: 'ok', subject }, left: 0, again: { status: 'invalid_code' } });
  });

  it.each([
    [4, 'ok'],
    [5, 'invalid_code'],
  ])('after %i wrong tries the right code is %s', async (wrongTries, expected) => {
    const subject = randomUUID();
    const result = await asService(async (s) => {
      const { code } = await s.issue('password_reset', subject);
      const answers = [];
      for (let i = 0; i < wrongTries; i++) answers.push((await s.consume('password_reset', wrongCodeFor(code), subject)).status);
      const attempts = (await s.codes(subject))[0]!.attempts;
      return { answers, attempts, right: (await s.consume('password_reset', code, subject)).status };
    });
    expect(result).toEqual({ answers: Array(wrongTries).fill('invalid_code'), attempts: wrongTries, right: expected });
  });

  it.each([
    ['letters', 'abcdef'],
    ['five digits', '12345'],
    ['no code', null],
  ])('a code of %s counts as a wrong try', async (_name, wrong) => {
    const subject = randomUUID();
    const result = await asService(async (s) => {
      await s.issue('password_reset', subject);
      return { status: (await s.consume('password_reset', wrong, subject)).status, attempts: (await s.codes(subject))[0]!.attempts };
    });
    expect(result).toEqual({ status: 'invalid_code', attempts: 1 });
  });

  it('an expired code answers expired, even when right', async () => {
    const subject = randomUUID();
    const status = await asService(async (s) => {
      const { code } = await s.issue('password_reset', subject);
      await s.backdate(subject, 10 * 60 + 1);
      return (await s.consume('password_reset', code, subject)).status;
    });
    expect(status).toBe('expired');
  });

  it('codes expired for over an hour are swept when any code is issued; fresher ones stay', async () => {
    const [stale, recent] = [randomUUID(), randomUUID()];
    const left = await asService(async (s) => {
      await s.issue('password_reset', stale);
      await s.issue('password_reset', recent);
      await s.backdate(stale, 10 * 60 + 3601);
      await s.backdate(recent, 10 * 60 + 3000);
      await s.issue('password_reset', randomUUID());
      return { stale: (await s.codes(stale)).length, recent: (await s.codes(recent)).length };
    });
    expect(left).toEqual({ stale: 0, recent: 1 });
  });

  it('looks a code up by token; an unknown token or another purpose answers invalid_token', async () => {
    const subject = `+1444${Date.now() % 10_000_000}`;
    const result = await asService(async (s) => {
      const { code, token } = await s.issue('phone_signup', subject);
      return {
        unknown: await s.consume('phone_signup', code, null, 'f'.repeat(64)),
        otherPurpose: await s.consume('password_reset', code, null, token),
        wrong: await s.consume('phone_signup', wrongCodeFor(code), null, token),
        right: await s.consume('phone_signup', code, null, token),
        again: await s.consume('phone_signup', code, null, token),
      };
    });
    expect(result).toEqual({
      unknown: { status: 'invalid_token' },
      otherPurpose: { status: 'invalid_token' },
      wrong: { status: 'invalid_code' },
      right: { status: 'ok', subject },
      again: { status: 'invalid_token' },
    });
  });

  it('a subject without a live code answers invalid_code; no subject and no token is an error (22023)', async () => {
    const subject = randomUUID();
    expect(await asService((s) => s.consume('password_reset', '123456', subject))).toEqual({ status: 'invalid_code' });
    expect(await sqlstateOf(asService((s) => s.consume('password_reset', '123456', null)))).toBe('22023');
  });

  it("another subject's code is not accepted", async () => {
    const [mine, theirs] = [randomUUID(), randomUUID()];
    const status = await asService(async (s) => {
      await s.issue('password_reset', mine);
      const { code } = await s.issue('password_reset', theirs);
      return (await s.consume('password_reset', code, mine)).status;
    });
    expect(status).toBe('invalid_code');
  });
});

describe('capture_sms', () => {
  it('keeps the message in private.sms_outbox', async () => {
    const phone = `+1333${Date.now() % 10_000_000}`;
    const rows = await asService(async (s) => {
      const id = (await s.c.query('select service.capture_sms($1, $2) as id', [phone, 'Your code is 123456'])).rows[0].id;
      return s.asPostgres('select id, phone, body from private.sms_outbox where id = $1', [id]);
    });
    expect(rows).toEqual([{ id: expect.anything(), phone, body: 'Your code is 123456' }]);
  });

  it.each([
    ['anon', () => asAnon()],
    ['a signed-in user', () => asVisitor(visitor)],
    ['service_role', () => asServiceRole()],
  ])('%s cannot read private.sms_outbox directly (42501)', async (_name, actor) => {
    expect(await sqlstateOf(runAs(db, actor(), (c) => c.query('select * from private.sms_outbox')))).toBe('42501');
  });
});

describe('find_sign_in_account', () => {
  let account: Account;
  let phoneDigits: string;
  beforeAll(async () => {
    phoneDigits = `1202${String(Date.now() % 10_000_000).padStart(7, '0')}`;
    account = await createAccount(db, { username: `Finder_${uniqueTag()}`, phone: phoneDigits });
  });
  const find = (login: string) =>
    runAs(db, asServiceRole(), async (c) => (await c.query('select service.find_sign_in_account($1) as r', [login])).rows[0].r);

  it.each([
    ['the username', () => account.username],
    ['the username in another case', () => account.username.toUpperCase()],
    ['the username with spaces around', () => `  ${account.username} `],
    ['the email', () => account.email],
    ['the email in capitals', () => account.email.toUpperCase()],
    ['the phone in E.164', () => `+${phoneDigits}`],
    ['the phone without +', () => phoneDigits],
  ])('finds the account by %s', async (_name, login) => {
    expect(await find(login())).toEqual({
      user_id: account.id,
      email: account.email,
      phone: phoneDigits,
      username: account.username,
      status: 'active',
    });
  });

  it.each([
    ['an unknown name', () => `nobody_${uniqueTag()}`],
    ['part of the username', () => account.username.slice(0, -2)],
    ['a LIKE pattern', () => `${account.username.slice(0, 8)}%`],
    ['part of the phone', () => phoneDigits.slice(0, 8)],
  ])('finds nothing for %s', async (_name, login) => {
    expect(await find(login())).toBeNull();
  });

  it('reports the status of a suspended account', async () => {
    const suspended = await createAccount(db, { status: 'suspended' });
    expect(await find(suspended.username)).toMatchObject({ user_id: suspended.id, status: 'suspended' });
  });
});

describe('verify_user_password', () => {
  let noPassword: Account;
  beforeAll(async () => {
    noPassword = await createAccount(db);
    await db.query(`update auth.users set encrypted_password = '' where id = $1`, [noPassword.id]);
  });
  const verify = (userId: string, password: string) =>
    runAs(db, asServiceRole(), async (c) => (await c.query('select service.verify_user_password($1, $2) as ok', [userId, password])).rows[0].ok);

  it.each([
    ['the right password', true, () => visitor.id, 'password-123'],
    ['a wrong password', false, () => visitor.id, 'password-124'],
    ['an empty password', false, () => visitor.id, ''],
    ['an unknown user', false, () => randomUUID(), 'password-123'],
    ['a user without a password (e.g. phone OTP only)', false, () => noPassword.id, ''],
  ])('%s → %s', async (_name, expected, userId, password) => {
    expect(await verify(userId(), password)).toBe(expected);
  });
});
