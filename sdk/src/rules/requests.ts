/**
 * The bodies the account edge functions accept, one schema each: the functions parse requests with
 * them and the SDK checks its arguments with the same ones before sending, so both refuse the same
 * input with the same messages.
 */
import { body, code, confirmPassword, currentPassword, date, email, optionalText, password, phone, text, username } from './fields.ts';
import { maxLength } from './messages.ts';

/** `register`. */
export const registerBody = body({
  username,
  email,
  password,
  confirm_password: confirmPassword,
  birthday: date.nullish(),
  first_name: optionalText(50),
  last_name: optionalText(50),
});

/** `sign-in`: a username or an email (exactly one: `oneOf('username', 'email')`), and the password. */
export const signInBody = body({
  username: text().max(254, maxLength(254)).optional(),
  email: text().max(254, maxLength(254)).optional(),
  password: currentPassword,
});

/** `change-password`. */
export const changePasswordBody = body({ old_password: currentPassword, new_password: password, confirm_password: confirmPassword });

/** `password-reset/request`. */
export const passwordResetRequestBody = body({ email });

/** `password-reset/confirm`. A code of another shape is the function's "Invalid or expired reset code." (a detail). */
export const passwordResetConfirmBody = body({ email, code: text(), new_password: password, confirm_password: confirmPassword });

/** `phone-signup/send-code`. */
export const phoneSendCodeBody = body({ phone_number: phone });

/** `phone-signup/verify`. */
export const phoneVerifyBody = body({
  token: text().regex(/^[0-9a-f]{64}$/i, 'Invalid token.'),
  code: code('Invalid or expired verification code.'),
  password,
  confirm_password: confirmPassword,
});

/** `parental/request-otp`. */
export const parentalRequestBody = body({ parent_email: email });

/** `parental/verify-otp`. */
export const parentalVerifyBody = body({ parent_email: email, otp_code: text() });
