import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { audit } from '../audit.ts';
import type { Queryable } from '../db.ts';
import { AuthError, forbidden, unprocessable, validationFailed } from '../errors.ts';
import { safeRedirect, sendConfirmation, sendRecoveryOrMagicLink, tokenHash, type MailDeps } from '../mail.ts';
import { hashPassword, randomPassword } from '../passwords.ts';
import { enforceRateLimit } from '../rate-limit.ts';
import { clientInfo, objectParam, readJsonBody, stringParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import { issueSession } from '../tokens.ts';
import {
  confirmEmail,
  findUserByEmail,
  findUserById,
  insertIdentity,
  insertUser,
  isBanned,
  isEmailConfirmed,
  type JsonObject,
  type User,
} from '../users.ts';
import { validateEmail } from '../validation.ts';

const VERIFY_TYPES = ['signup', 'invite', 'recovery', 'magiclink', 'email_change', 'email'] as const;
type VerifyType = (typeof VERIFY_TYPES)[number];

/** Which token column each verification type checks. */
const TOKEN_COLUMNS: Record<VerifyType, string[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  recovery: ['recovery_token'],
  magiclink: ['recovery_token'],
  email_change: ['email_change_token_new', 'email_change_token_current'],
  email: ['confirmation_token', 'recovery_token'],
};

const invalidOtp = () => forbidden('otp_expired', 'Token has expired or is invalid');

/** `/recover`, `/otp`, `/magiclink`, `/resend` and `/verify`: the flows that go through a mailbox. */
export function emailLinkRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  const mail: MailDeps = { settings, mailer: deps.mailer, emailLimiter: deps.limits.emailSent };

  app.post('/recover', async (c) => {
    enforceRateLimit(c, deps.limits.recover);
    if (!settings.email.enabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    const body = await readJsonBody(c);
    const email = validateEmail(stringParam(body, 'email'));
    const user = await findUserByEmail(db.pool, email, settings.audience);
    if (user) {
      await db.transaction(async (tx) => {
        await audit(tx, user.id, user.email, 'user_recovery_requested', undefined, clientInfo(c).ip);
        await sendRecoveryOrMagicLink(tx, mail, user, 'recovery', c.req.query('redirect_to'));
      });
    }
    return c.json({});
  });

  const magicLink = async (c: AuthContext, body: Record<string, unknown>, createUser: boolean) => {
    if (!settings.email.enabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    const email = validateEmail(stringParam(body, 'email'));
    const redirectTo = c.req.query('redirect_to') || stringParam(body, 'redirect_to');
    const data = objectParam(body, 'data') ?? {};
    let user = await findUserByEmail(db.pool, email, settings.audience);
    if (!user && !createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
    if (!user || !isEmailConfirmed(user)) {
      if (!user && !settings.signupEnabled) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
      const confirmedNow = await db.transaction(async (tx) => {
        const existing = user ?? (await createPasswordlessUser(tx, deps, email, data));
        if (settings.email.autoconfirm) {
          await confirmEmail(tx, existing);
          return true;
        }
        await sendConfirmation(tx, mail, existing, redirectTo);
        return false;
      });
      if (!confirmedNow) return c.json({});
      user = (await findUserByEmail(db.pool, email, settings.audience))!;
    }
    const target = user;
    await db.transaction(async (tx) => {
      await audit(tx, target.id, target.email, 'user_recovery_requested', undefined, clientInfo(c).ip);
      await sendRecoveryOrMagicLink(tx, mail, target, 'magiclink', redirectTo);
    });
    return c.json({});
  };

  app.post('/otp', async (c) => {
    enforceRateLimit(c, deps.limits.otp);
    const body = await readJsonBody(c);
    if (stringParam(body, 'phone')) {
      if (!settings.phoneEnabled) throw unprocessable('phone_provider_disabled', 'Unsupported phone provider');
      throw new AuthError(500, 'unexpected_failure', 'Phone OTP is not supported by Marquee Local');
    }
    if (!stringParam(body, 'email')) throw validationFailed('An email address is required');
    return magicLink(c, body, body.create_user !== false);
  });

  app.post('/magiclink', async (c) => {
    enforceRateLimit(c, deps.limits.magicLink);
    return magicLink(c, await readJsonBody(c), true);
  });

  app.post('/resend', async (c) => {
    enforceRateLimit(c, deps.limits.resend);
    const body = await readJsonBody(c);
    const type = stringParam(body, 'type');
    if (type !== 'signup' && type !== 'email_change') {
      throw validationFailed('Missing one of these types: signup, email_change, sms, phone_change');
    }
    const email = validateEmail(stringParam(body, 'email'));
    const user = await findUserByEmail(db.pool, email, settings.audience);
    if (user && type === 'signup' && !isEmailConfirmed(user)) {
      await db.transaction((tx) => sendConfirmation(tx, mail, user, c.req.query('redirect_to')));
    }
    return c.json({});
  });

  app.post('/verify', async (c) => {
    enforceRateLimit(c, deps.limits.verify);
    const body = await readJsonBody(c);
    const type = verifyType(stringParam(body, 'type'));
    const token = stringParam(body, 'token');
    const hash = stringParam(body, 'token_hash');
    let user: User | undefined;
    let presentedHash: string;
    if (hash) {
      presentedHash = hash;
      user = await findUserByTokenHash(db.pool, type, hash);
    } else if (token) {
      const email = stringParam(body, 'email');
      if (!email) throw validationFailed('Only an email address or phone number should be provided on verify');
      const address = validateEmail(email);
      presentedHash = tokenHash(address, token);
      // An email change is verified with the new (or current) address: find the user by the hash.
      user =
        type === 'email_change'
          ? await findUserByTokenHash(db.pool, type, presentedHash)
          : await findUserByEmail(db.pool, address, settings.audience);
    } else {
      throw validationFailed('Verify requires either a token or a token hash');
    }
    const result = await verifyAndSignIn(deps, user, type, presentedHash, 'otp', clientInfo(c));
    return c.json(result);
  });

  app.get('/verify', async (c) => {
    const requested = c.req.query('redirect_to');
    const redirectTo = safeRedirect(settings, requested);
    try {
      enforceRateLimit(c, deps.limits.verify);
      const type = verifyType(c.req.query('type') ?? '');
      const hash = c.req.query('token') ?? '';
      if (!hash) throw validationFailed('Verify requires a token or a token hash');
      const user = await findUserByTokenHash(db.pool, type, hash);
      const method = type === 'signup' ? 'email/signup' : type;
      const result = await verifyAndSignIn(deps, user, type, hash, method, clientInfo(c));
      if (!result.access_token) return c.redirect(`${redirectTo}#${new URLSearchParams({ message: String(result.msg ?? '') })}`, 303);
      const fragment = new URLSearchParams({
        access_token: String(result.access_token),
        expires_at: String(result.expires_at),
        expires_in: String(result.expires_in),
        refresh_token: String(result.refresh_token),
        token_type: 'bearer',
        type,
      });
      return c.redirect(`${redirectTo}#${fragment}`, 303);
    } catch (error) {
      if (!(error instanceof AuthError) || error.status >= 500) throw error;
      const fragment = new URLSearchParams({
        error: 'access_denied',
        error_code: error.code,
        error_description: error.code === 'otp_expired' ? 'Email link is invalid or has expired' : error.message,
      });
      return c.redirect(`${redirectTo}#${fragment}`, 303);
    }
  });

  return app;
}

function verifyType(value: string): VerifyType {
  if ((VERIFY_TYPES as readonly string[]).includes(value)) return value as VerifyType;
  throw validationFailed(`Verify requires a verification type`);
}

async function findUserByTokenHash(db: Queryable, type: VerifyType, hash: string): Promise<User | undefined> {
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

function expired(sentAt: Date | null, seconds: number): boolean {
  return !sentAt || sentAt.getTime() + seconds * 1000 < Date.now();
}

/**
 * Checks the token against the user's stored hash for the type, applies what it confirms
 * (signup, recovery, magic link, email change) and signs the user in.
 */
async function verifyAndSignIn(
  deps: AuthDeps,
  user: User | undefined,
  type: VerifyType,
  presentedHash: string,
  method: string,
  client: ReturnType<typeof clientInfo>,
): Promise<JsonObject> {
  if (!user) throw invalidOtp();
  if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
  const expiry = deps.settings.email.otpExpirySeconds;

  let effective: VerifyType = type;
  if (type === 'email') {
    if (sameToken(user.confirmation_token, presentedHash)) effective = 'signup';
    else if (sameToken(user.recovery_token, presentedHash)) effective = 'magiclink';
    else throw invalidOtp();
  }

  return deps.db.transaction(async (tx) => {
    switch (effective) {
      case 'signup':
      case 'invite':
        if (!sameToken(user.confirmation_token, presentedHash) || expired(user.confirmation_sent_at, expiry)) throw invalidOtp();
        await confirmEmail(tx, user);
        await audit(tx, user.id, user.email, 'user_signedup', { provider: 'email' }, client.ip);
        break;
      case 'recovery':
      case 'magiclink':
        if (!sameToken(user.recovery_token, presentedHash) || expired(user.recovery_sent_at, expiry)) throw invalidOtp();
        await tx.query(`update auth.users set recovery_token = '', updated_at = now() where id = $1`, [user.id]);
        await tx.query(`delete from auth.one_time_tokens where user_id = $1 and token_type = 'recovery_token'`, [user.id]);
        if (!isEmailConfirmed(user)) await confirmEmail(tx, user);
        await audit(tx, user.id, user.email, 'login', { provider: 'email' }, client.ip);
        break;
      case 'email_change': {
        const matchesNew = sameToken(user.email_change_token_new, presentedHash);
        const matchesCurrent = sameToken(user.email_change_token_current, presentedHash);
        if ((!matchesNew && !matchesCurrent) || expired(user.email_change_sent_at, expiry)) throw invalidOtp();
        const secure = deps.settings.email.doubleConfirmChanges && user.email_change_token_current !== '';
        if (secure && user.email_change_confirm_status === 0) {
          const column = matchesNew ? 'email_change_token_new' : 'email_change_token_current';
          await tx.query(
            `update auth.users set ${column} = '', email_change_confirm_status = 1, updated_at = now() where id = $1`,
            [user.id],
          );
          await tx.query(`delete from auth.one_time_tokens where user_id = $1 and token_type = $2`, [user.id, column]);
          return { msg: 'Confirmation link accepted. Please proceed to confirm link sent to the other email', code: 200 };
        }
        const newEmail = user.email_change;
        await tx.query(
          `update auth.users set email = $2, email_change = '', email_change_token_new = '', email_change_token_current = '',
                  email_change_confirm_status = 0, email_change_sent_at = null, email_confirmed_at = coalesce(email_confirmed_at, now()),
                  updated_at = now()
            where id = $1`,
          [user.id, newEmail],
        );
        await tx.query(`delete from auth.one_time_tokens where user_id = $1 and token_type::text like 'email_change%'`, [user.id]);
        const identity = user.identities.find((i) => i.provider === 'email');
        if (identity) {
          await tx.query(`update auth.identities set identity_data = identity_data || $2::jsonb, updated_at = now() where id = $1`, [
            identity.id,
            JSON.stringify({ email: newEmail }),
          ]);
        } else {
          await insertIdentity(tx, user.id, 'email', user.id, { sub: user.id, email: newEmail, email_verified: true, phone_verified: false });
        }
        await audit(tx, user.id, newEmail, 'user_modified', undefined, client.ip);
        break;
      }
      default:
        throw invalidOtp();
    }
    return issueSession(tx, deps, user.id, method, client);
  });
}

/** A user signing up through a magic link / OTP gets a random password, as GoTrue gives them. */
async function createPasswordlessUser(tx: Queryable, deps: AuthDeps, email: string, data: JsonObject): Promise<User> {
  const { settings } = deps;
  const userId = await insertUser(tx, {
    email,
    encryptedPassword: await hashPassword(randomPassword()),
    aud: settings.audience,
    role: settings.defaultRole,
    appMetadata: { provider: 'email', providers: ['email'] },
    userMetadata: data,
  });
  const identityData: JsonObject = { sub: userId, email, email_verified: false, phone_verified: false, ...data };
  await insertIdentity(tx, userId, 'email', userId, identityData);
  await tx.query('update auth.users set raw_user_meta_data = $2 where id = $1', [userId, JSON.stringify(identityData)]);
  return (await findUserById(tx, userId))!;
}
