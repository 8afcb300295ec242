import { Hono } from 'hono';
import { AuthError, validationFailed } from '../errors.ts';
import { safeRedirect, sendChangeNotices, tokenHash } from '../mail.ts';
import { PHONE_VERIFY_TYPES, verifyPhoneOtp, type PhoneVerifyType } from '../phone.ts';
import { authenticationMethodOf, issueAuthCode, PKCE_PREFIX } from '../pkce.ts';
import { enforceRateLimit } from '../rate-limit.ts';
import { clientInfo, readJsonBody, stringParam, type AuthDeps, type AuthEnv } from '../request.ts';
import { issueSession } from '../tokens.ts';
import { findUserByEmail, type User } from '../users.ts';
import { validateEmail, validatePhone } from '../validation.ts';
import {
  applyVerification,
  findUserByTokenHash,
  invalidCode,
  SINGLE_CONFIRMATION_ACCEPTED,
  verifyType,
  type VerifyType,
} from '../verification.ts';

/** GoTrue's `oauthErrorMap`: the OAuth `error` a redirect carries for an HTTP status. */
const OAUTH_ERRORS: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized_client',
  403: 'access_denied',
  500: 'server_error',
  503: 'temporarily_unavailable',
};

/**
 * `/verify`: POST checks a code (with the address or phone number) or a link's token hash and answers a session;
 * GET is the link a mail carries and redirects — with the session in the fragment, or, for a
 * `pkce_` token, with `?code=<auth_code>` for `POST /token?grant_type=pkce`.
 */
