/**
 * Marquee's password policy (reference API 002, Django's validators): at least 8 characters; ASCII
 * letters, digits and a special character; at most 72 (bcrypt's limit, counted in UTF-8 bytes so a password
 * is never silently truncated); not containing the username. Every broken rule is reported.
 */

export const PASSWORD_TOO_SHORT = 'This password is too short. It must contain at least 8 characters.';
export const PASSWORD_TOO_SIMPLE = 'Password must contain at least 8 characters, including letters, numbers, and special characters.';
export const PASSWORD_TOO_LONG = 'Ensure this field has no more than 72 characters.';
export const PASSWORD_SIMILAR = 'The password is too similar to the username.';

const MIN_LENGTH = 8;
const MAX_BYTES = 72;

/** The policy messages `password` breaks, in a stable order; empty when it is acceptable. */
export function passwordProblems(password: string, username?: string | null): string[] {
  const problems: string[] = [];
  if ([...password].length < MIN_LENGTH) problems.push(PASSWORD_TOO_SHORT);
  // Letters and digits as Auth's `password_requirements = "letters_digits"` counts them (ASCII), so
  // a password this policy accepts is never refused by Auth.
  const hasLetter = /[A-Za-z]/.test(password);
  const hasDigit = /[0-9]/.test(password);
  const hasSpecial = /[^A-Za-z0-9]/.test(password);
  if (!(hasLetter && hasDigit && hasSpecial)) problems.push(PASSWORD_TOO_SIMPLE);
  if (new TextEncoder().encode(password).length > MAX_BYTES) problems.push(PASSWORD_TOO_LONG);
  if (isSimilarToUsername(password, username)) problems.push(PASSWORD_SIMILAR);
  return problems;
}

/** Whether the password contains the username, ignoring case. */
export function isSimilarToUsername(password: string, username?: string | null): boolean {
  const name = username?.trim().toLowerCase();
  return !!name && password.toLowerCase().includes(name);
}
