/**
 * Helpers the namespaces share: input validation with Marquee's messages, edge function calls,
 * the signed-in user, and the common errors. Not part of the public API.
 *
 * @module
 */
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './client.ts';
import { MarqueeError, fromZodIssues, toMarqueeError, type ZodIssueLike } from './errors.ts';

// --- messages (Django REST framework's, as the reference APIs use them) ------------------------

export const REQUIRED = 'This field is required.';
export const BLANK = 'This field may not be blank.';
export const NOT_ALLOWED = 'This field is not allowed.';
export const NOT_FOUND = 'Not found.';
export const NOT_AUTHENTICATED = 'Authentication credentials were not provided.';
export const PERMISSION_DENIED = 'You do not have permission to perform this action.';

export const PASSWORD_TOO_SHORT = 'This password is too short. It must contain at least 8 characters.';
export const PASSWORD_TOO_WEAK = 'Password must contain at least 8 characters, including letters, numbers, and special characters.';
export const PASSWORD_TOO_LONG = 'Ensure this field has no more than 72 characters.';
export const PASSWORD_TOO_SIMILAR = 'The password is too similar to the username.';
export const INVALID_EMAIL = 'Enter a valid email address.';
export const INVALID_PHONE = 'Enter a valid phone number.';
export const INVALID_CODE = 'Enter a valid 6-digit code.';
export const INVALID_USERNAME = 'Enter a valid username. This value may contain only unaccented letters, numbers, and ./_ characters.';

const maxLength = (n: number) => `Ensure this field has no more than ${n} characters.`;
const minLength = (n: number) => `Ensure this field has at least ${n} characters.`;

// --- schemas -------------------------------------------------------------------------------------

/** A string field: "This field is required." when missing, "Not a valid string." for another type. */
export function text(): z.ZodString {
  return z.string({ error: (issue) => (issue.input === undefined ? REQUIRED : 'Not a valid string.') });
}

/** A required, non-blank string (kept as typed: passwords are never trimmed). */
export function requiredText(): z.ZodString {
  return text().min(1, { error: BLANK, abort: true });
}

/** A required string with surrounding whitespace dropped, then non-blank. */
export function trimmedText(): z.ZodString {
  return text().trim().min(1, { error: BLANK, abort: true });
}

/** A string of at most `max` characters (blank allowed). */
export function boundedText(max: number): z.ZodString {
  return text().max(max, maxLength(max));
}

/** A boolean: "Must be a valid boolean." for anything else. */
export function flag(): z.ZodBoolean {
  return z.boolean({ error: (issue) => (issue.input === undefined ? REQUIRED : 'Must be a valid boolean.') });
}

/** An email address (trimmed). */
export function email() {
  return trimmedText().pipe(z.email({ error: INVALID_EMAIL }).max(254, maxLength(254)));
}

/** An E.164 phone number, e.g. `+14155550100`. */
export const E164 = /^\+[1-9]\d{6,14}$/;

/** A user id (uuid). */
export function uuid() {
  return text().pipe(z.uuid({ error: 'Must be a valid UUID.' }));
}

/** A username: 3–50 ASCII letters, digits, `_` and `.` (surrounding spaces dropped). */
export function username() {
  return text()
    .trim()
    .min(1, { error: BLANK, abort: true })
    .min(3, { error: minLength(3), abort: true })
    .max(50, { error: maxLength(50), abort: true })
    .regex(/^[A-Za-z0-9_.]+$/, INVALID_USERNAME);
}

/**
 * The password policy (reference 002, as the edge functions apply it): at least 8 characters;
 * letters, digits and a special character; at most 72 bytes in UTF-8 (bcrypt's limit). Every broken
 * rule is reported. Similarity to the username is checked where the username is known.
 */
