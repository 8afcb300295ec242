/**
 * Running a schema over raw input and answering in Marquee's validation style: field name →
 * messages, every problem at once, `non_field_errors` for the input as a whole.
 */
import type { z } from 'zod';
import { NOT_ALLOWED, PASSWORDS_DO_NOT_MATCH, PASSWORD_TOO_SIMILAR, REQUIRED } from './messages.ts';
import { isSimilarToUsername } from './passwords.ts';

/** Field name → messages, as in a `400 {"field": ["message"]}` answer. */
export type FieldErrors = Record<string, string[]>;

/** Key for errors about the input as a whole, as Django REST framework names it. */
export const NON_FIELD_ERRORS = 'non_field_errors';

/** The parts of a zod issue read here. */
export interface IssueLike {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  keys?: readonly string[];
}

/**
 * Zod issues grouped by field path (`a.b`); each unknown key gets "This field is not allowed.".
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * const parsed = rules.passwordResetRequestBody.safeParse({ email: 'nope' });
 * if (!parsed.success) rules.fieldErrorsOf(parsed.error.issues); // { email: ['Enter a valid email address.'] }
 * ```
 */
export function fieldErrorsOf(issues: readonly IssueLike[]): FieldErrors {
  const errors: FieldErrors = {};
  const add = (path: readonly PropertyKey[], message: string) => {
    const key = path.length > 0 ? path.map(String).join('.') : NON_FIELD_ERRORS;
    const list = (errors[key] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      for (const key of issue.keys) add([...issue.path, key], NOT_ALLOWED);
    } else {
      add(issue.path, issue.message);
    }
  }
  return errors;
}

/** A check over the raw input that needs several fields; it runs even when single fields fail. */
export type CrossFieldCheck = (raw: Record<string, unknown>) => FieldErrors;

/**
 * The password checks that need another value: `confirm_password`, when sent, must equal the new
 * password; the new password must not contain the username (from the input, or the caller's).
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * const check = rules.passwordChecks({ field: 'new_password', username: 'john_doe' });
 * check({ new_password: 'john_doe-1A!', confirm_password: 'other' });
 * // { new_password: ['The password is too similar to the username.'], confirm_password: ["The two password fields didn't match."] }
 * ```
 */
export function passwordChecks(options: { field: string; username?: string | null }): CrossFieldCheck {
  return (raw) => {
    const errors: FieldErrors = {};
    const value = raw[options.field];
    if (typeof value !== 'string') return errors;
    const name = options.username ?? (typeof raw.username === 'string' ? raw.username : null);
    if (isSimilarToUsername(value, name)) errors[options.field] = [PASSWORD_TOO_SIMILAR];
    if (raw.confirm_password !== undefined && raw.confirm_password !== value) errors.confirm_password = [PASSWORDS_DO_NOT_MATCH];
    return errors;
  };
}

/**
 * The parsed value, or every field error at once (the schema's and the cross-field checks').
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * const result = rules.validate(rules.registerBody, { username: 'john_doe', email: 'john@example.com', password: 'S3cure-pass!' }, rules.passwordChecks({ field: 'password' }));
 * if (result.errors) console.log(result.errors); // e.g. { password: ['This password is too short. It must contain at least 8 characters.'] }
 * else console.log(result.data.email);           // 'john@example.com'
 * ```
 */
export function validate<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  ...checks: CrossFieldCheck[]
): { data: z.output<S>; errors?: undefined } | { data?: undefined; errors: FieldErrors } {
  const result = schema.safeParse(raw);
  const errors: FieldErrors = result.success ? {} : fieldErrorsOf(result.error.issues);
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const check of checks) {
      for (const [field, messages] of Object.entries(check(raw as Record<string, unknown>))) {
        const list = (errors[field] ??= []);
        for (const message of messages) if (!list.includes(message)) list.push(message);
      }
    }
  }
  if (result.success && Object.keys(errors).length === 0) return { data: result.data };
  return { errors };
}

/**
 * At least one of `fields` must be sent; otherwise the first is "This field is required.".
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.oneOf('username', 'email')({ password: 'S3cure-pass!' }); // { username: ['This field is required.'] }
 * ```
 */
export function oneOf(...fields: [string, ...string[]]): CrossFieldCheck {
  return (raw) => (fields.every((field) => raw[field] === undefined) ? { [fields[0]]: [REQUIRED] } : {});
}
