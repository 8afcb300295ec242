import type { JwtKeys } from '../shared/jwt.ts';
import { unauthorized } from './responses.ts';

/**
 * The edge runtime's verify_jwt gate: preflight `OPTIONS` passes; otherwise the `Authorization`
 * header must be `Bearer <token>` with a token that verifies (signature and expiry). Returns the
 * 401 response to send, or undefined when the request may go on.
 */
export async function checkJwt(request: Request, jwt: JwtKeys): Promise<Response | undefined> {
  if (request.method === 'OPTIONS') return undefined;
  const header = request.headers.get('authorization');
  if (!header) return unauthorized('Error: Missing authorization header');
  const [scheme, token] = header.split(' ');
  if (scheme !== 'Bearer') return unauthorized("Error: Auth header is not 'Bearer {token}'");
  try {
    await jwt.verify(token ?? '');
    return undefined;
  } catch {
    return unauthorized('Invalid JWT');
  }
}
