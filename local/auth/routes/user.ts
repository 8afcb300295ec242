import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { AuthError, forbidden, unprocessable, validationFailed } from '../errors.ts';
import { sendChangeNotices, sendEmailChange, sendNotice } from '../mail.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../passwords.ts';
import { actorName, applyPhoneChange, messageChannel, sendPhoneOtp } from '../phone.ts';
import { enforceRateLimit } from '../rate-limit.ts';
import { createFlowState, flowTypeOf, pkceParams, validatePkceParams } from '../pkce.ts';
import { requireCurrentPassword, requireRecentAuthentication } from '../reauthentication.ts';
import { clientInfo, objectParam, readJsonBody, requireUser, stringParam, type AuthDeps, type AuthEnv } from '../request.ts';
import { deleteAllSessions, deleteOtherSessions, deleteSession } from '../sessions.ts';
import { confirmEmailChange, updateAppMetadata, updatePassword, updateUserMetadata } from '../user-writes.ts';
import {
  findUserById,
  findUserByPhone,
  findUserWithEmailIdentity,
  hasPassword,
  insertIdentity,
  userJson,
} from '../users.ts';
import { validateEmail, validatePhone } from '../validation.ts';

/** `GET /user`, `PUT /user` and `POST /logout`: what a signed-in user does to their account. */
export function userRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  const authenticated = requireUser(deps);

  app.get('/user', authenticated, (c) => c.json(userJson(c.get('user'))));

  app.put('/user', authenticated, async (c) => {
    enforceRateLimit(c, deps.limits.user);
    const body = await readJsonBody(c);
    const user = c.get('user');
    const session = c.get('session');
    const client = clientInfo(c);

    const email = typeof body.email === 'string' && body.email ? validateEmail(body.email) : '';
    const phone = stringParam(body, 'phone') ? validatePhone(stringParam(body, 'phone')) : '';
    if (phone) messageChannel(settings, stringParam(body, 'channel'));
    const password = typeof body.password === 'string' ? body.password : undefined;
    if (password !== undefined) checkPasswordStrength(settings, password);
    const data = objectParam(body, 'data');
    const appData = objectParam(body, 'app_metadata');
    if (appData && !settings.adminRoles.includes(user.role)) {
      throw forbidden('not_admin', 'Updating app_metadata requires admin privileges');
    }

    const hasVerifiedFactor = user.factors.some((f) => f.status === 'verified');
    const changingEmail = !!email && email !== user.email;
    const changingPhone = !!phone && phone !== user.phone;
    if (hasVerifiedFactor && session?.aal !== 'aal2' && (!!password || changingEmail || changingPhone)) {
      throw new AuthError(401, 'insufficient_aal', 'AAL2 session is required to update email or password when MFA is enabled.');
    }
    if (user.is_anonymous && password && !email && !phone) {
      throw unprocessable('validation_failed', 'Updating password of an anonymous user without an email or phone is not allowed');
    }
    if (changingEmail && (await findUserWithEmailIdentity(db.pool, email, settings.audience, user.id))) {
      throw unprocessable('email_exists', 'A user with this email address has already been registered');
    }
    if (changingPhone && (await findUserByPhone(db.pool, phone, settings.audience))) {
      throw unprocessable('phone_exists', 'A user with this phone number has already been registered');
    }
    const pkce = pkceParams(body);
    validatePkceParams(pkce);
    if (password !== undefined) await requireRecentAuthentication(db.pool, settings, user, session, stringParam(body, 'nonce'));
    const addingFirstPassword = !!password && !hasPassword(user);
    let encrypted: string | undefined;
    if (password !== undefined) {
      if (password && hasPassword(user)) {
        await requireCurrentPassword(db.pool, settings, user, session, body.current_password);
        if (await verifyPassword(password, user.encrypted_password)) {
          throw unprocessable('same_password', 'New password should be different from the old password.');
        }
      }
      encrypted = await hashPassword(password);
    }

    await db.transaction(async (tx) => {
      if (encrypted !== undefined) {
        await updatePassword(tx, user.id, encrypted, session?.id ?? null);
        await audit(tx, user.id, user.email, 'user_updated_password', undefined, client.ip);
        if (addingFirstPassword && user.email && !user.identities.some((i) => i.provider === 'email')) {
          await insertIdentity(tx, user.id, 'email', user.id, { sub: user.id, email: user.email, email_verified: false, phone_verified: false });
        }
      }
      if (data) await updateUserMetadata(tx, user, data);
      if (appData) await updateAppMetadata(tx, user, appData);
      if (changingEmail) {
        if (user.is_anonymous && settings.email.autoconfirm) {
          // An anonymous user adding an address with autoconfirm: GoTrue's emailChangeVerify at once.
          await confirmEmailChange(tx, user.id, email);
          await insertIdentity(tx, user.id, 'email', user.id, { sub: user.id, email, email_verified: true, phone_verified: false });
        } else {
          const fresh = (await findUserById(tx, user.id))!;
          const flow = flowTypeOf(pkce);
          if (flow === 'pkce') await createFlowState(tx, pkce, 'email_change', 'email_change', user.id);
          const mail = { settings, mailer: deps.mailer, emailLimiter: deps.limits.emailSent };
          await sendEmailChange(tx, mail, fresh, email, { redirectTo: c.req.query('redirect_to'), flow });
        }
      }
      if (changingPhone) {
        const fresh = (await findUserById(tx, user.id))!;
        if (settings.sms.autoconfirm) await applyPhoneChange(tx, fresh, phone, client.ip);
        else await sendPhoneOtp(tx, deps, fresh, phone, 'phone_change', client.ip);
      }
      await audit(tx, user.id, actorName(user), 'user_modified', undefined, client.ip);
    });
    const fresh = (await findUserById(db.pool, user.id))!;
    const mailDeps = { ...deps, emailLimiter: deps.limits.emailSent };
    if (encrypted !== undefined && fresh.email) await sendNotice(mailDeps, 'password_changed', fresh.email, { email: fresh.email });
    await sendChangeNotices(mailDeps, user, fresh);
    return c.json(userJson(fresh));
  });

  app.post('/logout', authenticated, async (c) => {
    const scope = c.req.query('scope') ?? '';
    if (!['', 'global', 'local', 'others'].includes(scope)) throw validationFailed(`Unsupported logout scope "${scope}"`);
    const user = c.get('user');
    const session = c.get('session');
    await db.transaction(async (tx) => {
      await audit(tx, user.id, user.email, 'logout', undefined, clientInfo(c).ip);
      if (session && scope === 'local') return deleteSession(tx, session.id);
      if (session && scope === 'others') return deleteOtherSessions(tx, user.id, session.id);
      return deleteAllSessions(tx, user.id);
    });
    return c.body(null, 204);
  });

  return app;
}
