import { SignJWT } from 'jose';
import { stackEnv } from './env.ts';

/**
 * An HS256 user token signed with the stack's JWT secret, as Auth would issue it, so REST,
 * Storage and Realtime tests need not sign in through Auth.
 */
export async function signUserToken(sub: string, extra: Record<string, unknown> = {}, expiresIn: string | number = '1h'): Promise<string> {
  return new SignJWT({ sub, role: 'authenticated', aud: 'authenticated', ...extra })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(stackEnv().jwtSecret));
}
