import { decodeJwt } from 'jose';
import { JwtError, type JwtClaims, type JwtKeys } from '../shared/jwt.ts';

/** Why a token was refused, with Realtime's log code and message (joined as "Code: message"). */
export class TokenRejected extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

/**
 * Verifies a channel token as Realtime's ChannelsAuthorization does: a valid signature, and
 * `role` and `exp` claims present; an expired token reports how many seconds ago it expired.
 */
export async function verifyChannelToken(jwt: JwtKeys, token: string): Promise<JwtClaims> {
  let claims: JwtClaims;
  try {
    claims = await jwt.verify(token);
  } catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') {
      throw new TokenRejected('InvalidJWTToken', `Token has expired ${secondsSinceExpiry(token)} seconds ago`);
    }
    if (error instanceof JwtError && error.reason === 'malformed') {
      throw new TokenRejected('MalformedJWT', 'The token provided is not a valid JWT');
    }
    throw new TokenRejected('JwtSignatureError', 'Failed to validate JWT signature');
  }
  if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
    throw new TokenRejected('InvalidJWTToken', 'Fields `role` and `exp` are required in JWT');
  }
  return claims;
}

function secondsSinceExpiry(token: string): number {
  try {
    const exp = decodeJwt(token).exp;
    return typeof exp === 'number' ? Math.max(0, Math.floor(Date.now() / 1000) - exp) : 0;
  } catch {
    return 0;
  }
}
