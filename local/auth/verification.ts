import { timingSafeEqual } from 'node:crypto';
import { audit } from './audit.ts';
import type { Queryable } from './db.ts';
import { forbidden, internal, validationFailed } from './errors.ts';
import { hashPassword, randomPassword } from './passwords.ts';
import { PKCE_PREFIX } from './pkce.ts';
import type { AuthSettings } from './settings.ts';
import { clearToken, confirmEmail, confirmEmailChange as applyEmailChange, confirmEmailChangeHalf, setEncryptedPassword } from './user-writes.ts';
import { findUserById, hasPassword, insertIdentity, isBanned, isEmailConfirmed, type User } from './users.ts';

/** The email verification types `/verify` accepts. */
export const VERIFY_TYPES = ['signup', 'invite', 'recovery', 'magiclink', 'email_change', 'email'] as const;
export type VerifyType = (typeof VERIFY_TYPES)[number];

/** Which token columns each verification type checks. */
const TOKEN_COLUMNS: Record<VerifyType, string[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email_change: ['email_change_token_new', 'email_change_token_current'],
  email: ['confirmation_token', 'recovery_token'],
};

/** Answered when a link's hash matches nothing (GoTrue's `verifyTokenHash`). */
export const invalidLink = () => forbidden('otp_expired', 'Email link is invalid or has expired');
/** Answered when an address and code do not verify (GoTrue's `verifyUserAndToken`). */
export const invalidCode = () => forbidden('otp_expired', 'Token has expired or is invalid');

export function verifyType(value: string): VerifyType {
  if ((VERIFY_TYPES as readonly string[]).includes(value)) return value as VerifyType;
  if (!value) throw validationFailed('Verify requires a verification type');
  throw validationFailed('Unsupported verification type');
}

export async function findUserByTokenHash(db: Queryable, type: VerifyType, hash: string): Promise<User | undefined> {
  const columns = TOKEN_COLUMNS[type];
  const { rows } = await db.query<{ id: string }>(
    `select id from auth.users where ${columns.map((col) => `${col} = $1`).join(' or ')} limit 1`,
    [hash],
  );
  return rows[0] ? findUserById(db, rows[0].id) : undefined;
}

function sameToken(stored: string, presented: string): boolean {
  if (!stored || stored.length !== presented.length) return false;
  return timingSafeEqual(Buffer.from(stored), Buffer.from(presented));
}

/** A presented hash matches the stored one as is, or as the `pkce_`-prefixed token of a PKCE flow. */
function matches(stored: string, presented: string): boolean {
  return sameToken(stored, presented) || sameToken(stored, PKCE_PREFIX + presented);
}

function expired(sentAt: Date | null, seconds: number): boolean {
  return !sentAt || sentAt.getTime() + seconds * 1000 < Date.now();
}

export type VerificationOutcome =
  /** The token was accepted and the user may be signed in (or handed a PKCE auth code). */
  | { kind: 'verified'; user: User; type: Exclude<VerifyType, 'email'> }
  /** One of two email-change links was followed; the other is still awaited. */
  | { kind: 'awaiting_other_confirmation' };

export const SINGLE_CONFIRMATION_ACCEPTED = 'Confirmation link accepted. Please proceed to confirm link sent to the other email';

export interface VerificationInput {
  user: User | undefined;
  type: VerifyType;
  presentedHash: string;
  /** Whether the hash came from a link (`token_hash`, GET /verify) rather than address + code. */
  viaLink: boolean;
  ip: string | undefined;
}

/**
 * Checks the presented token against the user's stored hash for the type and applies what it
 * confirms (signup, invite, recovery, magic link, email change), inside the caller's transaction.
 */
export async function applyVerification(tx: Queryable, settings: AuthSettings, input: VerificationInput): Promise<VerificationOutcome> {
  const { user, presentedHash, ip } = input;
  const invalid = input.viaLink ? invalidLink : invalidCode;
  if (!user) throw invalid();
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  const expiry = settings.email.otpExpirySeconds;

  let type = input.type;
  if (type === 'email') {
    if (matches(user.confirmation_token, presentedHash)) type = 'signup';
    else if (matches(user.recovery_token, presentedHash)) type = 'magiclink';
    else throw invalid();
  }

  switch (type) {
    case 'signup':
    case 'invite':
      if (!matches(user.confirmation_token, presentedHash) || expired(user.confirmation_sent_at, expiry)) throw invalid();
      await confirmSignup(tx, user, ip);
      break;
    case 'recovery':
    case 'magiclink':
      if (!matches(user.recovery_token, presentedHash) || expired(user.recovery_sent_at, expiry)) throw invalid();
      await clearToken(tx, user.id, 'recovery');
      if (isEmailConfirmed(user)) {
        await audit(tx, user.id, user.email, 'login', undefined, ip);
      } else {
        await audit(tx, user.id, user.email, 'user_signedup', { provider: 'email' }, ip);
        await confirmEmail(tx, user);
      }
      break;
    case 'email_change': {
      const matchesNew = matches(user.email_change_token_new, presentedHash);
      const matchesCurrent = matches(user.email_change_token_current, presentedHash);
      if ((!matchesNew && !matchesCurrent) || expired(user.email_change_sent_at, expiry)) throw invalid();
      const secure = settings.email.doubleConfirmChanges && user.email_change_token_current !== '' && !!user.email;
      if (secure && user.email_change_confirm_status === 0) {
        const column = matchesCurrent ? 'email_change_token_current' : 'email_change_token_new';
        await confirmEmailChangeHalf(tx, user.id, column);
        return { kind: 'awaiting_other_confirmation' };
      }
      await confirmEmailChange(tx, user, ip);
      break;
    }
  }
  const fresh = await findUserById(tx, user.id);
  if (!fresh) throw internal('Database error finding user from email link');
  return { kind: 'verified', user: fresh, type };
}

/**
 * GoTrue's `signupVerify`: an invited user without a password gets a random one (the app then
 * asks for a real one), the address is confirmed and its identities marked verified.
 */
async function confirmSignup(tx: Queryable, user: User, ip: string | undefined): Promise<void> {
  if (!hasPassword(user) && user.invited_at) {
    await setEncryptedPassword(tx, user.id, await hashPassword(randomPassword()));
  }
  await audit(tx, user.id, user.email, 'user_signedup', { provider: 'email' }, ip);
  await confirmEmail(tx, user);
  await tx.query(
    `update auth.identities set identity_data = identity_data || '{"email_verified": true}'::jsonb, updated_at = now()
      where user_id = $1 and email is not null and email = $2`,
    [user.id, user.email ?? ''],
  );
}

/** Applies a confirmed email change to the user and their email identity (creating it if missing). */
async function confirmEmailChange(tx: Queryable, user: User, ip: string | undefined): Promise<void> {
  const newEmail = user.email_change;
  await audit(tx, user.id, user.email, 'user_modified', undefined, ip);
  const identity = user.identities.find((i) => i.provider === 'email');
  if (identity) {
    await tx.query(`update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = now() where id = $1`, [
      identity.id,
      JSON.stringify({ email: newEmail, email_verified: true }),
    ]);
  } else {
    await insertIdentity(tx, user.id, 'email', user.id, { sub: user.id, email: newEmail, email_verified: true, phone_verified: false });
  }
  await applyEmailChange(tx, user.id, newEmail);
}
