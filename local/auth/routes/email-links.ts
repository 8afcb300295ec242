import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { runBeforeUserCreatedHook } from '../hooks.ts';
import type { Queryable } from '../db.ts';
import { badRequest, unprocessable, validationFailed } from '../errors.ts';
import { sendConfirmation, sendEmailChange, sendRecoveryOrMagicLink, type MailDeps } from '../mail.ts';
import { hashPassword, randomPassword } from '../passwords.ts';
import { actorName, messageChannel, phoneProviderDisabled, sendPhoneOtp, signUpWithPhone } from '../phone.ts';
import { createFlowState, flowTypeOf, pkceParams, validatePkceParams, type PkceParams } from '../pkce.ts';
import { enforceRateLimit } from '../rate-limit.ts';
import { clientInfo, objectParam, readJsonBody, stringParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import { confirmEmail, insertUser, newEmailUser, replaceUserMetadata } from '../user-writes.ts';
import {
  findUserByEmail,
  findUserById,
  findUserByPhone,
  insertIdentity,
  isEmailConfirmed,
  isPhoneConfirmed,
  type JsonObject,
  type User,
} from '../users.ts';
import { validateEmail, validatePhone } from '../validation.ts';

/**
 * `/recover`, `/otp`, `/magiclink` and `/resend`: the requests that mail a link and code (or, for a
 * phone number, text a code). The email ones accept `code_challenge` + `code_challenge_method`,
 * which start a PKCE flow (see pkce.ts).
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
        const signedUp = existing ?? (await createPasswordlessUser(tx, deps, email, data, clientInfo(c).ip));
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

  /**
   * GoTrue's `SmsOtp`: a number without a confirmed user is signed up first with a random
   * password — with confirmations on, that sign-up's confirmation SMS is the code; with them off,
   * the user is confirmed and then sent a code like any existing user.
   */
  const smsOtp = async (c: AuthContext, body: Record<string, unknown>): Promise<JsonObject> => {
    if (!settings.phoneEnabled) throw phoneProviderDisabled('Unsupported phone provider');
    const phone = validatePhone(stringParam(body, 'phone'));
    const channel = messageChannel(settings, stringParam(body, 'channel'));
    const client = clientInfo(c);
    let user = await findUserByPhone(db.pool, phone, settings.audience);
    if (!user || !isPhoneConfirmed(user)) {
      if (!settings.signupEnabled) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
      const data = objectParam(body, 'data') ?? {};
      await signUpWithPhone(deps, { phone, password: randomPassword(), data, channel }, client);
      if (!settings.sms.autoconfirm) return {};
      user = (await findUserByPhone(db.pool, phone, settings.audience))!;
    }
    const target = user;
    const messageId = await db.transaction(async (tx) => {
      await audit(tx, target.id, actorName(target), 'user_recovery_requested', { channel }, client.ip);
      return sendPhoneOtp(tx, deps, target, phone, 'confirmation', client.ip);
    });
    return messageId ? { message_id: messageId } : {};
  };

  /**
   * GoTrue's `Otp`: `create_user: false` refuses an unknown address or number (422 otp_disabled);
   * an email gets a magic link, a phone number an SMS code (see smsOtp).
   */
  app.post('/otp', async (c) => {
    enforceRateLimit(c, deps.limits.otp);
    const body = await readJsonBody(c);
    const email = stringParam(body, 'email');
    const phone = stringParam(body, 'phone');
    if (email && phone) throw validationFailed('Only an email address or phone number should be provided');
    if (email && stringParam(body, 'channel')) throw validationFailed('Channel should only be specified with Phone OTP');
    validatePkceParams(pkceParams(body));
    const createUser = body.create_user !== false;
    if (!createUser) {
      const existing = email
        ? await findUserByEmail(db.pool, validateEmail(email), settings.audience)
        : phone
          ? await findUserByPhone(db.pool, validatePhone(phone), settings.audience)
          : true;
      if (!existing) throw unprocessable('otp_disabled', 'Signups not allowed for otp');
    }
    if (email) return magicLink(c, body, createUser);
    if (phone) return c.json(await smsOtp(c, body));
    throw validationFailed('One of email or phone must be set');
  });

  app.post('/magiclink', async (c) => {
    enforceRateLimit(c, deps.limits.magicLink);
    return magicLink(c, await readJsonBody(c), true);
  });

  /**
   * GoTrue's `Resend`: a new signup confirmation or email-change mail, or a new SMS code for a
   * phone sign-up (`sms`) or phone change (`phone_change`); unknown addresses answer {} too.
   */
  app.post('/resend', async (c) => {
    enforceRateLimit(c, deps.limits.resend);
    const body = await readJsonBody(c);
    const type = stringParam(body, 'type');
    const pkce = pkceParams(body);
    if (type === 'signup' || type === 'email_change') validatePkceParams(pkce);
    else if (type !== 'sms' && type !== 'phone_change') {
      throw validationFailed('Missing one of these types: signup, email_change, sms, phone_change');
    }
    let email = stringParam(body, 'email');
    let phone = stringParam(body, 'phone');
    if (!email && type === 'signup') throw validationFailed('Type provided requires an email address');
    if (!phone && type === 'sms') throw validationFailed('Type provided requires a phone number');
    if (email && phone) throw validationFailed('Only an email address or phone number should be provided.');
    if (email) {
      if (!settings.email.enabled) throw badRequest('email_provider_disabled', 'Email logins are disabled');
      email = validateEmail(email);
    } else if (phone) {
      if (!settings.phoneEnabled) throw phoneProviderDisabled('Phone logins are disabled');
      phone = validatePhone(phone);
    } else {
      throw validationFailed('Missing email address or phone number');
    }

    const user = email ? await findUserByEmail(db.pool, email, settings.audience) : await findUserByPhone(db.pool, phone, settings.audience);
    if (!user) return c.json({});
    if (type === 'signup' && isEmailConfirmed(user)) return c.json({});
    if (type === 'sms' && isPhoneConfirmed(user)) return c.json({});
    if (type === 'email_change' && !user.email_change) return c.json({});
    if (type === 'phone_change' && !user.phone_change) return c.json({});

    const options = { redirectTo: redirectOf(c, body), flow: flowTypeOf(pkce) };
    const ip = clientInfo(c).ip;
    const messageId = await db.transaction(async (tx) => {
      switch (type) {
        case 'signup':
          await audit(tx, user.id, actorName(user), 'user_confirmation_requested', undefined, ip);
          await startFlow(tx, pkce, 'email/signup', user);
          await sendConfirmation(tx, mail, user, options);
          return '';
        case 'email_change':
          await startFlow(tx, pkce, 'email_change', user);
          await sendEmailChange(tx, mail, user, user.email_change, options);
          return '';
        case 'sms':
          await audit(tx, user.id, actorName(user), 'user_recovery_requested', undefined, ip);
          return sendPhoneOtp(tx, deps, user, phone, 'confirmation', ip);
        default:
          return sendPhoneOtp(tx, deps, user, user.phone_change, 'phone_change', ip);
      }
    });
    return c.json(messageId ? { message_id: messageId } : {});
  });

  return app;
}

/** A user signing up through a magic link / OTP gets a random password, as GoTrue gives them. */
async function createPasswordlessUser(tx: Queryable, deps: AuthDeps, email: string, data: JsonObject, ip: string | undefined): Promise<User> {
  const { settings } = deps;
  const newUser = newEmailUser(settings, { id: randomUUID(), email, encryptedPassword: await hashPassword(randomPassword()), data });
  await runBeforeUserCreatedHook(deps, { ...newUser, id: newUser.id! }, ip);
  const userId = await insertUser(tx, newUser);
  const identityData: JsonObject = { sub: userId, email, email_verified: false, phone_verified: false, ...data };
  await insertIdentity(tx, userId, 'email', userId, identityData);
  const user = (await findUserById(tx, userId))!;
  await replaceUserMetadata(tx, user, identityData);
  return user;
}
