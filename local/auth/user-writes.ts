/**
 * The only writer of auth.users, as GoTrue's `models.User` is: every change to a user row is one of
 * the named operations below (GoTrue's `Confirm`, `ConfirmPhone`, `UpdatePassword`, `SetEmail`,
 * `Ban`, …), so what an operation must also clear or set travels with it whichever route calls it.
 * tests/local/auth/user-writer.test.ts fails when another file in local/auth writes the table.
 */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { internal } from './errors.ts';
import { deleteAllSessions, deleteOtherSessions } from './sessions.ts';
import { mergeMetadata, NIL_INSTANCE, type JsonObject, type UserRow } from './users.ts';

export interface NewUser {
  id?: string;
  email?: string;
  phone?: string;
  encryptedPassword: string;
  aud: string;
  role: string;
  appMetadata: JsonObject;
  userMetadata: JsonObject;
  isAnonymous?: boolean;
}

/**
 * Creates a user — the one place a user row is born — the way GoTrue's `tx.Create(user)` +
 * `SetRole` do: every string column set (''), the role written by a second statement, so
 * triggers on auth.users see GoTrue's order.
 */
export async function insertUser(db: Queryable, user: NewUser): Promise<string> {
  const id = user.id ?? randomUUID();
  await db.query(
    `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, phone, raw_app_meta_data,
        raw_user_meta_data, confirmation_token, recovery_token, email_change_token_new, email_change,
        email_change_token_current, phone_change, phone_change_token, reauthentication_token,
        email_change_confirm_status, is_sso_user, is_anonymous, created_at, updated_at)
     values ($1, $2, $3, '', $4, $5, $6, $7, $8, '', '', '', '', '', '', '', '', 0, false, $9, now(), now())`,
    [
      NIL_INSTANCE,
      id,
      user.aud,
      user.email ? user.email.toLowerCase() : null,
      user.encryptedPassword,
      user.phone || null,
      JSON.stringify(user.appMetadata),
      JSON.stringify(user.userMetadata),
      user.isAnonymous ?? false,
    ],
  );
  await setRole(db, id, user.role);
  return id;
}

/** The row of a new email user (`SignupParams.ToUserModel` for the email provider). */
export function newEmailUser(
  settings: { audience: string; defaultRole: string },
  user: { id?: string; email: string; encryptedPassword: string; data: JsonObject },
): NewUser {
  return {
    id: user.id,
    email: user.email,
    encryptedPassword: user.encryptedPassword,
    aud: settings.audience,
    role: settings.defaultRole,
    appMetadata: { provider: 'email', providers: ['email'] },
    userMetadata: user.data,
  };
}

/** A new, unconfirmed email user as GoTrue's `signupNewUser` makes one; returns its id. */
export function insertEmailUser(
  db: Queryable,
  settings: { audience: string; defaultRole: string },
  user: { id?: string; email: string; encryptedPassword: string; data: JsonObject },
): Promise<string> {
  return insertUser(db, newEmailUser(settings, user)).catch((error: unknown) => {
    throw internal('Database error saving new user', error);
  });
}

/** `DELETE /admin/users/:id` without soft delete: the row goes (identities, sessions, factors cascade). */
export async function deleteUser(db: Queryable, userId: string): Promise<void> {
  await db.query('delete from auth.users where id = $1', [userId]);
}

/**
 * GoTrue's `SoftDeleteUser`: the row stays for references, but nothing can sign in with it — no
 * address, number, password or pending token.
 */
export async function softDeleteUser(db: Queryable, userId: string): Promise<void> {
  await db.query(
    `update auth.users set email = null, phone = null, email_change = '', phone_change = '', encrypted_password = null,
            confirmation_token = '', recovery_token = '', email_change_token_current = '', email_change_token_new = '',
            phone_change_token = '', deleted_at = now(), updated_at = now()
      where id = $1`,
    [userId],
  );
  await db.query('delete from auth.identities where user_id = $1', [userId]);
  await db.query('delete from auth.mfa_factors where user_id = $1', [userId]);
  await deleteAllSessions(db, userId);
}

/** GoTrue's `SetRole` (whitespace trimmed). */
export async function setRole(db: Queryable, userId: string, role: string): Promise<void> {
  await db.query('update auth.users set role = $2, updated_at = now() where id = $1', [userId, role.trim()]);
}

