/**
 * The phone provider, as GoTrue's phone.go, signup.go (phone branch) and verify.go (`sms`,
 * `phone_change`) have it: one-time codes sent by SMS through the Send SMS hook (no provider is
 * reachable from Marquee Local), `[auth.sms.test_otp]` codes, `max_frequency` between sends and
 * the global `sms_sent` limit, and verification that confirms the number or applies the change.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { audit } from './audit.ts';
import type { Queryable } from './db.ts';
import { AuthError, forbidden, internal, tooManyRequests, unprocessable, validationFailed } from './errors.ts';
import { runBeforeUserCreatedHook, runSendSmsHook } from './hooks.ts';
import { generateOtp, storeOneTimeToken, tokenHash } from './mail.ts';
import { hashPassword } from './passwords.ts';
import type { AuthDeps } from './request.ts';
import type { ClientInfo } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
import { issueSession } from './tokens.ts';
import {
  confirmPhone,
  confirmPhoneChange,
  insertUser,
  markPermanent,
  replaceUserMetadata,
  setPhoneChange,
  setToken,
  updateAppMetadataProviders,
} from './user-writes.ts';
import {
  findUserById,
  findUserByPhone,
  findUserByPhoneChange,
  insertIdentity,
  isBanned,
  isEmailConfirmed,
  isPhoneConfirmed,
  sanitizedUser,
  userJson,
  type JsonObject,
  type User,
  type UserRow,
} from './users.ts';

/** The kinds of SMS code GoTrue sends (`phoneConfirmationOtp`, `phoneChangeVerification`, `phoneReauthenticationOtp`). */
export type PhoneOtpType = 'confirmation' | 'phone_change' | 'reauthentication';

/** The `/verify` types that check an SMS code. */
export type PhoneVerifyType = 'sms' | 'phone_change';

export const PHONE_VERIFY_TYPES: readonly string[] = ['sms', 'phone_change'];

/** GoTrue's `InvalidChannelError`. */
const INVALID_CHANNEL =
  "Invalid channel, supported values are 'sms' or 'whatsapp'. 'whatsapp' is only supported if Twilio or Twilio Verify is used as the provider.";

/** The audit log's actor name: the phone when the user has one, else the email (GoTrue's `NewAuditLogEntry`). */
export function actorName(user: UserRow): string | null {
  return user.phone || user.email;
}

/** The channel a phone request names ('sms' when omitted), checked as GoTrue's `IsValidMessageChannel`. */
export function messageChannel(settings: AuthSettings, requested: string): string {
  const channel = requested || 'sms';
  if (settings.sendSmsHook) return channel; // the hook decides how to deliver
  const whatsapp = settings.sms.provider === 'twilio' || settings.sms.provider === 'twilio_verify';
  if (channel === 'sms' || (channel === 'whatsapp' && whatsapp)) return channel;
  throw validationFailed(INVALID_CHANNEL);
}

/** The sent-at column and one-time token type of each kind of code. */
const OTP_COLUMNS: Record<PhoneOtpType, { sentAt: keyof UserRow; ott: 'confirmation_token' | 'phone_change_token' | 'reauthentication_token' }> = {
  confirmation: { sentAt: 'confirmation_sent_at', ott: 'confirmation_token' },
  phone_change: { sentAt: 'phone_change_sent_at', ott: 'phone_change_token' },
  reauthentication: { sentAt: 'reauthentication_sent_at', ott: 'reauthentication_token' },
};

/** The test code `[auth.sms.test_otp]` fixes for this number, if any. */
function testOtpFor(settings: AuthSettings, phone: string): string | undefined {
  return Object.hasOwn(settings.sms.testOtp, phone) ? settings.sms.testOtp[phone] : undefined;
}

/**
 * GoTrue's `sendPhoneConfirmation`: refuses a second code within `max_frequency`, takes the test
 * OTP for the number or generates one (counting against `sms_sent` unless phone sign-ups are
 * autoconfirmed), hands it to the Send SMS hook, and stores its hash. Runs inside the caller's
 * transaction, so a hook that fails leaves nothing behind. Returns the message id GoTrue
 * answers (`test-otp` for a test number, else '').
 */
