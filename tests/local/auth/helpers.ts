import { randomBytes } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, serviceClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { waitFor } from '../../helpers/wait-for.ts';

/** A supabase-js client for the suite's stack, without storage or timers (one per test). */
export function client(key: 'anon' | 'service_role' = 'anon', headers: Record<string, string> = {}): SupabaseClient {
  return key === 'anon' ? anonClient({ headers }) : serviceClient({ headers });
}

export function uniqueEmail(tag = 'user'): string {
  return `${tag}-${randomBytes(6).toString('hex')}@example.com`;
}

/** A fresh client address, so a rate-limit test has a bucket of its own. */
export function uniqueIp(): string {
  const b = randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export const PASSWORD = 'Correct-horse-1';

/** Signs up (confirmations are off in config.toml) and returns the client holding the session. */
export async function signedInUser(tag = 'user') {
  const supabase = client();
  const email = uniqueEmail(tag);
  const { data, error } = await supabase.auth.signUp({ email, password: PASSWORD });
  if (error || !data.session) throw error ?? new Error('sign-up returned no session');
  return { supabase, email, session: data.session, user: data.user! };
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

interface MailSummary {
  ID: string;
  Subject: string;
  To: Array<{ Address: string }>;
}

/** The newest captured mail to `address` (Mailpit API), waiting briefly for delivery. */
export async function latestMailTo(address: string, subject?: string): Promise<{ subject: string; html: string }> {
  const { mailUrl } = stackEnv();
  const found = await waitFor(
    async () => {
      const list = (await (await fetch(`${mailUrl}/api/v1/messages?limit=200`)).json()) as { messages: MailSummary[] };
      return list.messages.find(
        (m) => m.To.some((t) => t.Address.toLowerCase() === address.toLowerCase()) && (!subject || m.Subject === subject),
      );
    },
    { timeoutMs: 5_000, intervalMs: 100, what: `a mail to ${address}${subject ? ` with subject ${subject}` : ''}` },
  );
  const message = (await (await fetch(`${mailUrl}/api/v1/message/${found.ID}`)).json()) as { Subject: string; HTML: string };
  return { subject: message.Subject, html: message.HTML };
}

/** The 6-digit code and the verify link's token hash in a GoTrue mail. */
export function codesIn(html: string): { otp: string; tokenHash: string; link: string } {
  const otp = /enter the code: (\d{6})/.exec(html)?.[1];
  const link = /href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  const tokenHash = link ? new URL(link).searchParams.get('token') : null;
  if (!otp || !link || !tokenHash) throw new Error(`no code or link in mail: ${html}`);
  return { otp, tokenHash, link };
}
