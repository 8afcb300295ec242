import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { runBeforeUserCreatedHook } from '../hooks.ts';
import type { Queryable } from '../db.ts';
import { notFound, unprocessable, validationFailed } from '../errors.ts';
import { generateOtp, safeRedirect, sendInvite, storeEmailToken, storeOneTimeToken, tokenHash, verifyLink, type EmailAction } from '../mail.ts';
import { checkPasswordStrength, hashPassword, randomPassword } from '../passwords.ts';
import { objectParam, readJsonBody, requireAdmin, stringParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import { insertEmailUser, markInvited, newEmailUser, setEmailChange, updateUserMetadata } from '../user-writes.ts';
import {
  findUserByEmail,
  findUserById,
  findUserWithEmailIdentity,
  insertIdentity,
  isEmailConfirmed,
  userJson,
  type JsonObject,
  type User,
} from '../users.ts';
import { validateEmail } from '../validation.ts';

const DUPLICATE_EMAIL = 'A user with this email address has already been registered';

const LINK_TYPES = ['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new'] as const;
type LinkType = (typeof LINK_TYPES)[number];

/**
 * `POST /invite` (mails an invitation) and `POST /admin/generate_link` (the same links, answered
 * instead of mailed), for service_role callers, as GoTrue's `Invite` and `adminGenerateLink`.
 */
export function adminLinkRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  const admin = requireAdmin(deps);
  const actor = (c: AuthContext) => String(c.get('claims').role ?? '');

  app.post('/invite', admin, async (c) => {
    const body = await readJsonBody(c);
    const email = validateEmail(stringParam(body, 'email'));
    const existing = await findUserByEmail(db.pool, email, settings.audience);
    const invited = await db.transaction(async (tx) => {
      if (existing && isEmailConfirmed(existing)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
      const user = existing ?? (await createEmailUser(tx, deps, email, '', objectParam(body, 'data') ?? {}));
      await audit(tx, user.id, actor(c), 'user_invited', { user_id: user.id, user_email: user.email }, undefined);
      await sendInvite(tx, { settings, mailer: deps.mailer, emailLimiter: deps.limits.emailSent }, user, c.req.query('redirect_to'));
      return (await findUserById(tx, user.id))!;
    });
    return c.json(userJson(invited));
  });

  app.post('/admin/generate_link', admin, async (c) => {
    const body = await readJsonBody(c);
    const email = validateEmail(stringParam(body, 'email'));
    const requestedRedirect = stringParam(body, 'redirect_to');
    const redirectTo = safeRedirect(settings, requestedRedirect || c.req.query('redirect_to'));
    let type = stringParam(body, 'type');
    let password = stringParam(body, 'password');
    let generatedPassword = false;
    const data = objectParam(body, 'data') ?? {};

    const existing = await findUserByEmail(db.pool, email, settings.audience);
    if (!existing) {
      // A magic link for an unknown address signs the address up, as GoTrue does.
      if (type === 'magiclink') {
        type = 'signup';
        password = randomPassword();
        generatedPassword = true;
      } else if (type === 'recovery' || type === 'email_change_current' || type === 'email_change_new') {
        throw notFound('user_not_found', 'User with this email not found');
      }
    }
    if (type === 'signup' && !existing) {
      if (!password) throw validationFailed('Signup requires a valid password');
      // Only a password someone chose meets the policy check: a random one need not contain each
      // character class (it did not in about one sign-up in eight).
      if (!generatedPassword) checkPasswordStrength(settings, password);
    }
    if (!(LINK_TYPES as readonly string[]).includes(type)) {
      throw validationFailed(`Invalid email action link type requested: ${type}`);
    }

    const otp = generateOtp(settings.email.otpLength);
    const hashedToken = tokenHash(email, otp);
    const user = await db.transaction(async (tx) => {
      const target = await prepareLink(tx, deps, { type: type as LinkType, email, password, data, existing, hashedToken, otp, body });
      if (type === 'invite') {
        await audit(tx, target.id, actor(c), 'user_invited', { user_id: target.id, user_email: target.email }, undefined);
      }
      return (await findUserById(tx, target.id))!;
    });

    return c.json({
      ...userJson(user),
      action_link: verifyLink(settings, storedToken(user, type as LinkType), linkVerificationType(type as LinkType), redirectTo),
      email_otp: otp,
      hashed_token: hashedToken,
      verification_type: type,
      redirect_to: redirectTo,
    });
  });

  return app;
}

interface LinkRequest {
  type: LinkType;
  email: string;
  password: string;
  data: JsonObject;
  existing: User | undefined;
  hashedToken: string;
  otp: string;
  body: Record<string, unknown>;
}

/** Stores the token each link type verifies against (creating the user for signup and invite). */
async function prepareLink(tx: Queryable, deps: AuthDeps, request: LinkRequest): Promise<User> {
  const { settings } = deps;
  const { type, email, existing, hashedToken } = request;
  switch (type) {
    case 'magiclink':
    case 'recovery': {
      const user = existing!;
      await audit(tx, user.id, user.email, 'user_recovery_requested', undefined, undefined);
      await storeEmailToken(tx, user, 'recovery', hashedToken);
      return user;
    }
    case 'invite':
    case 'signup': {
      if (existing && isEmailConfirmed(existing)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
      let user = existing;
      if (user && type === 'signup') await updateUserMetadata(tx, user, request.data);
      if (!user) user = await createEmailUser(tx, deps, email, type === 'signup' ? request.password : '', request.data);
      await storeEmailToken(tx, user, 'confirmation', hashedToken);
      if (type === 'invite') await markInvited(tx, user.id);
      return user;
    }
    case 'email_change_current':
    case 'email_change_new': {
      const user = existing!;
      if (type === 'email_change_current' && !settings.email.doubleConfirmChanges) {
        throw validationFailed('Enable secure email change to generate link for current email');
      }
      const newEmail = validateEmail(stringParam(request.body, 'new_email'));
      if (await findUserWithEmailIdentity(tx, newEmail, user.aud, user.id)) throw unprocessable('email_exists', DUPLICATE_EMAIL);
      const current = type === 'email_change_current' ? hashedToken : user.email_change_token_current;
      const next = type === 'email_change_new' ? tokenHash(newEmail, request.otp) : user.email_change_token_new;
      await setEmailChange(tx, user.id, { newEmail, tokenNew: next, tokenCurrent: current });
      if (current) await storeOneTimeToken(tx, user.id, 'email_change_token_current', current, user.email ?? '');
      if (next) await storeOneTimeToken(tx, user.id, 'email_change_token_new', next, newEmail);
      return user;
    }
  }
}

/** The token a link of this type carries (for email_change_new: the hash of the new address). */
function storedToken(user: User, type: LinkType): string {
  if (type === 'magiclink' || type === 'recovery') return user.recovery_token;
  if (type === 'email_change_current') return user.email_change_token_current;
  if (type === 'email_change_new') return user.email_change_token_new;
  return user.confirmation_token;
}

function linkVerificationType(type: LinkType): EmailAction {
  return type === 'email_change_current' || type === 'email_change_new' ? 'email_change' : type;
}

/** A new email user, unconfirmed, as GoTrue's `signupNewUser` + `createNewIdentity` make one. */
async function createEmailUser(tx: Queryable, deps: AuthDeps, email: string, password: string, data: JsonObject): Promise<User> {
  const { settings } = deps;
  const encryptedPassword = password ? await hashPassword(password) : '';
  const id = randomUUID();
  await runBeforeUserCreatedHook(deps, { ...newEmailUser(settings, { email, encryptedPassword, data }), id }, undefined);
  const userId = await insertEmailUser(tx, settings, { id, email, encryptedPassword, data });
  await insertIdentity(tx, userId, 'email', userId, { sub: userId, email, email_verified: false, phone_verified: false });
  return (await findUserById(tx, userId))!;
}
