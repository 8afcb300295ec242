/**
 * Zod schemas for the fields Marquee accepts, with the messages in messages.ts. One behaviour for
 * every door: strings are trimmed (passwords never), emails are lower-cased, phone numbers are E.164
 * after dropping spaces, dots, dashes and brackets, links are http(s) URLs or a bare `host/path` (as
 * the database checks them), and an object refuses keys it does not know ("This field is not
 * allowed.").
 */
import { z } from 'zod';
import {
  BLANK,
  INVALID_CODE,
  INVALID_DATE,
  INVALID_EMAIL,
  INVALID_PHONE,
  INVALID_URL,
  INVALID_USERNAME,
  INVALID_UUID,
  NOT_A_BOOLEAN,
  NOT_A_STRING,
  NOT_AN_INTEGER,
  NOT_NULL,
  PHONE_REQUIRED,
  REQUIRED,
  maxLength,
  minLength,
} from './messages.ts';
import { passwordProblems } from './passwords.ts';

/** The messages and trimming of {@link text}. */
export interface TextOptions {
  /** Message for a missing (or null) value; "This field is required." by default. */
  required?: string;
  /** Message for an empty value; "This field may not be blank." by default. */
  blank?: string;
  /** Strip surrounding whitespace first (default); passwords and codes compared as typed do not. */
  trim?: boolean;
}

/**
 * A required, non-blank string.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.text().parse('  hi  ');       // 'hi'
 * rules.text().safeParse('   ').success; // false: 'This field may not be blank.'
 * const secret = rules.text({ trim: false, required: 'Enter your password.' });
 * ```
 */
export function text(options: TextOptions = {}) {
  const base = z.string({
    error: (issue) => {
      if (issue.input === undefined) return options.required ?? REQUIRED;
      if (issue.input === null) return options.required ?? NOT_NULL;
      return NOT_A_STRING;
    },
  });
  return (options.trim === false ? base : base.trim()).min(1, { error: options.blank ?? BLANK, abort: true });
}

/**
 * An optional string of at most `max` characters; absent or null reads as `''`.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.optionalText(50).parse(null); // ''
 * ```
 */
export function optionalText(max: number) {
  return z
    .string({ error: NOT_A_STRING })
    .trim()
    .max(max, maxLength(max))
    .nullish()
    .transform((value) => value ?? '');
}

/**
 * A string that may be blank, at most `max` characters (a field being edited).
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.editableText(300).parse('');          // ''
 * rules.editableText(3).safeParse('four').success; // false: 'Ensure this field has no more than 3 characters.'
 * ```
 */
export function editableText(max: number) {
  return z
    .string({ error: (issue) => (issue.input === undefined ? REQUIRED : NOT_A_STRING) })
    .trim()
    .max(max, { error: maxLength(max), abort: true });
}

/** 3–50 ASCII letters, digits, `.` or `_` (look-alike letters from other scripts are refused). */
export const username = text()
  .min(3, { error: minLength(3), abort: true })
  .max(50, { error: maxLength(50), abort: true })
  .regex(/^[A-Za-z0-9_.]+$/, INVALID_USERNAME);

/** An email address, trimmed and lower-cased (Auth stores addresses lower-case). */
export const email = text()
  .max(254, { error: maxLength(254), abort: true })
  .check(z.email({ error: INVALID_EMAIL, abort: true }))
  .transform((value) => value.toLowerCase());

/** E.164: `+`, a non-zero digit, 7–15 digits in all (the database's own check). */
export const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Drops the separators people type in phone numbers: "+1 (415) 555-0100" is "+14155550100".
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.normalisePhone('+1 (415) 555-0100'); // '+14155550100'
 * ```
 */
export const normalisePhone = (value: string) => value.replace(/[\s().-]/g, '');

/** A required phone number in E.164, separators dropped first. */
export const phone = text({ required: PHONE_REQUIRED, blank: PHONE_REQUIRED })
  .transform(normalisePhone)
  .refine((value) => E164.test(value), INVALID_PHONE);

/** A phone number being edited: E.164 as {@link phone}, or `''` to remove it. */
export const optionalPhone = editableText(32)
  .transform(normalisePhone)
  .refine((value) => value === '' || E164.test(value), INVALID_PHONE);

/**
 * `''` or a web link ({@link isWebLink}) of at most `max` characters (no `javascript:`, `data:`…).
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.webLink().parse('https://youtube.com/@john'); // 'https://youtube.com/@john'
 * rules.webLink().safeParse('javascript:alert(1)').success; // false: 'Enter a valid URL.'
 * ```
 */
