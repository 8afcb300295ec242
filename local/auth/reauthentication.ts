import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from './db.ts';
import { badRequest, unprocessable } from './errors.ts';
import { tokenHash } from './mail.ts';
import { verifyPassword } from './passwords.ts';
import { sessionAssurance, type SessionRow } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
import { clearToken } from './user-writes.ts';
import type { UserRow } from './users.ts';

/** A session younger than this may change its password without a nonce (GoTrue's 24 hours). */
const RECENT_SIGN_IN_MS = 24 * 60 * 60 * 1000;

const INVALID_NONCE = 'Nonce has expired or is invalid';

/**
 * With `secure_password_change` on, GoTrue asks a user whose session is older than 24 hours (or
 * who has none) for the nonce `GET /reauthenticate` mailed: missing → 400
 * `reauthentication_needed`; wrong or expired → 422 `reauthentication_not_valid`. A valid nonce
 * is spent.
 */
export async function requireRecentAuthentication(
  db: Queryable,
  settings: AuthSettings,
  user: UserRow,
  session: SessionRow | undefined,
  nonce: string,
): Promise<void> {
  if (!settings.email.securePasswordChange) return;
  if (session && Date.now() <= session.created_at.getTime() + RECENT_SIGN_IN_MS) return;
  if (!nonce) throw badRequest('reauthentication_needed', 'Password update requires reauthentication');
  if (!user.reauthentication_token || !user.reauthentication_sent_at || !user.email) {
    throw unprocessable('reauthentication_not_valid', INVALID_NONCE);
  }
  const expected = Buffer.from(user.reauthentication_token);
  const presented = Buffer.from(tokenHash(user.email, nonce));
  const expired = user.reauthentication_sent_at.getTime() + settings.email.otpExpirySeconds * 1000 < Date.now();
  if (expired || expected.length !== presented.length || !timingSafeEqual(expected, presented)) {
    throw unprocessable('reauthentication_not_valid', INVALID_NONCE);
  }
  await clearToken(db, user.id, 'reauthentication');
}

/** Sign-in methods that proved control of the address or number just now (GoTrue's `IsRecovery`). */
const CODE_METHODS = new Set(['otp', 'magiclink', 'recovery']);

const CURRENT_PASSWORD_REQUIRED = 'Current password required when setting new password.';

/**
 * With `require_current_password` on, GoTrue asks for `current_password` before replacing a
 * password the user has — unless the session was opened by a code or link (OTP, magic link,
 * recovery), which is how a user who forgot it sets a new one. Missing → 400
 * `current_password_required`; wrong → 400 `current_password_invalid` (same message).
 */
export async function requireCurrentPassword(
  db: Queryable,
  settings: AuthSettings,
  user: UserRow,
  session: SessionRow | undefined,
  currentPassword: unknown,
): Promise<void> {
  if (!settings.email.requireCurrentPassword || !user.encrypted_password) return;
  if (session && (await sessionAssurance(db, session.id)).amr.some((entry) => CODE_METHODS.has(entry.method))) return;
  if (typeof currentPassword !== 'string' || currentPassword === '') {
    throw badRequest('current_password_required', CURRENT_PASSWORD_REQUIRED);
  }
  if (!(await verifyPassword(currentPassword, user.encrypted_password))) {
    throw badRequest('current_password_invalid', CURRENT_PASSWORD_REQUIRED);
  }
}
