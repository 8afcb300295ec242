/**
 * phone-signup: an account for a phone number proven by an SMS code (reference API 001).
 * - `POST /phone-signup/send-code {phone_number}` → `200 {token, message: "Verification code sent
 *   successfully."}`; `400 {"phone_number": [...]}`; `409 {"detail": "User with this phone number
 *   already exists."}` (the number is another account's sign-in phone or profile phone); `429` within 60 s of the last code for that number.
 * - `POST /phone-signup/verify {token, code, password, confirm_password?}` → `200` GoTrue's session JSON for the new
 *   account; `400 {"token": ["Invalid token."]}` / `{"token": ["The token has expired."]}` /
 *   `{"code": ["Invalid or expired verification code."]}`.
 * `429 {"detail"}` with Retry-After past the limits of _shared/limits.ts: texts per client address,
 * per number and for the whole service an hour; code checks per client address; 20 wrong codes an
 * hour per number.
 */
import { passwordGrant } from '../_shared/auth-api.ts';
import { conflict, json, parseJsonBody, tooManyRequests, validationError } from '../_shared/errors.ts';
import { postRouter, unexpected } from '../_shared/handler.ts';
import { GLOBAL, LIMITS } from '../_shared/limits.ts';
import { clientAddress, type Hit, returnLimits, takeLimits } from '../_shared/rate-limit.ts';
import { sendSms } from '../_shared/sms.ts';
import { adminClient, codesLocked, consumeCode, issueCode, phoneInUse, waitBeforeAnotherCode } from '../_shared/supabase.ts';
import { passwordChecks, phoneSendCodeBody, phoneVerifyBody } from '../_shared/rules.ts';

/** 001's answer for a number that has an account (002's field message is the rules module's PHONE_TAKEN). */
const PHONE_TAKEN = 'User with this phone number already exists.';

const INVALID_TOKEN = 'Invalid token.';
const EXPIRED_TOKEN = 'The token has expired.';
const INVALID_CODE = 'Invalid or expired verification code.';

const SendCodeInput = phoneSendCodeBody;
const VerifyInput = phoneVerifyBody;

async function sendCode(req: Request): Promise<Response> {
  const input = await parseJsonBody(req, SendCodeInput);
  if (input.response) return input.response;
  const number = input.data.phone_number;

  const limited = await takeLimits([[LIMITS.smsPerIp, clientAddress(req)]]);
  if (limited) return limited;
  if (await phoneInUse(number)) return conflict(PHONE_TAKEN);

  const texts: Hit[] = [[LIMITS.smsPerNumber, number], [LIMITS.smsGlobal, GLOBAL]];
  const pumped = await takeLimits(texts);
  if (pumped) return pumped;
  const issued = await issueCode('phone_signup', number);
  if (issued.retry_after !== undefined) {
    await returnLimits(texts); // nothing is sent
    return waitBeforeAnotherCode(issued.retry_after);
  }

  const sent = await sendSms(number, `Your Marquee verification code is ${issued.code}`);
  if (!sent) return unexpected();
  return json({ token: issued.token, message: 'Verification code sent successfully.' });
}

async function verify(req: Request): Promise<Response> {
  const input = await parseJsonBody(req, VerifyInput, passwordChecks({ field: 'password' }));
  if (input.response) return input.response;
  const { data } = input;

  const limited = await takeLimits([[LIMITS.codeChecksPerIp, clientAddress(req)]]);
  if (limited) return limited;
  const result = await consumeCode('phone_signup', data.code, { token: data.token.toLowerCase() });
  if (result.status === 'locked') return codesLocked(result.retry_after);
  if (result.status === 'invalid_token') return validationError({ token: [INVALID_TOKEN] });
  if (result.status === 'expired') return validationError({ token: [EXPIRED_TOKEN] });
  if (result.status !== 'ok') return validationError({ code: [INVALID_CODE] });

  const number = result.subject;
  const created = await adminClient().auth.admin.createUser({ phone: number, password: data.password, phone_confirm: true });
  if (created.error) {
    // Someone signed up with this number since the code was sent.
    // (or set it as the phone of their profile: the database refuses a second account with it).
    if (created.error.code === 'phone_exists' || created.error.status === 422 || (await phoneInUse(number))) return conflict(PHONE_TAKEN);
    throw created.error;
  }

  const session = await passwordGrant(req, { phone: number }, data.password);
  if (session.ok) return json(session.body);
  if (session.status === 429) return tooManyRequests(session.message);
  console.error(`phone sign-up: account created, but no session ${JSON.stringify({ status: session.status, code: session.code, message: session.message })}`);
  return unexpected();
}

Deno.serve(postRouter('/phone-signup', { '/send-code': sendCode, '/verify': verify }));
