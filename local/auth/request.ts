import type { Context, MiddlewareHandler } from 'hono';
import { bearerToken, JwtError, type JwtClaims, type JwtKeys } from '../shared/jwt.ts';
import type { Logger } from '../shared/logger.ts';
import type { Mailer } from '../shared/mailer.ts';
import type { AuthDatabase } from './db.ts';
import { AuthError, badRequest, forbidden } from './errors.ts';
import type { AuthRateLimits } from './rate-limit.ts';
import { clientIp } from './rate-limit.ts';
import { findSession, type ClientInfo, type SessionRow } from './sessions.ts';
import type { AuthSettings } from './settings.ts';
import { findUserById, isBanned, isUuid, type User } from './users.ts';

/** What every route handler is given. */
export interface AuthDeps {
  settings: AuthSettings;
  db: AuthDatabase;
  jwt: JwtKeys;
  mailer: Mailer;
  log: Logger;
  limits: AuthRateLimits;
}

export interface AuthVariables {
  claims: JwtClaims;
  user: User;
  session: SessionRow | undefined;
}

export type AuthEnv = { Variables: AuthVariables };
export type AuthContext = Context<AuthEnv>;

/** GoTrue's `retrieveRequestParams`: a JSON object body (empty body → {}). */
export async function readJsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await c.req.text();
  if (!text.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    throw new Error('json: cannot unmarshal into Go value of type object');
  } catch (error) {
    throw badRequest('bad_json', `Could not parse request body as JSON: ${(error as Error).message}`);
  }
}

export function stringParam(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  return typeof value === 'string' ? value : '';
}

export function objectParam(body: Record<string, unknown>, name: string): Record<string, unknown> | undefined {
  const value = body[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function clientInfo(c: Context): ClientInfo {
  return { userAgent: c.req.header('user-agent'), ip: clientIp(c) };
}

/** Verifies the bearer JWT as GoTrue's `parseJWTClaims` does; answers its 401/403 errors. */
export async function verifiedClaims(c: Context, jwt: JwtKeys): Promise<JwtClaims> {
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
  try {
    return await jwt.verify(token);
  } catch (error) {
    const detail =
      error instanceof JwtError && error.reason === 'expired'
        ? 'token has invalid claims: token is expired'
        : error instanceof JwtError && error.reason === 'malformed'
          ? 'token is malformed'
          : 'signature is invalid';
    throw forbidden('bad_jwt', `invalid JWT: unable to parse or verify signature, ${detail}`);
  }
}

/**
 * GoTrue's `requireAuthentication`: a valid user JWT whose user (and session, when the JWT names
 * one) still exists, and who is not banned.
 */
export function requireUser(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const claims = await verifiedClaims(c, deps.jwt);
    if (!claims.sub) throw forbidden('bad_jwt', 'invalid claim: missing sub claim');
    if (!isUuid(claims.sub)) throw badRequest('bad_jwt', 'invalid claim: sub claim must be a UUID');
    const user = await findUserById(deps.db.pool, claims.sub);
    if (!user) throw forbidden('user_not_found', 'User from sub claim in JWT does not exist');
    let session: SessionRow | undefined;
    const sessionId = typeof claims.session_id === 'string' ? claims.session_id : '';
    if (sessionId && sessionId !== '00000000-0000-0000-0000-000000000000') {
      if (!isUuid(sessionId)) throw forbidden('bad_jwt', 'invalid claim: session_id claim must be a UUID');
      session = await findSession(deps.db.pool, sessionId);
      if (!session) throw forbidden('session_not_found', 'Session from session_id claim in JWT does not exist');
    }
    if (isBanned(user)) throw forbidden('user_banned', 'User is banned');
    c.set('claims', claims);
    c.set('user', user);
    c.set('session', session);
    await next();
  };
}

/** GoTrue's `requireAdminCredentials`: a JWT whose role is an admin role (service_role). */
export function requireAdmin(deps: AuthDeps): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const claims = await verifiedClaims(c, deps.jwt);
    if (!claims.role || !deps.settings.adminRoles.includes(claims.role)) {
      throw forbidden('not_admin', 'User not allowed');
    }
    c.set('claims', claims);
    await next();
  };
}
