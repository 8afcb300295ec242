/**
 * parental: a signed-in child links a parent's email address, proven by a code sent there.
 * - `POST /parental/request-otp {parent_email}` → `200 {"message": "OTP sent to parent email."}`;
 *   `400 {"non_field_errors": ["This parent email is already linked."]}`; `429` within 60 s.
 * - `POST /parental/verify-otp {parent_email, otp_code}` → `200 {"message": "OTP verified
 *   successfully."}`; `400 {"non_field_errors": ["Invalid OTP."]}`.
 * `429 {"detail"}` with Retry-After past the limits of _shared/limits.ts: parent mails per account,
 * per client address, per parent address (normalised: case, +tags, Gmail dots) and for the whole
 * service an hour; code checks per client address; 20 wrong codes an hour per account.
 * The mail to the parent is a fixed text; the only words in it the child chose are their username.
 */
import { json, NON_FIELD_ERRORS, parseJsonBody, validationError } from '../_shared/errors.ts';
import { postRouter, unexpected } from '../_shared/handler.ts';
import { GLOBAL, LIMITS, normaliseEmailForLimits } from '../_shared/limits.ts';
import { clientAddress, type Hit, returnLimits, takeLimits } from '../_shared/rate-limit.ts';
import { sendMail } from '../_shared/mail.ts';
import { callService, codesLocked, consumeCode, issueCode, requireCaller, waitBeforeAnotherCode } from '../_shared/supabase.ts';
import { parentalRequestBody, parentalVerifyBody } from '../_shared/rules.ts';

const INVALID_OTP = 'Invalid OTP.';

const RequestInput = parentalRequestBody;
const VerifyInput = parentalVerifyBody;

const PARENT_MAIL_SUBJECT = 'Marquee parental link code';

/** The mail to a third party: fixed words, the child's username (letters, digits, _ and .) and the code. */
function parentMailText(username: string, code: string): string {
  return (
    `Hello,\n\nThe Marquee user with the username "${username}" asked to link their account to this email address as their parent's.\n` +
    `The code to confirm it is ${code}. It expires in 10 minutes.\n` +
    `If you do not know this user, ignore this email.\n\n— The Marquee team`
  );
}

const subjectOf = (childId: string, parentEmail: string) => `${childId}:${parentEmail.toLowerCase()}`;

async function requestOtp(req: Request): Promise<Response> {
  const auth = await requireCaller(req, { requireActive: true });
  if (auth.response) return auth.response;
  const { user, username } = auth.caller;
  const input = await parseJsonBody(req, RequestInput);
  if (input.response) return input.response;
  const parentEmail = input.data.parent_email;

  if (user.email && user.email.toLowerCase() === parentEmail) {
    return validationError({ parent_email: ["Enter a parent's email address, not your own."] });
  }
  const linked = await callService('is_parent_linked', { p_child_id: user.id, p_parent_email: parentEmail });
  if (linked === true) return validationError({ [NON_FIELD_ERRORS]: ['This parent email is already linked.'] });

  const mails: Hit[] = [
    [LIMITS.parentMailsPerAccount, `user:${user.id}`],
    [LIMITS.parentMailsPerIp, clientAddress(req)],
    [LIMITS.parentMailsPerAddress, normaliseEmailForLimits(parentEmail)],
    [LIMITS.parentMailsGlobal, GLOBAL],
  ];
  const limited = await takeLimits(mails);
  if (limited) return limited;
  const issued = await issueCode('parent_link', subjectOf(user.id, parentEmail));
  if (issued.retry_after !== undefined) {
    await returnLimits(mails); // nothing is sent
    return waitBeforeAnotherCode(issued.retry_after);
  }

  const sent = await sendMail({ to: parentEmail, subject: PARENT_MAIL_SUBJECT, text: parentMailText(username, issued.code) });
  if (!sent) return unexpected();
  return json({ message: 'OTP sent to parent email.' });
}

async function verifyOtp(req: Request): Promise<Response> {
  const auth = await requireCaller(req, { requireActive: true });
  if (auth.response) return auth.response;
  const { user } = auth.caller;
  const input = await parseJsonBody(req, VerifyInput);
  if (input.response) return input.response;
  const { parent_email: parentEmail, otp_code: otpCode } = input.data;

  const limited = await takeLimits([[LIMITS.codeChecksPerIp, clientAddress(req)]]);
  if (limited) return limited;
  if (!/^\d{6}$/.test(otpCode)) return validationError({ [NON_FIELD_ERRORS]: [INVALID_OTP] });
  const result = await consumeCode('parent_link', otpCode, { subject: subjectOf(user.id, parentEmail) });
  if (result.status === 'locked') return codesLocked(result.retry_after);
  if (result.status !== 'ok') return validationError({ [NON_FIELD_ERRORS]: [INVALID_OTP] });

  await callService('link_parent', { p_child_id: user.id, p_parent_email: parentEmail });
  return json({ message: 'OTP verified successfully.' });
}

Deno.serve(postRouter('/parental', { '/request-otp': requestOtp, '/verify-otp': verifyOtp }));
