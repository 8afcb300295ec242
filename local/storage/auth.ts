/** Who is calling: the bearer JWT verified as storage-api's jwt plugin verifies it. */
import type { Context } from 'hono';
import { callerRequestOf, type CallerIdentity } from '../shared/caller-role.ts';
import { bearerToken, JwtError, type JwtClaims, type JwtKeys } from '../shared/jwt.ts';
import { ERRORS } from './errors.ts';

export interface Caller extends CallerIdentity {
  /** Postgres role the request runs as (`anon`, `authenticated`, `service_role`, …). */
  role: string;
  claims: JwtClaims;
  /** `sub` of the token: the owner written on objects and buckets. */
  owner: string | undefined;
}

/** The mount point the gateway strips, as Kong strips it before storage-api sees the path. */
const MOUNT = '/storage/v1';

/** The HTTP request as storage-api sets it for policies (method, path, headers). */
function requestOf(c: Context) {
  const path = c.req.path.startsWith(MOUNT) ? c.req.path.slice(MOUNT.length) || '/' : c.req.path;
  return callerRequestOf(c.req.raw, path);
}

export const ANON_CALLER: Caller = { role: 'anon', claims: { role: 'anon' }, owner: undefined };

/** jose's messages, which storage-api passes through in its AccessDenied error. */
function joseMessage(error: JwtError): string {
  if (error.reason === 'expired') return '"exp" claim timestamp check failed';
  if (error.reason === 'signature') return 'signature verification failed';
  return 'Invalid Compact JWS';
}

/** Verifies the bearer token; an absent or invalid token is storage-api's 403 AccessDenied (HTTP 400). */
export async function callerOf(c: Context, jwt: JwtKeys): Promise<Caller> {
  const token = bearerToken(c.req.header('authorization'));
  if (!token) throw ERRORS.accessDenied('Invalid Compact JWS');
  try {
    const claims = await jwt.verify(token);
    const role = typeof claims.role === 'string' && claims.role ? claims.role : 'anon';
    return { role, claims, owner: claims.sub, request: requestOf(c) };
  } catch (error) {
    if (error instanceof JwtError) throw ERRORS.accessDenied(joseMessage(error));
    throw error;
  }
}

/** For routes that serve public content: a missing or invalid token is simply anonymous. */
export async function optionalCallerOf(c: Context, jwt: JwtKeys): Promise<Caller> {
  try {
    return await callerOf(c, jwt);
  } catch {
    return { ...ANON_CALLER, request: requestOf(c) };
  }
}
