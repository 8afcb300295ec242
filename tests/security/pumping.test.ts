/**
 * SMS and mail cannot be pumped (issue 7, item 6): texts and parent mails are limited per sender
 * (client address, account) and per recipient (normalised), and the mail a third party gets carries
 * no words of the sender's beyond their username. The whole service's hourly cap is in
 * service-wide-limits.test.ts, which runs alone.
 */
import { describe, expect, it } from 'vitest';
import { mailsTo, waitForMail } from '../helpers/outbox.ts';
import { fetchFrom, randomLoopbackAddress } from '../helpers/source-address.ts';
import { accessToken, call, createAccount, mailbox, phoneNumber, type Reply, randomIp, sql } from '../functions/accounts.ts';
import { stackEnv } from '../helpers/env.ts';

const stack = stackEnv();

/** POST /functions/v1/<path> from `address`, claiming a new X-Forwarded-For each time. */
async function from(address: string, path: string, body: unknown, token = stack.anonKey): Promise<Reply> {
  const response = await fetchFrom(address)(`${stack.url}/functions/v1/${path}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'X-Forwarded-For': randomIp() },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

const expectLimited = (reply: Reply) => {
  expect(reply).toMatchObject({ status: 429, body: { detail: 'Too many requests. Please try again later.' } });
  expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
};

describe('phone-signup/send-code', { timeout: 60_000 }, () => {
  it('texts at most 5 numbers an hour for one anonymous sender, however it rotates X-Forwarded-For', async () => {
    const address = randomLoopbackAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await from(address, 'phone-signup/send-code', { phone_number: phoneNumber() })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const number = phoneNumber();
    expectLimited(await from(address, 'phone-signup/send-code', { phone_number: number }));
    expect(await sql('select 1 from private.sms_outbox where phone = $1', [number])).toEqual([]);
  });

  it('texts one number at most 5 times an hour, whoever asks', async () => {
    const number = phoneNumber();
    for (let i = 0; i < 5; i++) {
      await sql("update private.one_time_codes set created_at = now() - interval '61 seconds' where purpose = 'phone_signup' and subject = $1", [number]);
      expect((await call('phone-signup/send-code', { phone_number: number })).status).toBe(200);
    }
    await sql("update private.one_time_codes set created_at = now() - interval '61 seconds' where purpose = 'phone_signup' and subject = $1", [number]);
    expectLimited(await call('phone-signup/send-code', { phone_number: number }));
    expect(await sql('select count(*)::int as n from private.sms_outbox where phone = $1', [number])).toEqual([{ n: 5 }]);
  });

});

describe('parental/request-otp', { timeout: 60_000 }, () => {
  it('mails at most 5 parent addresses an hour from one account', async () => {
    const child = await createAccount();
    const token = await accessToken(child);
    for (let i = 0; i < 5; i++) expect((await call('parental/request-otp', { parent_email: mailbox('parent') }, { token })).status).toBe(200);
    const sixth = mailbox('parent');
    expectLimited(await call('parental/request-otp', { parent_email: sixth }, { token }));
    expect(await mailsTo(sixth)).toEqual([]);
  });

  it('mails one parent address at most 3 times an hour, +tags, case and Gmail dots counted as one', async () => {
    const local = mailbox('victim').split('@')[0]!;
    const variants = [`${local}@gmail.com`, `${local}+1@gmail.com`, `${local.toUpperCase()}+x@GMAIL.com`];
    for (const variant of variants) {
      const child = await createAccount();
      expect((await call('parental/request-otp', { parent_email: variant }, { token: await accessToken(child) })).status).toBe(200);
    }
    const dotted = `${local.slice(0, 3)}.${local.slice(3)}+again@googlemail.com`;
    const child = await createAccount();
    expectLimited(await call('parental/request-otp', { parent_email: dotted }, { token: await accessToken(child) }));
  });

  it('mails at most 10 times an hour from one client address, across accounts', async () => {
    const address = randomLoopbackAddress();
    const tokens = await Promise.all(Array.from({ length: 3 }, async () => accessToken(await createAccount())));
    for (let i = 0; i < 10; i++) {
      expect((await from(address, 'parental/request-otp', { parent_email: mailbox('parent') }, tokens[i % 3])).status).toBe(200);
    }
    expectLimited(await from(address, 'parental/request-otp', { parent_email: mailbox('parent') }, tokens[0]));
  });

  it('the mail to the parent holds fixed words, the username and the code only', async () => {
    const child = await createAccount();
    const parent = mailbox('parent');
    expect((await call('parental/request-otp', { parent_email: parent }, { token: await accessToken(child) })).status).toBe(200);
    const text = (await waitForMail(parent, 'Marquee parental link code')).trim();
    const template = text.replace(child.username, '<username>').replace(/\b\d{6}\b/, '<code>');
    expect(template).toBe(
      'Hello,\n\nThe Marquee user with the username "<username>" asked to link their account to this email address as their parent\'s.\n' +
        'The code to confirm it is <code>. It expires in 10 minutes.\n' +
        'If you do not know this user, ignore this email.\n\n— The Marquee team',
    );
  });
});