export async function sendPhoneOtp(
  tx: Queryable,
  deps: AuthDeps,
  user: User,
  phone: string,
  type: PhoneOtpType,
  ip: string | undefined,
): Promise<string> {
  const { settings } = deps;
  const columns = OTP_COLUMNS[type];
  const sentAt = user[columns.sentAt] as Date | null;
  if (sentAt) {
    const remainingMs = sentAt.getTime() + settings.sms.maxFrequencySeconds * 1000 - Date.now();
    if (remainingMs >= 0) {
      throw tooManyRequests(
        'over_sms_send_rate_limit',
        // Go divides the remaining Duration by time.Second: whole seconds, truncated.
        `For security purposes, you can only request this after ${Math.trunc(remainingMs / 1000)} seconds.`,
      );
    }
  }

  let otp = testOtpFor(settings, phone);
  let messageId = '';
  if (otp !== undefined) {
    messageId = 'test-otp';
  } else {
    if (!settings.sms.autoconfirm && !deps.limits.smsSent.take('global')) {
      throw tooManyRequests('over_sms_send_rate_limit', 'SMS rate limit exceeded');
    }
    otp = generateOtp(settings.sms.otpLength);
    if (settings.sendSmsHook) {
      const hookUser = userJson(user);
      if (type === 'phone_change') hookUser.new_phone = phone;
      await runSendSmsHook(tx, settings.sendSmsHook, { user: hookUser, otp, phone, ip });
    } else if (!settings.sms.provider) {
      throw internal('Unable to get SMS provider', new Error(`sms Provider ${settings.sms.provider} could not be found`));
    } else {
      // A provider is configured, but Marquee Local reaches no SMS gateway: the send fails as a provider error would.
      throw unprocessable(
        'sms_send_failed',
        `Error sending ${type} OTP to provider: Marquee Local does not deliver SMS through ${settings.sms.provider}; ` +
          'configure [auth.hook.send_sms] or [auth.sms.test_otp]',
      );
    }
  }

  const hash = tokenHash(phone, otp);
  if (type === 'phone_change') {
    await setPhoneChange(tx, user.id, phone, hash);
  } else {
    await setToken(tx, user.id, type, hash);
  }
  await storeOneTimeToken(tx, user.id, columns.ott, hash, type === 'phone_change' ? phone : (user.phone ?? ''));
  return messageId;
}

export interface PhoneSignupParams {
  phone: string;
  password: string;
  data: JsonObject;
  channel: string;
}

/**
 * GoTrue's `Signup` for the phone provider (the caller has validated the request): a confirmed
 * number signing up again is 422 `user_already_exists` when either provider autoconfirms, else
 * answered with a fake unconfirmed user; an unknown number becomes a new user with a phone
 * identity; then, with `enable_confirmations`, a code is sent and the user answered, else the
 * number is confirmed and a session answered. An existing unconfirmed user is not updated.
 */
export async function signUpWithPhone(deps: AuthDeps, params: PhoneSignupParams, client: ClientInfo): Promise<JsonObject> {
  const { settings, db } = deps;
  const existing = await findUserByPhone(db.pool, params.phone, settings.audience);
  if (existing && isPhoneConfirmed(existing)) {
    await audit(db.pool, existing.id, actorName(existing), 'user_repeated_signup', { provider: 'phone' }, client.ip);
    if (settings.email.autoconfirm || settings.sms.autoconfirm) throw unprocessable('user_already_exists', 'User already registered');
    return sanitizedUser('phone', { phone: params.phone }, params.data, settings.audience);
  }
  // Hashing is slow: done before the transaction, and only for a user about to be created.
  const newUser = existing
    ? undefined
    : {
        id: randomUUID(),
        phone: params.phone,
        encryptedPassword: await hashPassword(params.password),
        aud: settings.audience,
        role: settings.defaultRole,
        appMetadata: { provider: 'phone', providers: ['phone'] },
        userMetadata: params.data,
      };
  if (newUser) await runBeforeUserCreatedHook(deps, newUser, client.ip);

  return db.transaction(async (tx) => {
    let user: User;
    if (existing) {
      user = existing;
    } else {
      const userId = await insertUser(tx, newUser!).catch((error: unknown) => {
        throw internal('Database error saving new user', error);
      });
      user = (await findUserById(tx, userId))!;
    }

    if (!user.identities.some((identity) => identity.provider === 'phone')) {
      // GoTrue builds the identity from its `provider.Claims` with the user's (empty) email: no phone key.
      const identityData: JsonObject = { sub: user.id, email_verified: false, phone_verified: false };
      for (const [key, value] of Object.entries(params.data)) if (!(key in identityData)) identityData[key] = value;
      await insertIdentity(tx, user.id, 'phone', user.id, identityData);
      // RemoveUnconfirmedIdentities: the identity's data becomes the user's metadata, other identities go.
      await replaceUserMetadata(tx, user, identityData);
      await tx.query(`delete from auth.identities where user_id = $1 and provider <> 'phone'`, [user.id]);
      user = (await findUserById(tx, user.id))!;
      await updateAppMetadataProviders(tx, user);
    }

    if (!isPhoneConfirmed(user)) {
      if (settings.sms.autoconfirm) {
        await audit(tx, user.id, actorName(user), 'user_signedup', { provider: 'phone', channel: params.channel }, client.ip);
        await confirmPhone(tx, user);
      } else {
        await audit(tx, user.id, actorName(user), 'user_confirmation_requested', { provider: 'phone' }, client.ip);
        await sendPhoneOtp(tx, deps, user, params.phone, 'confirmation', client.ip);
      }
    }

    const fresh = (await findUserById(tx, user.id))!;
    if (isEmailConfirmed(fresh) || isPhoneConfirmed(fresh)) {
      await audit(tx, fresh.id, actorName(fresh), 'login', { provider: 'phone' }, client.ip);
      return issueSession(tx, deps, fresh.id, 'password', client);
    }
    return userJson(fresh);
  });
}

