import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import { expect } from 'vitest';
import { connectAsPostgres } from './db.ts';
import { stackEnv } from './env.ts';
import { waitFor } from './wait-for.ts';

/** What the stack sent instead of delivering: mail in the Mailpit-compatible capture, SMS in private.sms_outbox. */

interface MailSummary {
  ID: string;
  Subject: string;
}

/** The mails sent to `address` (newest first), with their text. */
export async function mailsTo(address: string): Promise<{ subject: string; text: string }[]> {
  const { mailUrl } = stackEnv();
  const list = await fetch(`${mailUrl}/api/v1/search?query=${encodeURIComponent(`to:${address}`)}`);
  const { messages } = (await list.json()) as { messages: MailSummary[] };
  return Promise.all(
    messages.map(async (summary) => {
      const message = (await (await fetch(`${mailUrl}/api/v1/message/${summary.ID}`)).json()) as { Text: string };
      return { subject: summary.Subject, text: message.Text };
    }),
  );
}

/** Waits (up to 10 s) for a mail to `address` whose subject contains `subject`; returns its text. */
export async function waitForMail(address: string, subject: string): Promise<string> {
  const found = await waitFor(async () => (await mailsTo(address)).find((mail) => mail.subject.includes(subject)), {
    timeoutMs: 10_000,
    intervalMs: 100,
    what: `a mail "${subject}" to ${address}`,
  });
  return found.text;
}

/**
 * The mails to `address` sent before now, proven complete by a sentinel: a mail sent through the
 * same SMTP capture after the caller's request returned. Once it has arrived, anything the request
 * sent (services send before they answer) has arrived too. The sentinel is not in the result.
 */
export async function mailsToBeforeSentinel(address: string): Promise<{ subject: string; text: string }[]> {
  const { mailUrl, smtpPort } = stackEnv();
  const subject = `sentinel ${randomUUID()}`;
  const transport = nodemailer.createTransport({ host: new URL(mailUrl).hostname, port: smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'sentinel@marquee.test', to: address, subject, text: 'sentinel' });
  } finally {
    transport.close();
  }
  await waitForMail(address, subject);
  return (await mailsTo(address)).filter((mail) => mail.subject !== subject);
}

/** The 6-digit code in a message. */
export function codeIn(text: string): string {
  const match = /\b(\d{6})\b/.exec(text);
  expect(match, `a 6-digit code in: ${text}`).not.toBeNull();
  return match![1]!;
}

/** The newest SMS captured for `phone`. */
export async function latestSms(phone: string): Promise<string | undefined> {
  const db = await connectAsPostgres();
  try {
    const { rows } = await db.query<{ body: string }>('select body from private.sms_outbox where phone = $1 order by id desc limit 1', [phone]);
    return rows[0]?.body;
  } finally {
    await db.end();
  }
}
