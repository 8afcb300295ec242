/**
 * Codes cannot be brute-forced slowly (issue 7, item 4, ASVS 2.7): five tries per code, and 20 wrong
 * codes an hour per account (per phone number before there is an account) across every code it is
 * sent, then a lockout with its own message that refuses even the right code.
 */
import { describe, expect, it } from 'vitest';
import { codeIn, latestSms, mailsTo } from '../helpers/outbox.ts';
import { accessToken, call, createAccount, mailbox, phoneNumber, type Reply, sql } from '../functions/accounts.ts';

const LOCKED = { detail: 'Too many incorrect codes. Code verification is locked for this account; please try again later.' };

/** Waits (up to 10 s) for the `count`-th mail to `address`; the newest mail's code. */
async function nthMailCode(address: string, count: number): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mails = await mailsTo(address);
    if (mails.length >= count) return codeIn(mails[0]!.text);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`mail ${count} to ${address} never came`);
}

/** A code that is not `code`. */
const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

interface Flow {
  /** Sends the `n`-th code (1-based) and answers it. */
  send(n: number): Promise<string>;
  guess(n: number, code: string): Promise<Reply>;
}

const flows: Record<string, () => Promise<Flow>> = {
  'password reset': async () => {
    const user = await createAccount();
    return {
      async send(n) {
        await sql("update private.one_time_codes set created_at = now() - interval '61 seconds' where purpose = 'password_reset' and subject = $1", [user.id]);
        expect((await call('password-reset/request', { email: user.email })).status).toBe(200);
        return nthMailCode(user.email, n);
      },
      guess: (_n, code) => call('password-reset/confirm', { email: user.email, code, new_password: 'Fresh#pass9' }),
    };
  },
  'phone sign-up': async () => {
    const phone = phoneNumber();
    const tokens: string[] = [];
    return {
      async send(n) {
        await sql("update private.one_time_codes set created_at = now() - interval '61 seconds' where purpose = 'phone_signup' and subject = $1", [phone]);
        const reply = await call<{ token: string }>('phone-signup/send-code', { phone_number: phone });
        expect(reply.status).toBe(200);
        tokens[n] = reply.body.token;
        return codeIn((await latestSms(phone))!);
      },
      guess: (n, code) => call('phone-signup/verify', { token: tokens[n], code, password: 'Fresh#pass9' }),
    };
  },
  // One child, a new parent address for every code: the budget is the child's, not the address's.
  'parent link': async () => {
    const child = await createAccount();
    const token = await accessToken(child);
    const parents = Array.from({ length: 6 }, () => mailbox('parent'));
    return {
      async send(n) {
        expect((await call('parental/request-otp', { parent_email: parents[n] }, { token })).status).toBe(200);
        return nthMailCode(parents[n]!, 1);
      },
      guess: (n, code) => call('parental/verify-otp', { parent_email: parents[n], otp_code: code }, { token }),
    };
  },
};

describe('a failure budget across codes', { timeout: 120_000 }, () => {
  it.each(Object.keys(flows))('%s: 20 wrong codes an hour over four codes, then even the right code is refused', async (name) => {
    const flow = await flows[name]!();
    for (let n = 1; n <= 4; n++) {
      const code = await flow.send(n);
      for (let i = 0; i < 5; i++) expect((await flow.guess(n, wrong(code))).status).toBe(400);
    }
    const code = await flow.send(5);
    const locked = await flow.guess(5, code);
    expect(locked).toMatchObject({ status: 429, body: LOCKED });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('the lockout is per account: another account is not affected', async () => {
    const locked = await flows['password reset']!();
    for (let n = 1; n <= 4; n++) {
      const code = await locked.send(n);
      for (let i = 0; i < 5; i++) await locked.guess(n, wrong(code));
    }
    const other = await flows['password reset']!();
    const code = await other.send(1);
    expect(await other.guess(1, code)).toMatchObject({ status: 200, body: { detail: 'Password reset successful.' } });
  });
});
