/**
 * password-reset: a 6-digit code by email, then a new password with it.
 * - `POST /password-reset/request {email}` → `200 {"detail": "Password reset code sent to email."}`;
 *   `400 {"email": ["No account with this email."]}`; `429` within 60 s of the last code.
 * - `POST /password-reset/confirm {email, code, new_password, confirm_password?}` → `200 {"detail": "Password reset
 *   successful."}`; `400 {"detail": "Invalid or expired reset code."}`. Codes live 10 minutes, allow 5
 *   wrong tries, and every code of the user is deleted by a successful reset. Setting the password
 *   through Auth's admin API signs the user out everywhere. An account that is not active gets
 *   `403 {"detail": <its status message>}` and keeps its password. `429 {"detail"}` with Retry-After
 *   past the limits of _shared/limits.ts (per client address, per account) and once the account has
 *   spent its 20 wrong codes an hour.
 */
import { forbidden, json, parseJsonBody, validationError } from '../_shared/errors.ts';
import { postRouter, unexpected } from '../_shared/handler.ts';
import { LIMITS } from '../_shared/limits.ts';
import { clientAddress, takeLimits } from '../_shared/rate-limit.ts';
import { sendMail } from '../_shared/mail.ts';
import { adminClient, codesLocked, consumeCode, findSignInAccount, issueCode, STATUS_MESSAGES, waitBeforeAnotherCode } from '../_shared/supabase.ts';
import { passwordChecks, passwordResetConfirmBody, passwordResetRequestBody } from '../_shared/rules.ts';

const INVALID_CODE = 'Invalid or expired reset code.';

const RequestInput = passwordResetRequestBody;
const ConfirmInput = passwordResetConfirmBody;

async function accountByEmail(address: string) {
  const account = await findSignInAccount(address);
  return account && account.email?.toLowerCase() === address ? account : null;
}

async function request(req: Request): Promise<Response> {
  const input = await parseJsonBody(req, RequestInput);
  if (input.response) return input.response;

  const limited = await takeLimits([[LIMITS.resetRequestsPerIp, clientAddress(req)]]);
  if (limited) return limited;
  const account = await accountByEmail(input.data.email);
  if (!account) return validationError({ email: ['No account with this email.'] });
  const perAccount = await takeLimits([[LIMITS.resetRequestsPerAccount, `user:${account.user_id}`]]);
  if (perAccount) return perAccount;

  const issued = await issueCode('password_reset', account.user_id);
  if (issued.retry_after !== undefined) return waitBeforeAnotherCode(issued.retry_after);

  const sent = await sendMail({
    to: input.data.email,
    subject: 'Your Marquee password reset code',
    text:
      `Hi ${account.username},\n\nYour password reset code is ${issued.code}. It expires in 10 minutes.\n` +
      `If you did not ask to reset your password, ignore this email.\n\n— The Marquee team`,
  });
  if (!sent) return unexpected();
  return json({ detail: 'Password reset code sent to email.' });
}

async function confirm(req: Request): Promise<Response> {
  const input = await parseJsonBody(req, ConfirmInput, passwordChecks({ field: 'new_password' }));
  if (input.response) return input.response;
  const { data } = input;

  const limited = await takeLimits([[LIMITS.codeChecksPerIp, clientAddress(req)]]);
  if (limited) return limited;
  const account = await accountByEmail(data.email);
  if (!account || !/^\d{6}$/.test(data.code)) return json({ detail: INVALID_CODE }, 400);
  // Checked before the code is spent, so a refused password does not cost the code.
  const similar = passwordChecks({ field: 'new_password', username: account.username })({ new_password: data.new_password });
  if (Object.keys(similar).length > 0) return validationError(similar);

  const result = await consumeCode('password_reset', data.code, { subject: account.user_id });
  if (result.status === 'locked') return codesLocked(result.retry_after);
  if (result.status !== 'ok') return json({ detail: INVALID_CODE }, 400);
  // A suspended, banned or deactivated account keeps its password (Auth's tables refuse it too).
  if (account.status !== 'active') return forbidden(STATUS_MESSAGES[account.status]);

  const { error } = await adminClient().auth.admin.updateUserById(account.user_id, { password: data.new_password });
  if (error) throw error;
  return json({ detail: 'Password reset successful.' });
}

Deno.serve(postRouter('/password-reset', { '/request': request, '/confirm': confirm }));
