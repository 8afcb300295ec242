/**
 * sign-in: a session for a username, email (or phone number) and password.
 * `POST {username | email, password}` → `200` GoTrue's session JSON as Auth answers it;
 * `401 {"detail": "No active account found with the given credentials"}` for an unknown login and
 * a wrong password alike; `403 {"detail": …}` for an account that is not active (the access token
 * hook's message); `429` when Auth's per-IP limit is reached.
 */
import { passwordGrant } from '../_shared/auth-api.ts';
import { detailError, json, parseJsonBody, tooManyRequests, unauthorized } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { findSignInAccount, serviceRpc, STATUS_MESSAGES } from '../_shared/supabase.ts';
import { body, currentPassword, maxLength, oneOf, text } from '../_shared/rules.ts';

const NO_ACCOUNT = 'No active account found with the given credentials';
const NO_USER = '00000000-0000-0000-0000-000000000000';

const SignInInput = body({
  username: text().max(254, maxLength(254)).optional(),
  email: text().max(254, maxLength(254)).optional(),
  password: currentPassword,
});

Deno.serve(
  postHandler(async (req) => {
    const input = await parseJsonBody(req, SignInInput, oneOf('username', 'email'));
    if (input.response) return input.response;
    const login = (input.data.username ?? input.data.email)!;

    const account = await findSignInAccount(login);
    if (!account || (!account.email && !account.phone)) {
      // The same bcrypt work as a wrong password, so timing does not tell which logins exist.
      await serviceRpc().rpc('verify_user_password', { p_user_id: NO_USER, p_password: input.data.password });
      return unauthorized(NO_ACCOUNT);
    }

    const credentials = account.email ? { email: account.email } : { phone: account.phone! };
    const result = await passwordGrant(req, credentials, input.data.password);
    if (result.ok) return json(result.body);

    if (result.status === 429) return tooManyRequests(result.message);
    if (result.status === 403) return detailError(403, result.message);
    if (result.code === 'user_banned') return detailError(403, STATUS_MESSAGES.banned);
    if (result.code === 'email_not_confirmed' || result.code === 'phone_not_confirmed') return detailError(403, result.message);
    if (result.status >= 500) throw new Error(`Auth password grant failed: ${result.status} ${result.code} ${result.message}`);
    if (result.code !== 'invalid_credentials') console.error(`password grant refused ${JSON.stringify({ status: result.status, code: result.code, message: result.message })}`);
    return unauthorized(NO_ACCOUNT);
  }),
);
