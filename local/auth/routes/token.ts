import { Hono } from 'hono';
import { audit } from '../audit.ts';
import { CommitThenThrow } from '../db.ts';
import { badRequest, notFound as notFoundError, OAuthError, unprocessable, validationFailed, WeakPasswordError } from '../errors.ts';
import { checkPasswordStrength, dummyPasswordHash, verifyPassword } from '../passwords.ts';
import { deleteFlowState, redeemableFlowState } from '../pkce.ts';
import { clientIp, enforceRateLimit } from '../rate-limit.ts';
import { runPasswordVerificationHook } from '../hooks.ts';
import { clientInfo, readJsonBody, stringParam, type AuthContext, type AuthDeps, type AuthEnv } from '../request.ts';
import {
  deleteAllSessions,
  findActiveRefreshToken,
  findRefreshToken,
  findSession,
  recordRefresh,
  revokeTokenFamily,
  swapRefreshToken,
} from '../sessions.ts';
import { generateAccessToken, issueSession, tokenResponseJson } from '../tokens.ts';
import { actorName } from '../phone.ts';
import {
  findUserByEmail,
  findUserById,
  findUserByPhone,
  hasPassword,
  isBanned,
  isEmailConfirmed,
  isPhoneConfirmed,
  type JsonObject,
  type User,
} from '../users.ts';
import { formatPhone } from '../validation.ts';

const INVALID_LOGIN = 'Invalid login credentials';

type Grant = (c: AuthContext, deps: AuthDeps, body: Record<string, unknown>) => Promise<JsonObject>;

/** `POST /token?grant_type=password|refresh_token|pkce`, as GoTrue's `Token`. */
export function tokenRoutes(deps: AuthDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();

  app.post('/token', async (c) => {
    const grantType = c.req.query('grant_type') ?? '';
    const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType] : undefined;
    if (!grant) throw badRequest('invalid_credentials', 'unsupported_grant_type');
    enforceRateLimit(c, deps.limits.token);
    return c.json(await grant(c, deps, await readJsonBody(c)));
  });

  return app;
}

async function passwordGrant(c: AuthContext, deps: AuthDeps, body: Record<string, unknown>): Promise<JsonObject> {
  const { settings, db } = deps;
  const email = stringParam(body, 'email');
  const phone = stringParam(body, 'phone');
  const password = stringParam(body, 'password');
  if (email && phone) throw validationFailed('Only an email address or phone number should be provided on login.');
  if (!email && !phone) throw validationFailed('missing email or phone');
  let user: User | undefined;
  if (phone) {
    if (!settings.phoneEnabled) throw unprocessable('phone_provider_disabled', 'Phone logins are disabled');
    // GoTrue only formats the number here (no E.164 check): an unknown number is bad credentials.
    user = await findUserByPhone(db.pool, formatPhone(phone), settings.audience);
  } else {
    if (!settings.email.enabled) throw unprocessable('email_provider_disabled', 'Email logins are disabled');
    user = await findUserByEmail(db.pool, email, settings.audience);
  }
  if (!user || !hasPassword(user)) {
    // The bcrypt work of a wrong password, so the answer's timing does not tell who exists.
    await verifyPassword(password, await dummyPasswordHash());
    throw badRequest('invalid_credentials', INVALID_LOGIN);
  }
  if (isBanned(user)) throw badRequest('user_banned', 'User is banned');
  const valid = await verifyPassword(password, user.encrypted_password);
  if (settings.passwordVerificationHook) {
    const decision = await runPasswordVerificationHook(db, settings.passwordVerificationHook, { userId: user.id, valid, ip: clientIp(c) });
    if (decision.reject) {
      if (decision.shouldLogoutUser) await deleteAllSessions(db.pool, user.id);
      throw badRequest('invalid_credentials', decision.message);
    }
  }
  if (!valid) throw badRequest('invalid_credentials', INVALID_LOGIN);

  let weakPassword: JsonObject | undefined;
  try {
    checkPasswordStrength(settings, password);
  } catch (error) {
    if (error instanceof WeakPasswordError) weakPassword = { message: error.message, reasons: error.reasons };
  }
  if (!phone && !isEmailConfirmed(user)) throw badRequest('email_not_confirmed', 'Email not confirmed');
  if (phone && !isPhoneConfirmed(user)) throw badRequest('phone_not_confirmed', 'Phone not confirmed');

  const client = clientInfo(c);
  const signedIn = user;
  const response = await db.transaction(async (tx) => {
    await audit(tx, signedIn.id, actorName(signedIn), 'login', { provider: phone ? 'phone' : 'email' }, client.ip);
    return issueSession(tx, deps, signedIn.id, 'password', client);
  });
  if (weakPassword) response.weak_password = weakPassword;
  return response;
}

