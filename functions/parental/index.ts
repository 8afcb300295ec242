/**
 * parental: a signed-in child links a parent's email address, proven by a code sent there.
 * - `POST /parental/request-otp {parent_email}` → `200 {"message": "OTP sent to parent email."}`;
 *   `400 {"non_field_errors": ["This parent email is already linked."]}`; `429` within 60 s.
 * - `POST /parental/verify-otp {parent_email, otp_code}` → `200 {"message": "OTP verified
 *   successfully."}`; `400 {"non_field_errors": ["Invalid OTP."]}`.
 */
import { json, NON_FIELD_ERRORS, parseJsonBody, validationError } from '../_shared/errors.ts';
import { postRouter, unexpected } from '../_shared/handler.ts';
import { sendMail } from '../_shared/mail.ts';
import { consumeCode, issueCode, requireCaller, serviceRpc, waitBeforeAnotherCode } from '../_shared/supabase.ts';
import { body, email, text } from '../_shared/rules.ts';

const INVALID_OTP = 'Invalid OTP.';

const RequestInput = body({ parent_email: email });
const VerifyInput = body({ parent_email: email, otp_code: text() });

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
  const linked = await serviceRpc().rpc('is_parent_linked', { p_child_id: user.id, p_parent_email: parentEmail });
  if (linked.error) throw linked.error;
  if (linked.data === true) return validationError({ [NON_FIELD_ERRORS]: ['This parent email is already linked.'] });

  const issued = await issueCode('parent_link', subjectOf(user.id, parentEmail));
  if (issued.retry_after !== undefined) return waitBeforeAnotherCode(issued.retry_after);

  const sent = await sendMail({
    to: parentEmail,
    subject: 'Marquee parental link code',
    text:
      `Hello,\n\nThe Marquee user ${username} asked to link their account to this email address as their parent's.\n` +
      `The code to confirm it is ${issued.code}. It expires in 10 minutes.\n` +
      `If you do not know this user, ignore this email.\n\n— The Marquee team`,
  });
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

  if (!/^\d{6}$/.test(otpCode)) return validationError({ [NON_FIELD_ERRORS]: [INVALID_OTP] });
  const result = await consumeCode('parent_link', otpCode, { subject: subjectOf(user.id, parentEmail) });
  if (result.status !== 'ok') return validationError({ [NON_FIELD_ERRORS]: [INVALID_OTP] });

  const { error } = await serviceRpc().rpc('link_parent', { p_child_id: user.id, p_parent_email: parentEmail });
  if (error) throw error;
  return json({ message: 'OTP verified successfully.' });
}

Deno.serve(postRouter('/parental', { '/request-otp': requestOtp, '/verify-otp': verifyOtp }));