export function password() {
  return text()
    .min(1, { error: BLANK, abort: true })
    .superRefine((value, ctx) => {
      if ([...value].length < 8) ctx.addIssue({ code: 'custom', message: PASSWORD_TOO_SHORT });
      if (!/[A-Za-z]/.test(value) || !/[0-9]/.test(value) || !/[^A-Za-z0-9]/.test(value)) {
        ctx.addIssue({ code: 'custom', message: PASSWORD_TOO_WEAK });
      }
      if (new TextEncoder().encode(value).length > 72) ctx.addIssue({ code: 'custom', message: PASSWORD_TOO_LONG });
    });
}

/** True when `password` contains `username` (case-insensitive), as the policy forbids. */
export function tooSimilar(passwordValue: string, usernameValue: string): boolean {
  const name = usernameValue.trim().toLowerCase();
  return name.length > 0 && passwordValue.toLowerCase().includes(name);
}

/** An E.164 phone number as the functions read it: spaces, dots, dashes and brackets dropped, then `+` and 8–15 digits. */
export function phoneNumber() {
  const missing = 'Phone number is required.';
  return z
    .string({ error: (issue) => (issue.input === undefined || issue.input === null ? missing : 'Not a valid string.') })
    .trim()
    .min(1, { error: missing, abort: true })
    .transform((value) => value.replace(/[\s().-]/g, ''))
    .refine((value) => /^\+[1-9]\d{7,14}$/.test(value), INVALID_PHONE);
}

/** A positive integer id (content ids are `bigint` identities). */
export function id() {
  return z.number({ error: (issue) => (issue.input === undefined ? REQUIRED : 'A valid integer is required.') })
    .int('A valid integer is required.')
    .positive('A valid integer is required.');
}

/**
 * Validates `input` against `schema` before any request: a failure is a 400 {@link MarqueeError}
 * with `fields` (unknown keys are reported per key as "This field is not allowed.").
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues: ZodIssueLike[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) issues.push({ path: [...issue.path, key], message: NOT_ALLOWED });
    } else if (issue.code === 'invalid_type' && issue.path.length === 0) {
      issues.push({ path: [], message: 'Invalid data. Expected an object.' });
    } else {
      issues.push(issue);
    }
  }
  throw fromZodIssues(issues, result.error);
}

// --- requests ------------------------------------------------------------------------------------

/**
 * Calls an edge function with a JSON body (POST) and returns its JSON answer; any failure
 * (`{"field": [...]}`, `{"detail": ...}`, network) is thrown as a {@link MarqueeError}.
 */
export async function invokeFunction<T>(supabase: MarqueeSupabaseClient, name: string, body?: Record<string, unknown>): Promise<T> {
  const result = await supabase.functions
    .invoke<T>(name, { method: 'POST', body: body ?? {} })
    .catch(async (thrown: unknown) => {
      throw await toMarqueeError(thrown);
    });
  if (result.error) throw await toMarqueeError(result.error);
  return result.data as T;
}

/** The signed-in user (from the client's session), or 401. */
export async function currentUser(supabase: MarqueeSupabaseClient): Promise<{ id: string; email: string | null }> {
  const { data, error } = await supabase.auth.getSession();
  if (error) throw await toMarqueeError(error);
  const user = data.session?.user;
  if (!user) throw notAuthenticated();
  return { id: user.id, email: user.email ?? null };
}

export function notFound(detail = NOT_FOUND): MarqueeError {
  return new MarqueeError({ status: 404, code: 'not_found', detail });
}

export function notAuthenticated(): MarqueeError {
  return new MarqueeError({ status: 401, code: 'not_authenticated', detail: NOT_AUTHENTICATED });
}

export function permissionDenied(): MarqueeError {
  return new MarqueeError({ status: 403, code: 'permission_denied', detail: PERMISSION_DENIED });
}

/** A jsonb `{"detail": "..."}` answer from an RPC. */
export function asDetail(data: unknown): { detail: string } {
  if (data && typeof data === 'object' && typeof (data as { detail?: unknown }).detail === 'string') {
    return { detail: (data as { detail: string }).detail };
  }
  return { detail: typeof data === 'string' ? data : 'OK' };
}

/** `value`, or a 502 when a service answered without the data it promises. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new MarqueeError({ status: 502, code: 'empty_response', detail: `The server answered without ${what}.` });
  }
  return value;
}
