/**
 * sign-in: a session for a username, email (or phone number) and password.
 * `POST {username | email, password}` → `200` GoTrue's session JSON as Auth answers it;
 * `401 {"detail": "No active account found with the given credentials"}` for an unknown login and
 * a wrong password alike; `403 {"detail": …}` for an account that is not active (the access token
 * hook's message); `429 {"detail"}` with Retry-After when the client address has tried too often,
 * when the account (or an unknown login) has failed too often, or when Auth's own per-IP limit is
 * reached. A successful sign-in spends none of the account's failure budget.
 */
import { passwordGrant } from '../_shared/auth-api.ts';
import { detailError, json, parseJsonBody, tooManyRequests, unauthorized } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { findSignInAccount, STATUS_MESSAGES } from '../_shared/supabase.ts';
import { oneOf, signInBody } from '../_shared/rules.ts';
import { LIMITS } from '../_shared/limits.ts';
import { clientAddress, type Hit, retryAfter, returnLimits, takeLimits } from '../_shared/rate-limit.ts';

const NO_ACCOUNT = 'No active account found with the given credentials';
// An address on the reserved .invalid domain: no account has it, so Auth spends its own
// unknown-user bcrypt on it, the same work as a wrong password for a real account.
const NOBODY = { email: 'nobody@sign-in.invalid' };
const TOO_MANY_FAILURES = 'Too many failed sign-in attempts. Please try again later.';

const SignInInput = signInBody;

Deno.serve(
  postHandler(async (req) => {
    const input = await parseJsonBody(req, SignInInput, oneOf('username', 'email'));
    if (input.response) return input.response;
    const login = (input.data.username ?? input.data.email)!;

    const limited = await takeLimits([[LIMITS.signInPerIp, clientAddress(req)]]);
    if (limited) return limited;

    const account = await findSignInAccount(login);
    // Unknown logins have a budget too, so a 429 does not tell which logins exist.
    const failures: Hit[] = [[LIMITS.signInFailuresPerAccount, account ? `user:${account.user_id}` : `login:${login.trim().toLowerCase()}`]];
    const locked = await takeLimits(failures, TOO_MANY_FAILURES);
    if (locked) return locked;

    if (!account || (!account.email && !account.phone)) {
      // The same path as a wrong password (a password grant to Auth), so timing does not tell which
      // logins exist; the answer is ignored.
      await passwordGrant(req, NOBODY, input.data.password);
      return unauthorized(NO_ACCOUNT);
    }

    const credentials = account.email ? { email: account.email } : { phone: account.phone! };
    const result = await passwordGrant(req, credentials, input.data.password);
    if (result.ok) {
      await returnLimits(failures);
      return json(result.body);
    }

    if (result.status === 429) return tooManyRequests(result.message);
    // Auth's password verification hook refused: the account's failure budget is spent (any door).
    if (result.code === 'invalid_credentials' && result.message === TOO_MANY_FAILURES) {
      return tooManyRequests(TOO_MANY_FAILURES, Math.max(1, await retryAfter([[LIMITS.authPasswordFailuresPerAccount, `user:${account.user_id}`]])));
    }
    if (result.status === 403) return detailError(403, result.message);
    if (result.code === 'user_banned') return detailError(403, STATUS_MESSAGES.banned);
    if (result.code === 'email_not_confirmed' || result.code === 'phone_not_confirmed') return detailError(403, result.message);
    if (result.status >= 500) throw new Error(`Auth password grant failed: ${result.status} ${result.code} ${result.message}`);
    if (result.code !== 'invalid_credentials') console.error(`password grant refused ${JSON.stringify({ status: result.status, code: result.code, message: result.message })}`);
    return unauthorized(NO_ACCOUNT);
  }),
);
