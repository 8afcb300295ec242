import { timingSafeEqual } from 'node:crypto';
import type { Queryable } from './db.ts';
import { badRequest, unprocessable } from './errors.ts';
import { tokenHash } from './mail.ts';
import type { SessionRow } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
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
  await db.query(`update auth.users set reauthentication_token = '', reauthentication_sent_at = null, updated_at = now() where id = $1`, [
    user.id,
  ]);
  await db.query(`delete from auth.one_time_tokens where user_id = $1 and token_type = 'reauthentication_token'`, [user.id]);
}
