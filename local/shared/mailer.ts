import nodemailer from 'nodemailer';
import { section, type LocalConfig } from '../config/index.ts';

export interface MailMessage {
  to: string;
  subject: string;
  text?: string;
  html?: string;
  from?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

/**
 * Sends through `[auth.email.smtp]` when config.toml enables it (production SMTP), otherwise
 * through Marquee Local's SMTP capture, as the CLI stack sends through Mailpit.
 */
export function createMailer(config: LocalConfig): Mailer {
  const smtp = section(config.toml, 'auth.email.smtp');
  const localSmtp = section(config.toml, 'local_smtp');
  const useConfigured = smtp.enabled === true && typeof smtp.host === 'string';
  const transport = nodemailer.createTransport(
    useConfigured
      ? {
          host: smtp.host as string,
          port: Number(smtp.port ?? 587),
          auth: smtp.user ? { user: String(smtp.user), pass: String(smtp.pass ?? '') } : undefined,
        }
      : { host: config.host, port: config.ports.mailSmtp, secure: false, ignoreTLS: true },
  );
  const adminEmail = String(smtp.admin_email ?? localSmtp.admin_email ?? 'admin@email.com');
  const senderName = String(smtp.sender_name ?? localSmtp.sender_name ?? 'Admin');
  return {
    async send(message) {
      await transport.sendMail({ from: message.from ?? `"${senderName}" <${adminEmail}>`, ...message });
    },
    close: () => transport.close(),
  };
}
