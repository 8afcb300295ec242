/**
 * Every validation message Marquee answers with, in the reference APIs' words (Django REST
 * framework's defaults where they give none). The SDK and the edge functions both read them from here.
 */

export const REQUIRED = 'This field is required.';
export const NOT_NULL = 'This field may not be null.';
export const NOT_A_STRING = 'Not a valid string.';
export const NOT_A_BOOLEAN = 'Must be a valid boolean.';
export const NOT_AN_INTEGER = 'A valid integer is required.';
export const BLANK = 'This field may not be blank.';
export const NOT_ALLOWED = 'This field is not allowed.';
export const INVALID_EMAIL = 'Enter a valid email address.';
export const INVALID_PHONE = 'Enter a valid phone number.';
export const PHONE_REQUIRED = 'Phone number is required.';
export const PHONE_TAKEN = 'A user with this phone number already exists.';
export const INVALID_USERNAME =
  'Enter a valid username. This value may contain only unaccented letters, numbers, and ./_ characters.';
export const INVALID_DATE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.';
export const INVALID_CODE = 'Enter a valid 6-digit code.';
export const INVALID_UUID = 'Must be a valid UUID.';
export const INVALID_URL = 'Enter a valid URL.';
export const PASSWORDS_DO_NOT_MATCH = "The two password fields didn't match.";

export const PASSWORD_TOO_SHORT = 'This password is too short. It must contain at least 8 characters.';
export const PASSWORD_TOO_SIMPLE = 'Password must contain at least 8 characters, including letters, numbers, and special characters.';
export const PASSWORD_NEEDS_BOTH_CASES = 'Password must contain both upper and lower case letters.';
export const PASSWORD_TOO_LONG = 'Ensure this field has no more than 72 characters.';
export const PASSWORD_TOO_SIMILAR = 'The password is too similar to the username.';

/**
 * "Ensure this field has no more than `n` characters."
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.maxLength(150); // 'Ensure this field has no more than 150 characters.'
 * ```
 */
export const maxLength = (n: number) => `Ensure this field has no more than ${n} characters.`;
/**
 * "Ensure this field has at least `n` characters."
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.minLength(3); // 'Ensure this field has at least 3 characters.'
 * ```
 */
export const minLength = (n: number) => `Ensure this field has at least ${n} characters.`;
/**
 * Django REST framework's message for a value outside a list of choices.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.invalidChoice('gold'); // '"gold" is not a valid choice.'
 * ```
 */
export const invalidChoice = (value: unknown) => `"${String(value)}" is not a valid choice.`;
