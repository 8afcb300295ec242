import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Logger } from '../shared/logger.ts';
import type { Mailer } from '../shared/mailer.ts';
import type { Queryable } from './db.ts';
import { AuthError, tooManyRequests } from './errors.ts';
import { withFlowPrefix, type FlowType } from './pkce.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { AuthSettings, NotificationKind } from './settings.ts';
import { markInvited, setEmailChange, setToken } from './user-writes.ts';
import type { UserRow } from './users.ts';

/** The email flows GoTrue mails a link and code for; the value is the `type` the link verifies. */
export type EmailAction = 'signup' | 'recovery' | 'magiclink' | 'email_change' | 'invite';

export interface MailDeps {
  settings: AuthSettings;
  mailer: Mailer;
  emailLimiter: RateLimiter | undefined;
}

/** GoTrue's default templates (subjects and bodies) as the CLI stack sends them. */
type MailTemplate = EmailAction | 'reauthentication';

const TEMPLATES: Record<MailTemplate, { subject: string; body: (link: string, code: string, email: string) => string }> = {
  signup: {
    subject: 'Confirm Your Signup',
    body: (link, code) =>
      `<h2>Confirm your signup</h2>\n\n<p>Follow this link to confirm your user:</p>\n<p><a href="${link}">Confirm your mail</a></p>\n<p>Alternatively, enter the code: ${code}</p>\n`,
  },
  invite: {
    subject: 'You have been invited',
    body: (link, code) =>
      `<h2>You have been invited</h2>\n\n<p>You have been invited to create a user. Follow this link to accept the invite:</p>\n<p><a href="${link}">Accept the invite</a></p>\n<p>Alternatively, enter the code: ${code}</p>\n`,
  },
  magiclink: {
    subject: 'Your Magic Link',
    body: (link, code) =>
      `<h2>Magic Link</h2>\n\n<p>Follow this link to login:</p>\n<p><a href="${link}">Log In</a></p>\n<p>Alternatively, enter the code: ${code}</p>\n`,
  },
  recovery: {
    subject: 'Reset Your Password',
    body: (link, code) =>
      `<h2>Reset Password</h2>\n\n<p>Follow this link to reset the password for your user:</p>\n<p><a href="${link}">Reset Password</a></p>\n<p>Alternatively, enter the code: ${code}</p>\n`,
  },
  reauthentication: {
    subject: 'Confirm reauthentication',
    body: (_link, code) => `<h2>Confirm reauthentication</h2>\n\n<p>Enter the code: ${code}</p>\n`,
  },
  email_change: {
    subject: 'Confirm Email Change',
    body: (link, code, email) =>
      `<h2>Confirm Change of Email</h2>\n\n<p>Follow this link to confirm the update of your email to ${email}:</p>\n<p><a href="${link}">Change Email</a></p>\n<p>Alternatively, enter the code: ${code}</p>\n`,
  },
};

