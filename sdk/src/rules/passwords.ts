/**
 * Marquee's password policy, the same as Auth's `password_requirements =
 * "lower_upper_letters_digits_symbols"` (GoTrue's character classes, as the Supabase CLI passes them):
 * at least 8 characters, a lower-case and an upper-case ASCII letter, a digit and one of GoTrue's
 * symbols; at most 72 bytes in UTF-8 (bcrypt's limit and GoTrue's); and, where the username is known,
 * not containing it. Every broken rule is reported, in a stable order.
 */
import {
  PASSWORD_NEEDS_BOTH_CASES,
  PASSWORD_TOO_LONG,
  PASSWORD_TOO_SHORT,
  PASSWORD_TOO_SIMILAR,
  PASSWORD_TOO_SIMPLE,
} from './messages.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_BYTES = 72;

/** GoTrue's required character classes for `lower_upper_letters_digits_symbols`. */
export const PASSWORD_CHARACTER_CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digits: '0123456789',
  symbols: "!@#$%^&*()_+-=[]{};'\\:\"|<>?,./`~",
} as const;

const containsAny = (value: string, characters: string) => [...value].some((c) => characters.includes(c));

/**
 * The policy messages `password` breaks; empty when it is acceptable.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.passwordProblems('S3cure-pass!'); // []
 * rules.passwordProblems('password');     // ['Password must contain at least 8 characters, including letters, numbers, and special characters.', 'Password must contain both upper and lower case letters.']
 * rules.passwordProblems('John-doe-1!', 'john'); // ['The password is too similar to the username.']
 * ```
 */
export function passwordProblems(password: string, username?: string | null): string[] {
  const problems: string[] = [];
  if ([...password].length < PASSWORD_MIN_LENGTH) problems.push(PASSWORD_TOO_SHORT);
  const lower = containsAny(password, PASSWORD_CHARACTER_CLASSES.lower);
  const upper = containsAny(password, PASSWORD_CHARACTER_CLASSES.upper);
  const digit = containsAny(password, PASSWORD_CHARACTER_CLASSES.digits);
  const symbol = containsAny(password, PASSWORD_CHARACTER_CLASSES.symbols);
  const letter = lower || upper;
  if (!(letter && digit && symbol)) problems.push(PASSWORD_TOO_SIMPLE);
  if (letter && !(lower && upper)) problems.push(PASSWORD_NEEDS_BOTH_CASES);
  if (new TextEncoder().encode(password).length > PASSWORD_MAX_BYTES) problems.push(PASSWORD_TOO_LONG);
  if (isSimilarToUsername(password, username)) problems.push(PASSWORD_TOO_SIMILAR);
  return problems;
}

/**
 * Whether the password contains the username, ignoring case.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.isSimilarToUsername('MyJohn_doe!1', 'john_doe'); // true
 * ```
 */
export function isSimilarToUsername(password: string, username?: string | null): boolean {
  const name = username?.trim().toLowerCase();
  return !!name && password.toLowerCase().includes(name);
}