/** GoTrue's `SetEmail`: the address only (the admin API; users change theirs by confirmation). */
export async function setEmail(db: Queryable, userId: string, email: string): Promise<void> {
  await db.query('update auth.users set email = $2, updated_at = now() where id = $1', [userId, email.toLowerCase()]);
}

/** GoTrue's `SetPhone`: the number only (the admin API; users change theirs by code). */
export async function setPhone(db: Queryable, userId: string, phone: string): Promise<void> {
  await db.query('update auth.users set phone = $2, updated_at = now() where id = $1', [userId, phone]);
}

/**
 * Stores a hash without the rest of `UpdatePassword` — only where GoTrue does so too: an
 * unconfirmed user signing up again, an invited user given a random password on acceptance.
 */
export async function setEncryptedPassword(db: Queryable, userId: string, encryptedPassword: string): Promise<void> {
  await db.query('update auth.users set encrypted_password = $2, updated_at = now() where id = $1', [userId, encryptedPassword]);
}

/**
 * GoTrue's `UpdatePassword`: the new hash, and every pending token cleared (a changed password
 * means what the old one started is no longer trusted), the one-time tokens deleted, and every
 * session signed out but `keepSessionId` (the user's own, when they changed it themselves).
 */
export async function updatePassword(db: Queryable, userId: string, encryptedPassword: string, keepSessionId: string | null): Promise<void> {
  await db.query(
    `update auth.users set encrypted_password = $2, confirmation_token = '', confirmation_sent_at = null,
            recovery_token = '', recovery_sent_at = null, email_change_token_current = '', email_change_token_new = '',
            email_change_sent_at = null, phone_change_token = '', phone_change_sent_at = null,
            reauthentication_token = '', reauthentication_sent_at = null, updated_at = now()
      where id = $1`,
    [userId, encryptedPassword],
  );
  await clearOneTimeTokens(db, userId);
  if (keepSessionId) await deleteOtherSessions(db, userId, keepSessionId);
  else await deleteAllSessions(db, userId);
}

/** Replaces the user metadata outright (GoTrue's `RemoveUnconfirmedIdentities` copies an identity's data). */
export async function replaceUserMetadata(db: Queryable, user: UserRow, metadata: JsonObject): Promise<void> {
  user.raw_user_meta_data = metadata;
  await db.query('update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1', [user.id, JSON.stringify(metadata)]);
}

export async function updateUserMetadata(db: Queryable, user: UserRow, updates: JsonObject): Promise<void> {
  await replaceUserMetadata(db, user, mergeMetadata(user.raw_user_meta_data, updates));
}

export async function updateAppMetadata(db: Queryable, user: UserRow, updates: JsonObject): Promise<void> {
  user.raw_app_meta_data = mergeMetadata(user.raw_app_meta_data, updates);
  await db.query('update auth.users set raw_app_meta_data = $2, updated_at = now() where id = $1', [
    user.id,
    JSON.stringify(user.raw_app_meta_data),
  ]);
}

/** GoTrue's `UpdateAppMetaDataProviders`: `providers` from the user's identities (oldest first), `provider` the first. */
export async function updateAppMetadataProviders(db: Queryable, user: UserRow): Promise<void> {
  const { rows } = await db.query<{ provider: string }>('select provider from auth.identities where user_id = $1 order by created_at asc', [
    user.id,
  ]);
  const providers = [...new Set(rows.map((r) => r.provider))];
  await updateAppMetadata(db, user, providers.length ? { providers, provider: providers[0] } : { providers });
}

/** Marks the email confirmed, as GoTrue's `User.Confirm` (also sets user_metadata.email_verified). */
export async function confirmEmail(db: Queryable, user: UserRow): Promise<void> {
  await db.query(
    `update auth.users set confirmation_token = '', email_confirmed_at = now(), updated_at = now() where id = $1`,
    [user.id],
  );
  await updateUserMetadata(db, user, { email_verified: true });
  await clearOneTimeTokens(db, user.id);
}

/** GoTrue's `User.ConfirmPhone`: the confirmation token spent, `phone_confirmed_at` set, one-time tokens cleared. */
export async function confirmPhone(db: Queryable, user: UserRow): Promise<void> {
  await db.query(`update auth.users set confirmation_token = '', phone_confirmed_at = now(), updated_at = now() where id = $1`, [user.id]);
  await clearOneTimeTokens(db, user.id);
}