/** A stored hash matches the presented one (as is or `pkce_`-prefixed), within the expiry. */
function otpValid(presentedHash: string, stored: string, sentAt: Date | null, expirySeconds: number): boolean {
  if (!stored || !sentAt) return false;
  if (sentAt.getTime() + expirySeconds * 1000 < Date.now()) return false;
  const same = (candidate: string) =>
    stored.length === candidate.length && timingSafeEqual(Buffer.from(stored), Buffer.from(candidate));
  return same(presentedHash) || same(`pkce_${presentedHash}`);
}

const invalidToken = () => forbidden('otp_expired', 'Token has expired or is invalid');

export interface PhoneVerification {
  type: PhoneVerifyType;
  /** The validated number (digits): the user's phone for `sms`, the pending new number for `phone_change`. */
  phone: string;
  token: string;
}

/**
 * GoTrue's `verifyUserAndToken` + `smsVerify` for `sms` and `phone_change`, inside the caller's
 * transaction: the code must be the number's test OTP or match the stored hash within the SMS
 * OTP expiry. `sms` confirms the number; `phone_change` moves the user to the new number and
 * records it on the phone identity (creating one if missing). Returns the user before and after.
 */
export async function verifyPhoneOtp(
  tx: Queryable,
  deps: AuthDeps,
  input: PhoneVerification,
  ip: string | undefined,
): Promise<{ before: User; user: User }> {
  const { settings } = deps;
  const user =
    input.type === 'phone_change'
      ? await findUserByPhoneChange(tx, input.phone, settings.audience)
      : await findUserByPhone(tx, input.phone, settings.audience);
  if (!user) throw invalidToken();
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');

  const testOtp = testOtpFor(settings, input.phone);
  if (testOtp === undefined || input.token !== testOtp) {
    const phone = input.type === 'phone_change' ? user.phone_change : input.phone;
    const stored = input.type === 'phone_change' ? user.phone_change_token : user.confirmation_token;
    const sentAt = input.type === 'phone_change' ? user.phone_change_sent_at : user.confirmation_sent_at;
    if (!otpValid(tokenHash(phone, input.token), stored, sentAt, settings.sms.otpExpirySeconds)) throw invalidToken();
  }

  if (input.type === 'sms') {
    await audit(tx, user.id, actorName(user), 'user_signedup', { provider: 'phone' }, ip);
    await confirmPhone(tx, user);
    if (user.is_anonymous) await markPermanent(tx, user.id);
  } else {
    await applyPhoneChange(tx, user, input.phone, ip);
  }
  const updated = await findUserById(tx, user.id);
  if (!updated) throw internal('Database error finding user');
  await updateAppMetadataProviders(tx, updated);
  return { before: user, user: (await findUserById(tx, user.id))! };
}

/**
 * `smsVerify` for `phone_change` (also what PUT /user does at once when phone sign-ups are
 * autoconfirmed): the user's phone becomes `phone`, confirmed, and an anonymous user is no longer one.
 */
export async function applyPhoneChange(tx: Queryable, user: User, phone: string, ip: string | undefined): Promise<void> {
  await audit(tx, user.id, actorName(user), 'user_modified', undefined, ip);
  const identity = user.identities.find((i) => i.provider === 'phone');
  if (identity) {
    await tx.query('update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = now() where id = $1', [
      identity.id,
      JSON.stringify({ phone, phone_verified: true }),
    ]);
  } else {
    await insertIdentity(tx, user.id, 'phone', user.id, { sub: user.id, phone, email_verified: false, phone_verified: true });
  }
  // GoTrue's `ConfirmPhoneChange`: the pending number becomes the phone, confirmed now.
  await confirmPhoneChange(tx, user.id, phone);
  if (user.is_anonymous) await markPermanent(tx, user.id);
}

/** The error GoTrue answers when a phone request arrives with the phone provider off. */
export function phoneProviderDisabled(message: string): AuthError {
  return new AuthError(400, 'phone_provider_disabled', message);
}