export function verifyRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const { settings, db } = deps;
  const mailDeps = { ...deps, emailLimiter: deps.limits.emailSent };

  app.post('/verify', async (c) => {
    enforceRateLimit(c, deps.limits.verify);
    const body = await readJsonBody(c);
    const rawType = stringParam(body, 'type');
    if (!rawType) throw validationFailed('Verify requires a verification type');
    const token = stringParam(body, 'token');
    const hash = stringParam(body, 'token_hash');
    const email = stringParam(body, 'email');
    const phone = stringParam(body, 'phone');
    if (!token === !hash) throw validationFailed('Verify requires either a token or a token hash');
    const client = clientInfo(c);

    if (token && phone && !email) {
      // A code texted to a number: `sms` (sign-up or sign-in) or `phone_change`.
      const number = validatePhone(phone);
      if (!PHONE_VERIFY_TYPES.includes(rawType)) {
        // GoTrue looks the user up by email for the other types: with no email, there is none.
        throw invalidCode();
      }
      const { session, before, after } = await db.transaction(async (tx) => {
        const verified = await verifyPhoneOtp(tx, deps, { type: rawType as PhoneVerifyType, phone: number, token }, client.ip);
        return { session: await issueSession(tx, deps, verified.user.id, 'otp', client), before: verified.before, after: verified.user };
      });
      await sendChangeNotices(mailDeps, before, after);
      return c.json(session);
    }
    if (PHONE_VERIFY_TYPES.includes(rawType)) {
      if (hash) {
        if (email || phone || stringParam(body, 'redirect_to')) throw validationFailed('Only the token_hash and type should be provided');
        throw validationFailed('Invalid email verification type');
      }
      if (!email || phone) throw validationFailed('Only an email address or phone number should be provided on verify');
      validateEmail(email);
      // A phone type with an email: GoTrue looks the user up by the (empty) phone and finds none.
      throw invalidCode();
    }

    let presentedHash: string;
    let findUser: (type: VerifyType) => Promise<User | undefined>;
    if (hash) {
      if (email || phone || stringParam(body, 'redirect_to')) throw validationFailed('Only the token_hash and type should be provided');
      presentedHash = hash;
      findUser = (type) => findUserByTokenHash(db.pool, type, hash);
    } else {
      if (!email || phone) throw validationFailed('Only an email address or phone number should be provided on verify');
      const address = validateEmail(email);
      presentedHash = tokenHash(address, token);
      // An email change is verified with the new (or current) address: find the user by the hash.
      findUser = async (type) =>
        type === 'email_change'
          ? ((await findUserByTokenHash(db.pool, type, presentedHash)) ??
            (await findUserByTokenHash(db.pool, type, PKCE_PREFIX + presentedHash)))
          : findUserByEmail(db.pool, address, settings.audience);
    }
    const type = verifyType(rawType);
    const user = await findUser(type);

    const { result, after } = await db.transaction(async (tx) => {
      const outcome = await applyVerification(tx, settings, { user, type, presentedHash, viaLink: !!hash, ip: client.ip });
      if (outcome.kind === 'awaiting_other_confirmation') return { result: { msg: SINGLE_CONFIRMATION_ACCEPTED, code: '200' } };
      return { result: await issueSession(tx, deps, outcome.user.id, 'otp', client), after: outcome.user };
    });
    if (user && after) await sendChangeNotices(mailDeps, user, after);
    return c.json(result);
  });

  app.get('/verify', async (c) => {
    enforceRateLimit(c, deps.limits.verify);
    const rawType = c.req.query('type') ?? '';
    if (!rawType) throw validationFailed('Verify requires a verification type');
    const token = c.req.query('token') ?? '';
    if (!token) throw validationFailed('Verify requires a token or a token hash');
    const redirectTo = safeRedirect(settings, c.req.query('redirect_to'));
    const pkce = token.startsWith(PKCE_PREFIX);
    const client = clientInfo(c);

    try {
      // A link is a token hash: GoTrue has none for the phone types.
      if (PHONE_VERIFY_TYPES.includes(rawType)) throw validationFailed('Invalid email verification type');
      const type = verifyType(rawType);
      const user = await findUserByTokenHash(db.pool, type, token);
      const { location, after } = await db.transaction(async (tx) => {
        const outcome = await applyVerification(tx, settings, { user, type, presentedHash: token, viaLink: true, ip: client.ip });
        if (outcome.kind === 'awaiting_other_confirmation') return { location: messageRedirect(redirectTo, SINGLE_CONFIRMATION_ACCEPTED, pkce) };
        if (pkce) {
          const code = await issueAuthCode(tx, outcome.user.id, authenticationMethodOf(outcome.type));
          return { location: withQuery(redirectTo, { code }), after: outcome.user };
        }
        const session = await issueSession(tx, deps, outcome.user.id, 'otp', client);
        const fragment = withFragment(redirectTo, {
          access_token: String(session.access_token),
          expires_at: String(session.expires_at),
          expires_in: String(session.expires_in),
          refresh_token: String(session.refresh_token),
          token_type: 'bearer',
          type: rawType,
        });
        return { location: fragment, after: outcome.user };
      });
      if (user && after) await sendChangeNotices(mailDeps, user, after);
      return c.redirect(location, 303);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      return c.redirect(errorRedirect(redirectTo, error, pkce), 303);
    }
  });

  return app;
}

/** A fragment encoded as Go's `url.Values.Encode` does (sorted keys), ending with GoTrue's `sb` marker. */
function encodeSorted(params: Record<string, string>): string {
  const entries = Object.entries({ ...params, sb: '' }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new URLSearchParams(entries).toString();
}

function withFragment(url: string, params: Record<string, string>): string {
  return `${url.split('#')[0]}#${encodeSorted(params)}`;
}

function withQuery(url: string, params: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

/** `prepRedirectURL`: the message in the fragment, and in the query too for a PKCE flow. */
function messageRedirect(url: string, message: string, pkce: boolean): string {
  return withFragment(pkce ? withQuery(url, { message }) : url, { message });
}

/** `prepErrorRedirectURL`: error, error_code and error_description in the fragment (and query for PKCE). */
function errorRedirect(url: string, error: AuthError, pkce: boolean): string {
  const params: Record<string, string> = { error_code: error.code, error_description: error.message };
  const oauthError = OAUTH_ERRORS[error.status];
  if (oauthError) params.error = oauthError;
  return withFragment(pkce ? withQuery(url, params) : url, params);
}