/**
 * GoTrue's `RefreshTokenGrant` for v1 (table) refresh tokens: rotation, the child handed back
 * to a concurrent refresh, reuse within `refresh_token_reuse_interval` tolerated, reuse after it
 * revoking every token of the session.
 */
async function refreshTokenGrant(c: AuthContext, deps: AuthDeps, body: Record<string, unknown>): Promise<JsonObject> {
  const { settings, db } = deps;
  const presented = stringParam(body, 'refresh_token');
  if (!presented) throw new OAuthError('invalid_request', 'refresh_token required');

  const notFound = () => badRequest('refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
  const token = presented.length < 12 ? undefined : await findRefreshToken(db.pool, presented);
  if (!token) throw notFound();
  const user = await findUserById(db.pool, token.user_id);
  if (!user) throw notFound();
  if (isBanned(user)) throw badRequest('user_banned', 'Invalid Refresh Token: User Banned');
  const session = token.session_id ? await findSession(db.pool, token.session_id) : undefined;
  if (!session) {
    await db.pool.query('delete from auth.refresh_tokens where id = $1', [token.id]);
    throw badRequest('session_not_found', 'Invalid Refresh Token: No Valid Session Found');
  }
  if (session.not_after && session.not_after.getTime() < Date.now()) {
    throw badRequest('session_expired', 'Invalid Refresh Token: Session Expired');
  }

  const client = clientInfo(c);
  return db.transaction(async (tx) => {
    const locked = await findRefreshToken(tx, presented, true);
    if (!locked) throw notFound();
    let issued: string | undefined;
    if (locked.revoked) {
      const active = await findActiveRefreshToken(tx, session.id);
      if (active && active.parent === locked.token) {
        issued = active.token;
      } else {
        const reuseUntil = locked.updated_at.getTime() + settings.refreshTokenReuseIntervalSeconds * 1000;
        if (Date.now() > reuseUntil) {
          if (settings.refreshTokenRotation) await revokeTokenFamily(tx, session.id);
          throw new CommitThenThrow(badRequest('refresh_token_already_used', 'Invalid Refresh Token: Already Used'));
        }
      }
    }
    await audit(tx, user.id, user.email, 'token_refreshed', undefined, client.ip);
    if (!issued) issued = await swapRefreshToken(tx, locked);
    const accessToken = await generateAccessToken(tx, deps, user, session.id, 'token_refresh', client);
    await recordRefresh(tx, session.id, client);
    return tokenResponseJson({ accessToken, refreshToken: issued, user });
  });
}

/**
 * GoTrue's `PKCE` grant: the auth code a PKCE link handed out and the verifier whose challenge
 * started the flow buy a session, authenticated by the flow's method; the flow state is spent.
 */
async function pkceGrant(c: AuthContext, deps: AuthDeps, body: Record<string, unknown>): Promise<JsonObject> {
  const authCode = stringParam(body, 'auth_code');
  const codeVerifier = stringParam(body, 'code_verifier');
  if (!authCode || !codeVerifier) {
    throw validationFailed('invalid request: both auth code and code verifier should be non-empty');
  }
  const flow = await redeemableFlowState(deps.db.pool, authCode, codeVerifier);
  const user = await findUserById(deps.db.pool, flow.user_id!);
  if (!user) throw notFoundError('user_not_found', 'User not found');
  const client = clientInfo(c);
  return deps.db.transaction(async (tx) => {
    await audit(tx, user.id, user.email, 'login', { provider_type: flow.provider_type }, client.ip);
    const session = await issueSession(tx, deps, user.id, flow.authentication_method, client);
    await deleteFlowState(tx, flow.id);
    return session;
  });
}

const GRANTS: Record<string, Grant> = {
  password: passwordGrant,
  refresh_token: refreshTokenGrant,
  pkce: pkceGrant,
};
