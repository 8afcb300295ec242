import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { unprocessable, validationFailed } from '../errors.ts';
import { sendReauthentication } from '../mail.ts';
import { clientInfo, requireUser, type AuthDeps, type AuthEnv } from '../request.ts';
import { isEmailConfirmed } from '../users.ts';

/** `GET /reauthenticate`: mails the signed-in user a nonce for `PUT /user` (GoTrue's `Reauthenticate`). */
export function reauthenticateRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.get('/reauthenticate', requireUser(deps), async (c) => {
    const user = c.get('user');
    if (!user.email && !user.phone) {
      throw validationFailed('Reauthentication requires the user to have an email or a phone number');
    }
    if (!user.email) throw unprocessable('validation_failed', 'Reauthentication by phone is not supported by Marquee Local');
    if (!isEmailConfirmed(user)) throw unprocessable('email_not_confirmed', 'Please verify your email first.');
    await deps.db.transaction(async (tx) => {
      await audit(tx, user.id, user.email, 'user_reauthenticate_requested', undefined, clientInfo(c).ip);
      await sendReauthentication(tx, { settings: deps.settings, mailer: deps.mailer, emailLimiter: deps.limits.emailSent }, user);
    });
    return c.json({});
  });

  return app;
}
