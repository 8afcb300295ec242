/** The request's role and claims from its bearer JWT, with PostgREST's 401 errors (PGRST301/303). */
import { bearerToken, JwtError, type JwtKeys } from '../shared/jwt.ts';
import { RestError } from './errors.ts';

export interface Auth {
  role: string;
  claims: Record<string, unknown>;
  /** True when the role is not the anonymous role (42501 then answers 403, not 401). */
  authenticated: boolean;
}

export async function authenticate(jwt: JwtKeys, header: string | undefined, anonRole: string): Promise<Auth> {
  if (header === undefined || header.trim() === '') return { role: anonRole, claims: {}, authenticated: false };
  const token = bearerToken(header);
  if (!token) throw jwtError('PGRST301', 'Empty JWT is sent in Authorization header');
  let claims: Record<string, unknown>;
  try {
    claims = await jwt.verify(token);
  } catch (error) {
    if (!(error instanceof JwtError)) throw error;
    if (error.reason === 'expired') throw jwtError('PGRST303', 'JWT expired');
    const parts = token.split('.').length;
    throw jwtError('PGRST301', parts !== 3 ? `Expected 3 parts in JWT; got ${parts}` : 'JWT cryptographic operation failed');
  }
  const role = typeof claims.role === 'string' && claims.role !== '' ? claims.role : anonRole;
  return { role, claims, authenticated: role !== anonRole };
}

function jwtError(code: string, message: string): RestError {
  return new RestError(401, code, message, null, null, {
    'WWW-Authenticate': `Bearer error="invalid_token", error_description=${JSON.stringify(message)}`,
  });
}
