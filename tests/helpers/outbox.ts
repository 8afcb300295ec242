import { expect } from 'vitest';
import { connectAsPostgres } from './db.ts';
import { stackEnv } from './env.ts';

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
  for (let i = 0; i < 100; i++) {
    const found = (await mailsTo(address)).find((mail) => mail.subject.includes(subject));
    if (found) return found.text;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail "${subject}" to ${address}`);
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
