/**
 * Zod schemas for the account functions' fields, with Django REST framework's messages (the
 * reference APIs' own): a missing field is "This field is required.", a value of the wrong type
 * "Not a valid string.", an empty one "This field may not be blank.". Each field reports one
 * message, except a password, which reports every policy rule it breaks (as Django's validators do).
 */
import { z } from 'npm:zod@4';
import { passwordProblems } from './passwords.ts';

export const REQUIRED = 'This field is required.';
export const NOT_NULL = 'This field may not be null.';
export const NOT_A_STRING = 'Not a valid string.';
export const BLANK = 'This field may not be blank.';
export const INVALID_EMAIL = 'Enter a valid email address.';
export const INVALID_PHONE = 'Enter a valid phone number.';
export const INVALID_USERNAME = 'Enter a valid username. This value may contain only unaccented letters, numbers, and ./_ characters.';
export const INVALID_DATE = 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.';
export const INVALID_CODE = 'Enter a valid 6-digit code.';

const maxLength = (n: number) => `Ensure this field has no more than ${n} characters.`;
const minLength = (n: number) => `Ensure this field has at least ${n} characters.`;

interface StringOptions {
  /** Message for a missing (or null) value; "This field is required." by default. */
  required?: string;
  /** Message for an empty value; "This field may not be blank." by default. */
  blank?: string;
  /** Strip surrounding whitespace first (DRF's CharField does; password fields do not). */
  trim?: boolean;
}

/** A required, non-blank string with DRF's messages. */
export function text(options: StringOptions = {}) {
  const required = options.required ?? REQUIRED;
  const base = z.string({
    error: (issue) => {
      if (issue.input === undefined) return required;
      if (issue.input === null) return options.required ?? NOT_NULL;
      return NOT_A_STRING;
    },
  });
  return (options.trim === false ? base : base.trim()).min(1, { error: options.blank ?? BLANK, abort: true });
}

/** An optional string (absent or null means ''), at most `max` characters. */
export function optionalText(max: number) {
  return z
    .string({ error: NOT_A_STRING })
    .trim()
    .max(max, maxLength(max))
    .nullish()
    .transform((value) => value ?? '');
}

/** 3–50 letters, digits, `.` or `_` (ASCII only, so look-alike letters from other scripts are refused). */
export const username = text()
  .min(3, { error: minLength(3), abort: true })
  .max(50, { error: maxLength(50), abort: true })
  .regex(/^[A-Za-z0-9_.]+$/, INVALID_USERNAME);

/** An email address, lower-cased (Auth stores addresses lower-case). */
export const email = text()
  .max(254, { error: maxLength(254), abort: true })
  .check(z.email({ error: INVALID_EMAIL, abort: true }))
  .transform((value) => value.toLowerCase());

/**
 * A phone number in E.164 (`+` and 8–15 digits); spaces, dots, dashes and parentheses are
 * dropped first, so "+1 (415) 555-0100" is "+14155550100".
 */
export const phone = text({ required: 'Phone number is required.', blank: 'Phone number is required.' })
  .transform((value) => value.replace(/[\s().-]/g, ''))
  .refine((value) => /^\+[1-9]\d{7,14}$/.test(value), INVALID_PHONE);

/** A password as typed (never trimmed), checked against the policy (passwords.ts). */
export const password = text({ trim: false }).superRefine((value, ctx) => {
  for (const message of passwordProblems(value)) ctx.addIssue({ code: 'custom', message });
});

/** A password that is only compared, never set (an old password): no policy. */
export const currentPassword = text({ trim: false }).max(1024, { error: maxLength(1024), abort: true });

/** Six digits, or `message`. */
export const code = (message = INVALID_CODE) => text().regex(/^\d{6}$/, message);

/** A calendar date `YYYY-MM-DD` that exists (no 30 February), from 1900 on. */
export const date = text().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day && year >= 1900;
}, INVALID_DATE);

const PYTHON_TYPE: Record<string, string> = { string: 'str', number: 'int', boolean: 'bool', object: 'dict' };

/** `z.object` whose own type error reads as DRF's ("Invalid data. Expected a dictionary, but got list."). */
export function body<S extends z.ZodRawShape>(shape: S) {
  return z.object(shape, {
    error: (issue) => {
      const input = issue.input;
      const got = input === null ? 'NoneType' : Array.isArray(input) ? 'list' : (PYTHON_TYPE[typeof input] ?? typeof input);
      return `Invalid data. Expected a dictionary, but got ${got}.`;
    },
  });
}
