import { Hono } from 'hono';
import { audit } from '../audit.ts';
import type { Queryable } from '../db.ts';
import { AuthError, unprocessable, validationFailed } from '../errors.ts';
import { sendConfirmation, sendEmailChange, sendRecoveryOrMagicLink, type MailDeps } from '../mail.ts';
import { hashPassword, randomPassword } from '../passwords.ts';
import { createFlowState, flowTypeOf, pkceParams, validatePkceParams, type PkceParams } from '../pkce.ts';
import { enforceRateLimit } from '../rate-limit.ts';
import { clientInfo, objectParam, readJsonBody, stringParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import {
  confirmEmail,
  findUserByEmail,
  findUserById,
  insertIdentity,
  insertUser,
  isEmailConfirmed,
  type JsonObject,
  type User,
} from '../users.ts';
import { validateEmail } from '../validation.ts';

/**
 * `/recover`, `/otp`, `/magiclink` and `/resend`: the requests that mail a link and code. Each
 * accepts `code_challenge` + `code_challenge_method`, which start a PKCE flow (see pkce.ts).
 */
export function emailLinkRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  const mail: MailDeps = { settings, mailer: deps.mailer, emailLimiter: deps.limits.emailSent };
  const redirectOf = (c: AuthContext, body: Record<string, unknown>) => c.req.query('redirect_to') || stringParam(body, 'redirect_to');

  /** A PKCE request's flow state for the user, created before the mail that completes it. */
  const startFlow = async (tx: Queryable, pkce: PkceParams, method: string, user: User, providerType = method) => {
    if (flowTypeOf(pkce) === 'pkce') await createFlowState(tx, pkce, providerType, method, user.id);
  };

  app.post('/recover', async (c) => {
    enforceRateLimit(c, deps.limits.recover);
    if (!settings.email.enabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    const body = await readJsonBody(c);
    if (!stringParam(body, 'email')) throw validationFailed('Password recovery requires an email');
    const email = validateEmail(stringParam(body, 'email'));
    const pkce = pkceParams(body);
    validatePkceParams(pkce);
    const user = await findUserByEmail(db.pool, email, settings.audience);
    if (user) {
      await db.transaction(async (tx) => {
        await startFlow(tx, pkce, 'recovery', user);
        await audit(tx, user.id, user.email, 'user_recovery_requested', undefined, clientInfo(c).ip);
        await sendRecoveryOrMagicLink(tx, mail, user, 'recovery', { redirectTo: redirectOf(c, body), flow: flowTypeOf(pkce) });
      });
    }
    return c.json({});
  });

  /**
   * GoTrue's `MagicLink`: an unknown or unconfirmed address is signed up first — with
   * confirmations on, the confirmation mail is the link; with them off, the user is confirmed and
   * then mailed a magic link like any existing user.
   */
  const magicLink = async (c: AuthContext, body: Record<string, unknown>, createUser: boolean) => {
    if (!settings.email.enabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    if (!stringParam(body, 'email')) throw unprocessable('validation_failed', 'Password recovery requires an email');
    const email = validateEmail(stringParam(body, 'email'));
    const pkce = pkceParams(body);
    validatePkceParams(pkce);
    const flow = flowTypeOf(pkce);
    const redirectTo = redirectOf(c, body);
    const data = objectParam(body, 'data') ?? {};
    let user = await findUserByEmail(db.pool, email, settings.audience);
    if (!user && !createUser) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
    if (!user || !isEmailConfirmed(user)) {
      if (!user && !settings.signupEnabled) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
      const existing = user;
      const confirmedNow = await db.transaction(async (tx) => {
        const signedUp = existing ?? (await createPasswordlessUser(tx, deps, email, data));
        if (settings.email.autoconfirm) {
          await confirmEmail(tx, signedUp);
          return true;
        }
        await startFlow(tx, pkce, 'email/signup', signedUp, 'email');
        await sendConfirmation(tx, mail, signedUp, { redirectTo, flow });
        return false;
      });
      if (!confirmedNow) return c.json({});
      user = (await findUserByEmail(db.pool, email, settings.audience))!;
    }
    const target = user;
    await db.transaction(async (tx) => {
      await startFlow(tx, pkce, 'magiclink', target);
      await audit(tx, target.id, target.email, 'user_recovery_requested', undefined, clientInfo(c).ip);
      await sendRecoveryOrMagicLink(tx, mail, target, 'magiclink', { redirectTo, flow });
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

  /** GoTrue's `Resend`: a new signup confirmation or email-change mail; unknown addresses answer {} too. */
  app.post('/resend', async (c) => {
    enforceRateLimit(c, deps.limits.resend);
    const body = await readJsonBody(c);
    const type = stringParam(body, 'type');
    if (type !== 'signup' && type !== 'email_change') {
      throw validationFailed('Missing one of these types: signup, email_change, sms, phone_change');
    }
    const pkce = pkceParams(body);
    validatePkceParams(pkce);
    if (!stringParam(body, 'email')) {
      if (type === 'signup') throw validationFailed('Type provided requires an email address');
      throw validationFailed('Missing email address or phone number');
    }
    if (!settings.email.enabled) throw validationFailed('Email logins are disabled');
    const email = validateEmail(stringParam(body, 'email'));
    const user = await findUserByEmail(db.pool, email, settings.audience);
    if (!user) return c.json({});
    const options = { redirectTo: redirectOf(c, body), flow: flowTypeOf(pkce) };
    if (type === 'signup' && !isEmailConfirmed(user)) {
      await db.transaction(async (tx) => {
        await audit(tx, user.id, user.email, 'user_confirmation_requested', undefined, clientInfo(c).ip);
        await startFlow(tx, pkce, 'email/signup', user);
        await sendConfirmation(tx, mail, user, options);
      });
    } else if (type === 'email_change' && user.email_change) {
      await db.transaction(async (tx) => {
        await startFlow(tx, pkce, 'email_change', user);
        await sendEmailChange(tx, mail, user, user.email_change, options);
      });
    }
    return c.json({});
  });

  return app;
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
