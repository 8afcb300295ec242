/**
 * Mail out through SMTP (nodemailer): `SMTP_HOST` / `SMTP_PORT` / `SMTP_USER` / `SMTP_PASS` when set
 * (production, Mailpit on the CLI stack), else `MARQUEE_SMTP_HOST` / `MARQUEE_SMTP_PORT`, which
 * Marquee Local injects for its mail capture. The sender is `MAIL_FROM`.
 * `sendMail` never throws: it answers whether the message was accepted, and logs why not.
 */
// @ts-types="npm:@types/nodemailer@6"
import nodemailer from 'npm:nodemailer@6';

export const DEFAULT_FROM = 'Marquee <no-reply@marquee.test>';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

type Transport = ReturnType<typeof nodemailer.createTransport>;
let transport: Transport | undefined;

function smtpTransport(): Transport | undefined {
  if (transport) return transport;
  const host = Deno.env.get('SMTP_HOST') || Deno.env.get('MARQUEE_SMTP_HOST');
  if (!host) return undefined;
  const port = Number(Deno.env.get('SMTP_HOST') ? (Deno.env.get('SMTP_PORT') ?? '587') : (Deno.env.get('MARQUEE_SMTP_PORT') ?? '54325'));
  const user = Deno.env.get('SMTP_HOST') ? Deno.env.get('SMTP_USER') : undefined;
  const pass = Deno.env.get('SMTP_HOST') ? Deno.env.get('SMTP_PASS') : undefined;
  transport = nodemailer.createTransport({
    host,
    port,
    secure: port === 465,
    auth: user ? { user, pass: pass ?? '' } : undefined,
    // Set, so nodemailer does not ask the OS for a host name (functions run without --allow-sys).
    name: Deno.env.get('SMTP_HELO_NAME') || 'marquee.local',
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  });
  return transport;
}

/** Sends `mail`; true when the SMTP server accepted it. */
export async function sendMail(mail: Mail): Promise<boolean> {
  try {
    const smtp = smtpTransport();
    if (!smtp) {
      console.error(`mail not sent: no SMTP_HOST or MARQUEE_SMTP_HOST ${JSON.stringify({ to: mail.to, subject: mail.subject })}`);
      return false;
    }
    const info = await smtp.sendMail({ from: Deno.env.get('MAIL_FROM') || DEFAULT_FROM, ...mail });
    return info.accepted.length > 0;
  } catch (error) {
    console.error(`mail not sent ${JSON.stringify({ to: mail.to, subject: mail.subject, error: String(error) })}`);
    return false;
  }
}