/** What a notice may name: the account's address and number, before and after the change. */
export interface NoticeData {
  email: string;
  oldEmail?: string;
  phone?: string;
  oldPhone?: string;
  factorType?: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** GoTrue's default subjects and bodies of the account-change notices. */
const NOTICES: Record<NotificationKind, { subject: string; body: (data: NoticeData) => string }> = {
  password_changed: {
    subject: 'Your password was changed',
    body: () =>
      `<h2>Your password was changed</h2>\n\n<p>The password for your account was recently changed.</p>\n` +
      `<p>If you didn't make this change, reset your password and contact support immediately.</p>\n`,
  },
  email_changed: {
    subject: 'Your email address was changed',
    body: (d) =>
      `<h2>Your email address was changed</h2>\n\n<p>The email address for your account was changed from ${escapeHtml(d.oldEmail ?? '')} to ${escapeHtml(d.email)}.</p>\n` +
      `<p>If you didn't make this change, contact support immediately.</p>\n`,
  },
  phone_changed: {
    subject: 'Your phone number was changed',
    body: (d) =>
      `<h2>Your phone number was changed</h2>\n\n<p>The phone number for your account was changed from ${escapeHtml(d.oldPhone ?? '')} to ${escapeHtml(d.phone ?? '')}.</p>\n` +
      `<p>If you didn't make this change, contact support immediately.</p>\n`,
  },
  mfa_factor_enrolled: {
    subject: 'A new verification method was added to your account',
    body: (d) =>
      `<h2>A new verification method was added</h2>\n\n<p>Sign-in verification method ${escapeHtml(d.factorType ?? '')} was added to your account.</p>\n` +
      `<p>If you didn't make this change, contact support immediately.</p>\n`,
  },
  mfa_factor_unenrolled: {
    subject: 'A verification method was removed from your account',
    body: (d) =>
      `<h2>A verification method was removed</h2>\n\n<p>Sign-in verification method ${escapeHtml(d.factorType ?? '')} was removed from your account.</p>\n` +
      `<p>If you didn't make this change, contact support immediately.</p>\n`,
  },
};

/**
 * An account-change notice (`[auth.email.notification.<kind>]`), when enabled. Sent after the
 * change is committed; as in GoTrue a notice that cannot be sent (mail rate limit, SMTP down) is
 * logged and does not undo or fail the change. `to` is the old address for `email_changed`.
 */
export async function sendNotice(deps: MailDeps & { log: Logger }, kind: NotificationKind, to: string, data: NoticeData): Promise<void> {
  const notice = deps.settings.email.notifications[kind];
  if (!notice.enabled || !to) return;
  try {
    if (deps.emailLimiter && !deps.emailLimiter.take('global')) throw new Error('email rate limit exceeded');
    const template = NOTICES[kind];
    await deps.mailer.send({ to, subject: notice.subject ?? template.subject, html: template.body(data) });
  } catch (error) {
    deps.log.warn(`Unable to send ${kind} notification email`, { error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The notices a confirmed change owes (GoTrue's verify): `email_changed` to the old address,
 * `phone_changed` to the account's address — each only when both values exist and differ.
 */
export async function sendChangeNotices(deps: MailDeps & { log: Logger }, before: UserRow, after: UserRow): Promise<void> {
  const changed = (old: string | null, now: string | null) => !!old && !!now && old !== now;
  if (changed(before.email, after.email)) {
    await sendNotice(deps, 'email_changed', before.email!, { email: after.email!, oldEmail: before.email! });
  }
  if (changed(before.phone, after.phone) && after.email) {
    await sendNotice(deps, 'phone_changed', after.email, { email: after.email, phone: after.phone!, oldPhone: before.phone! });
  }
}

/** A numeric one-time code from a CSPRNG. */
export function generateOtp(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(10));
  return code;
}

/** GoTrue's `GenerateTokenHash`: hex SHA-224 of the address followed by the code. */
export function tokenHash(address: string, otp: string): string {
  return createHash('sha224').update(address + otp).digest('hex');
}

type OneTimeTokenType =
  | 'confirmation_token'
  | 'recovery_token'
  | 'email_change_token_new'
  | 'email_change_token_current'
  | 'reauthentication_token'
  | 'phone_change_token';

/** Keeps auth.one_time_tokens in step with the token columns, as GoTrue does. */
export async function storeOneTimeToken(db: Queryable, userId: string, type: OneTimeTokenType, hash: string, relatesTo: string) {
  await db.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type]);
  await db.query(
    `insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to, created_at, updated_at)
     values ($1, $2, $3, $4, $5, now(), now())`,
    [randomUUID(), userId, type, hash, relatesTo],
  );
}

/** `max_frequency`: a second mail of the same kind too soon → 429 over_email_send_rate_limit. */
function checkFrequency(sentAt: Date | null, settings: AuthSettings): void {
  if (!sentAt) return;
  const readyAt = sentAt.getTime() + settings.email.maxFrequencySeconds * 1000;
  const remaining = readyAt - Date.now();
  if (remaining > 0) {
    throw tooManyRequests(
      'over_email_send_rate_limit',
      `For security purposes, you can only request this after ${Math.ceil(remaining / 1000)} seconds.`,
    );
  }
}

/** A redirect target from the allow list (site_url, additional_redirect_urls), else site_url. */
export function safeRedirect(settings: AuthSettings, requested: string | undefined): string {
  if (!requested) return settings.siteUrl;
  const allowed = [settings.siteUrl, ...settings.additionalRedirectUrls];
  for (const pattern of allowed) {
    if (pattern.includes('*')) {
      const regex = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      if (regex.test(requested)) return requested;
    } else if (requested === pattern || requested.startsWith(pattern.replace(/\/$/, '') + '/')) {
      return requested;
    }
  }
  try {
    if (new URL(requested).origin === new URL(settings.siteUrl).origin) return requested;
  } catch {
    // not a URL
  }
  return settings.siteUrl;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** The link a mail carries: `<external>/verify?token=…&type=…&redirect_to=…` (GoTrue's `GetEmailActionLink`). */
export function verifyLink(settings: AuthSettings, token: string, type: EmailAction, redirectTo: string): string {
  const params = new URLSearchParams({ token, type, redirect_to: redirectTo });
  return `${settings.externalUrl}/verify?${params.toString()}`;
}

async function deliver(deps: MailDeps, to: string, action: MailTemplate, link: string, code: string, newEmail = ''): Promise<void> {
  if (deps.emailLimiter && !deps.emailLimiter.take('global')) {
    throw tooManyRequests('over_email_send_rate_limit', 'email rate limit exceeded');
  }
  const template = TEMPLATES[action];
  try {
    await deps.mailer.send({ to, subject: template.subject, html: template.body(link, code, newEmail) });
  } catch (error) {
    throw new AuthError(500, 'unexpected_failure', 'Error sending confirmation email', error);
  }
}

/** Where a mailed link leads after verification, and whether it completes a PKCE flow. */
export interface LinkOptions {
  redirectTo?: string | undefined;
  flow?: FlowType;
}

/** Signup confirmation: `confirmation_token`, at most once per `max_frequency`. */
export async function sendConfirmation(db: Queryable, deps: MailDeps, user: UserRow, options: LinkOptions = {}): Promise<void> {
  checkFrequency(user.confirmation_sent_at, deps.settings);
  await sendTokenLink(db, deps, user, 'confirmation', 'signup', options);
}

/** Invitation: `confirmation_token` and `invited_at`; GoTrue applies no frequency limit to invites. */
export async function sendInvite(db: Queryable, deps: MailDeps, user: UserRow, redirectTo: string | undefined): Promise<void> {
  await sendTokenLink(db, deps, user, 'confirmation', 'invite', { redirectTo });
  await markInvited(db, user.id);
}

/** Password recovery or magic link: both use `recovery_token` (and share its frequency limit). */
export async function sendRecoveryOrMagicLink(
  db: Queryable,
  deps: MailDeps,
  user: UserRow,
  action: 'recovery' | 'magiclink',
  options: LinkOptions = {},
): Promise<void> {
  checkFrequency(user.recovery_sent_at, deps.settings);
  await sendTokenLink(db, deps, user, 'recovery', action, options);
}

/** Stores the hash of a new OTP for `kind` (prefixed `pkce_` in a PKCE flow), then mails its link and code. */
async function sendTokenLink(
  db: Queryable,
  deps: MailDeps,
  user: UserRow,
  kind: 'confirmation' | 'recovery',
  action: 'signup' | 'invite' | 'recovery' | 'magiclink',
  options: LinkOptions,
): Promise<void> {
  const email = user.email ?? '';
  const otp = generateOtp(deps.settings.email.otpLength);
  const token = withFlowPrefix(tokenHash(email, otp), options.flow ?? 'implicit');
  await storeEmailToken(db, user, kind, token);
  await deliver(deps, email, action, verifyLink(deps.settings, token, action, safeRedirect(deps.settings, options.redirectTo)), otp);
}

/** Writes `<kind>_token` and `<kind>_sent_at` and the matching auth.one_time_tokens row. */
export async function storeEmailToken(db: Queryable, user: UserRow, kind: 'confirmation' | 'recovery', token: string): Promise<void> {
  await setToken(db, user.id, kind, token);
  await storeOneTimeToken(db, user.id, `${kind}_token`, token, user.email ?? '');
}

/** Reauthentication: a code (no link) for `updateUser({ password, nonce })`, in `reauthentication_token`. */
export async function sendReauthentication(db: Queryable, deps: MailDeps, user: UserRow): Promise<void> {
  checkFrequency(user.reauthentication_sent_at, deps.settings);
  const email = user.email ?? '';
  const otp = generateOtp(deps.settings.email.otpLength);
  const hash = tokenHash(email, otp);
  await setToken(db, user.id, 'reauthentication', hash);
  await storeOneTimeToken(db, user.id, 'reauthentication_token', hash, email);
  await deliver(deps, email, 'reauthentication', '', otp);
}

/**
 * Email change: a link to the new address and, with `double_confirm_changes`, one to the current
 * address too; the change applies once every link sent has been followed.
 */
export async function sendEmailChange(
  db: Queryable,
  deps: MailDeps,
  user: UserRow,
  newEmail: string,
  options: LinkOptions = {},
): Promise<void> {
  checkFrequency(user.email_change_sent_at, deps.settings);
  const redirect = safeRedirect(deps.settings, options.redirectTo);
  const flow = options.flow ?? 'implicit';
  const otpNew = generateOtp(deps.settings.email.otpLength);
  const hashNew = withFlowPrefix(tokenHash(newEmail, otpNew), flow);
  const secure = deps.settings.email.doubleConfirmChanges && !!user.email;
  const otpCurrent = secure ? generateOtp(deps.settings.email.otpLength) : '';
  const hashCurrent = secure ? withFlowPrefix(tokenHash(user.email ?? '', otpCurrent), flow) : '';
  await setEmailChange(db, user.id, { newEmail, tokenNew: hashNew, tokenCurrent: hashCurrent });
  await storeOneTimeToken(db, user.id, 'email_change_token_new', hashNew, newEmail);
  if (secure) {
    await storeOneTimeToken(db, user.id, 'email_change_token_current', hashCurrent, user.email ?? '');
    await deliver(deps, user.email ?? '', 'email_change', verifyLink(deps.settings, hashCurrent, 'email_change', redirect), otpCurrent, newEmail);
  }
  await deliver(deps, newEmail, 'email_change', verifyLink(deps.settings, hashNew, 'email_change', redirect), otpNew, newEmail);
  user.email_change = newEmail;
  user.email_change_sent_at = new Date();
}
