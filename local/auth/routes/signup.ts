import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { runBeforeUserCreatedHook } from '../hooks.ts';
import { badRequest, internal, unprocessable, validationFailed } from '../errors.ts';
import { sendConfirmation } from '../mail.ts';
import { messageChannel, signUpWithPhone } from '../phone.ts';
import { checkPasswordStrength, hashPassword } from '../passwords.ts';
import { createFlowState, flowTypeOf, pkceParams, validatePkceParams } from '../pkce.ts';
import { enforceRateLimit } from '../rate-limit.ts';
import { clientInfo, objectParam, readJsonBody, stringParam, type AuthDeps, type AuthEnv } from '../request.ts';
import { issueSession } from '../tokens.ts';
import { confirmEmail, insertEmailUser, insertUser, newEmailUser, replaceUserMetadata, setEncryptedPassword } from '../user-writes.ts';
import {
  findUserById,
  findUserWithEmailIdentity,
  insertIdentity,
  isEmailConfirmed,
  sanitizedUser,
  userJson,
  type JsonObject,
} from '../users.ts';
import { validateEmail, validatePhone } from '../validation.ts';

/** `POST /signup`: email or phone + password (or anonymous) sign-up, as GoTrue's `Signup`. */
export function signupRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;

  app.post('/signup', async (c) => {
    const body = await readJsonBody(c);
    const email = stringParam(body, 'email');
    const phone = stringParam(body, 'phone');
    const data = objectParam(body, 'data') ?? {};

    if (!email && !phone) {
      if (!settings.anonymousSignInsEnabled) {
        throw unprocessable('anonymous_provider_disabled', 'Anonymous sign-ins are disabled');
      }
      enforceRateLimit(c, deps.limits.anonymous);
      return c.json(await signUpAnonymously(deps, data, clientInfo(c)));
    }
    enforceRateLimit(c, deps.limits.signups);

    if (!settings.signupEnabled) throw unprocessable('signup_disabled', 'Signups not allowed for this instance');
    const password = stringParam(body, 'password');
    if (!password) throw validationFailed('Signup requires a valid password');
    checkPasswordStrength(settings, password);
    if (email && phone) throw validationFailed('Only an email address or phone number should be provided on signup.');
    const channel = email ? '' : messageChannel(settings, stringParam(body, 'channel'));
    const pkce = pkceParams(body);
    if (phone && pkce.codeChallenge) throw validationFailed('PKCE not supported for phone signups');
    validatePkceParams(pkce);
    if (!email) {
      if (!settings.phoneEnabled) throw badRequest('phone_provider_disabled', 'Phone signups are disabled');
      return c.json(await signUpWithPhone(deps, { phone: validatePhone(phone), password, data, channel }, clientInfo(c)));
    }
    if (!settings.email.enabled) throw badRequest('email_provider_disabled', 'Email signups are disabled');
    const address = validateEmail(email);
    const redirectTo = stringParam(body, 'redirect_to') || c.req.query('redirect_to');

    const existing = await findUserWithEmailIdentity(db.pool, address, settings.audience);
    if (existing && isEmailConfirmed(existing)) {
      await audit(db.pool, existing.id, existing.email, 'user_repeated_signup', { provider: 'email' }, clientInfo(c).ip);
      if (settings.email.autoconfirm || settings.sms.autoconfirm) throw unprocessable('user_already_exists', 'User already registered');
      return c.json(sanitizedUser('email', { email: address }, data, settings.audience));
    }

    const encryptedPassword = await hashPassword(password);
    const newUserId = existing ? undefined : randomUUID();
    if (newUserId) {
      await runBeforeUserCreatedHook(deps, { ...newEmailUser(settings, { email: address, encryptedPassword, data }), id: newUserId }, clientInfo(c).ip);
    }
    const result = await db.transaction(async (tx) => {
      let userId: string;
      if (existing) {
        // An unconfirmed user signing up again takes the new password and metadata.
        userId = existing.id;
        await setEncryptedPassword(tx, userId, encryptedPassword);
      } else {
        userId = await insertEmailUser(tx, settings, { id: newUserId, email: address, encryptedPassword, data });
      }
      const identityData: JsonObject = { sub: userId, email: address, email_verified: false, phone_verified: false };
      for (const [key, value] of Object.entries(data)) if (!(key in identityData)) identityData[key] = value;
      const identity = await tx.query('select 1 from auth.identities where provider_id = $1 and provider = $2', [userId, 'email']);
      if (identity.rowCount === 0) await insertIdentity(tx, userId, 'email', userId, identityData);
      // GoTrue's RemoveUnconfirmedIdentities: the unconfirmed user's metadata is the identity's.
      const user = (await findUserById(tx, userId))!;
      await replaceUserMetadata(tx, user, identityData);
      if (settings.email.autoconfirm) {
        await audit(tx, userId, address, 'user_signedup', { provider: 'email' }, clientInfo(c).ip);
        await confirmEmail(tx, user);
        await audit(tx, userId, address, 'login', { provider: 'email' }, clientInfo(c).ip);
        return issueSession(tx, deps, userId, 'password', clientInfo(c));
      }
      await audit(tx, userId, address, 'user_confirmation_requested', { provider: 'email' }, clientInfo(c).ip);
      const flow = flowTypeOf(pkce);
      if (flow === 'pkce') await createFlowState(tx, pkce, 'email', 'email/signup', userId);
      await sendConfirmation(tx, { settings, mailer: deps.mailer, emailLimiter: deps.limits.emailSent }, user, { redirectTo, flow });
      return userJson((await findUserById(tx, userId))!);
    });
    return c.json(result);
  });

  return app;
}

async function signUpAnonymously(deps: AuthDeps, data: JsonObject, client: ReturnType<typeof clientInfo>): Promise<JsonObject> {
  const anonymous = {
    id: randomUUID(),
    encryptedPassword: '',
    aud: deps.settings.audience,
    role: deps.settings.defaultRole,
    appMetadata: {},
    userMetadata: data,
    isAnonymous: true,
  };
  await runBeforeUserCreatedHook(deps, anonymous, client.ip);
  return deps.db.transaction(async (tx) => {
    const userId = await insertUser(tx, anonymous).catch((error: unknown) => {
      throw internal('Database error creating anonymous user', error);
    });
    await audit(tx, userId, null, 'user_signedup', { provider: 'anonymous' }, client.ip);
    return issueSession(tx, deps, userId, 'anonymous', client);
  });
}