/** An anonymous user who confirmed an address or number is a permanent user from now on. */
export async function markPermanent(db: Queryable, userId: string): Promise<void> {
  await db.query('update auth.users set is_anonymous = false, updated_at = now() where id = $1', [userId]);
}

/** GoTrue's `UpdateLastSignInAt`. */
export async function updateLastSignIn(db: Queryable, userId: string): Promise<void> {
  await db.query('update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1', [userId]);
}

/** GoTrue's `Ban`: `until` null lifts the ban. */
export async function ban(db: Queryable, userId: string, until: Date | null): Promise<void> {
  await db.query('update auth.users set banned_until = $2, updated_at = now() where id = $1', [userId, until]);
}

/** An invitation was sent (`invited_at`). */
export async function markInvited(db: Queryable, userId: string): Promise<void> {
  await db.query('update auth.users set invited_at = now(), updated_at = now() where id = $1', [userId]);
}

/** The token columns a code or link is kept in, with the column of when it was sent. */
export type UserToken = 'confirmation' | 'recovery' | 'reauthentication';

/** A new code or link of `kind` was sent: its hash and the time (which `max_frequency` and `otp_expiry` read). */
export async function setToken(db: Queryable, userId: string, kind: UserToken, hash: string): Promise<void> {
  await db.query(`update auth.users set ${kind}_token = $2, ${kind}_sent_at = now(), updated_at = now() where id = $1`, [userId, hash]);
}

/** A code or link of `kind` was spent: the token and its time cleared, with its one-time token. */
export async function clearToken(db: Queryable, userId: string, kind: Exclude<UserToken, 'confirmation'>): Promise<void> {
  await db.query(`update auth.users set ${kind}_token = '', ${kind}_sent_at = null, updated_at = now() where id = $1`, [userId]);
  await db.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, `${kind}_token`]);
}

/** A pending email change: the new address and the hashes of both links (empty when not sent). */
export async function setEmailChange(
  db: Queryable,
  userId: string,
  change: { newEmail: string; tokenNew: string; tokenCurrent: string },
): Promise<void> {
  await db.query(
    `update auth.users set email_change = $2, email_change_token_new = $3, email_change_token_current = $4,
            email_change_confirm_status = 0, email_change_sent_at = now(), updated_at = now() where id = $1`,
    [userId, change.newEmail, change.tokenNew, change.tokenCurrent],
  );
}

/** One of the two email-change links was followed: its token spent, the other still awaited. */
export async function confirmEmailChangeHalf(
  db: Queryable,
  userId: string,
  column: 'email_change_token_current' | 'email_change_token_new',
): Promise<void> {
  await db.query(`update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now() where id = $1`, [userId]);
  await db.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, column]);
}

/** GoTrue's `ConfirmEmailChange`: the pending address becomes the (confirmed) email. */
export async function confirmEmailChange(db: Queryable, userId: string, newEmail: string): Promise<void> {
  await db.query(
    `update auth.users set email = $2, email_change = '', email_change_token_new = '', email_change_token_current = '',
            email_change_confirm_status = 0, email_change_sent_at = null, email_confirmed_at = coalesce(email_confirmed_at, now()),
            is_anonymous = false, updated_at = now()
      where id = $1`,
    [userId, newEmail],
  );
  await db.query(`delete from auth.one_time_tokens where user_id = $1 and token_type::text like 'email_change%'`, [userId]);
}

/** A code was sent to a new number: the pending number and the code's hash. */
export async function setPhoneChange(db: Queryable, userId: string, phone: string, hash: string): Promise<void> {
  await db.query(
    'update auth.users set phone_change = $2, phone_change_token = $3, phone_change_sent_at = now(), updated_at = now() where id = $1',
    [userId, phone, hash],
  );
}

/** GoTrue's `ConfirmPhoneChange`: the pending number becomes the phone, confirmed now. */
export async function confirmPhoneChange(db: Queryable, userId: string, phone: string): Promise<void> {
  await db.query(
    `update auth.users set phone = $2, phone_change = '', phone_change_token = '', phone_confirmed_at = now(), updated_at = now()
      where id = $1`,
    [userId, phone],
  );
  await clearOneTimeTokens(db, userId);
}

/** GoTrue's `ClearAllOneTimeTokensForUser`. */
async function clearOneTimeTokens(db: Queryable, userId: string): Promise<void> {
  await db.query('delete from auth.one_time_tokens where user_id = $1', [userId]);
}