export function webLink(max = 200) {
  return editableText(max).refine((value) => value === '' || isWebLink(value), INVALID_URL);
}

// The database's private.is_web_link, clause for clause: an http(s) URL or the reference's bare
// `host/path` (`youtube.com/john`), then an optional path, query or fragment.
const WEB_LINK = /^(https?:\/\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+)([/?#].*)?$/i;

/**
 * Whether `value` is an http(s) URL or a bare `host/path`: no other scheme, no whitespace or control characters.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.isWebLink('youtube.com/john');  // true
 * rules.isWebLink('ftp://example.com'); // false
 * ```
 */
export function isWebLink(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\s\u0000-\u001f\u007f]/.test(value) && WEB_LINK.test(value);
}

/** A new password, as typed (never trimmed), checked against the policy (passwords.ts). */
export const password = text({ trim: false }).superRefine((value, ctx) => {
  for (const message of passwordProblems(value)) ctx.addIssue({ code: 'custom', message });
});

/** A password that is only compared, never set (the current one): no policy. */
export const currentPassword = text({ trim: false }).max(1024, { error: maxLength(1024), abort: true });

/** The repeated password of a form; compared with the new one by {@link passwordChecks}. */
export const confirmPassword = z.string({ error: NOT_A_STRING }).optional();

/**
 * Six digits, or `message`.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.code().parse('123456'); // '123456'
 * const otp = rules.code('Invalid or expired verification code.');
 * ```
 */
export const code = (message = INVALID_CODE) => text().regex(/^\d{6}$/, message);

/** A calendar date `YYYY-MM-DD` that exists (no 30 February), from 1900 on. */
export const date = text().refine((value) => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const parsed = new Date(Date.UTC(year, month - 1, day));
  return parsed.getUTCFullYear() === year && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === day && year >= 1900;
}, INVALID_DATE);

/** A uuid (user ids, factor ids). */
export const uuid = text().pipe(z.uuid({ error: INVALID_UUID }));

/** A boolean. */
export const flag = z.boolean({ error: (issue) => (issue.input === undefined ? REQUIRED : NOT_A_BOOLEAN) });

/** A positive integer id (content ids are `bigint` identities). */
export const id = z
  .number({ error: (issue) => (issue.input === undefined ? REQUIRED : NOT_AN_INTEGER) })
  .int(NOT_AN_INTEGER)
  .positive(NOT_AN_INTEGER);

const PYTHON_TYPE: Record<string, string> = { string: 'str', number: 'int', boolean: 'bool', object: 'dict' };

/**
 * An object of exactly these fields: another type is DRF's "Invalid data. Expected a dictionary, but
 * got list.", and each unknown key is "This field is not allowed." (see {@link fieldErrorsOf}).
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * const signUpForm = rules.body({ username: rules.username, email: rules.email });
 * rules.validate(signUpForm, { username: 'john_doe', email: 'john@example.com', age: 30 });
 * // { errors: { age: ['This field is not allowed.'] } }
 * ```
 */
export function body<S extends z.ZodRawShape>(shape: S) {
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'invalid_type') return undefined;
      const input = issue.input;
      const got = input === null ? 'NoneType' : Array.isArray(input) ? 'list' : (PYTHON_TYPE[typeof input] ?? typeof input);
      return `Invalid data. Expected a dictionary, but got ${got}.`;
    },
  });
}

/** A post named by `post_id`, the argument of every action on a post. */
export const postRefBody = body({ post_id: id });
