/**
 * The one error style of Marquee's functions (DESIGN.md, "Errors"):
 * validation → `400 {"field": ["message"]}`, permission or logic → `{"detail": "message"}` with
 * 401, 403, 404, 409 or 429. Every response carries the CORS headers.
 */
import type { z } from 'npm:zod@4';
import { corsHeaders } from './cors.ts';

/** Key for errors about the input as a whole rather than one field, as Django REST framework names it. */
export const NON_FIELD_ERRORS = 'non_field_errors';

export type FieldErrors = Record<string, string[]>;
export type DetailStatus = 401 | 403 | 404 | 409 | 429;

/** A JSON response with the CORS headers. */
export function json(body: unknown, status = 200, headers: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json', ...Object.fromEntries(new Headers(headers)) },
  });
}

/** `400 {"field": ["message"]}`. */
export function validationError(fields: FieldErrors): Response {
  return json(fields, 400);
}

/** `{"detail": "message"}` with a permission or logic status. */
export function detailError(status: DetailStatus, detail: string, headers: HeadersInit = {}): Response {
  return json({ detail }, status, headers);
}

export const unauthorized = (detail = 'Authentication credentials were not provided.') => detailError(401, detail);
export const forbidden = (detail = 'You do not have permission to perform this action.') => detailError(403, detail);
export const notFound = (detail = 'Not found.') => detailError(404, detail);
export const conflict = (detail: string) => detailError(409, detail);

/** `429 {"detail"}` with `Retry-After` in seconds. */
export function tooManyRequests(detail: string, retryAfterSeconds?: number): Response {
  const headers: Record<string, string> = retryAfterSeconds === undefined ? {} : { 'Retry-After': String(Math.ceil(retryAfterSeconds)) };
  return detailError(429, detail, headers);
}

/** Zod issues grouped by field path (`a.b`), root-level issues under `non_field_errors`. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : NON_FIELD_ERRORS;
    (fields[key] ??= []).push(issue.message);
  }
  return fields;
}

/**
 * Reads the JSON body and validates it: the parsed value, or the 400 response to return.
 * A body that is not JSON is a `non_field_errors` validation error.
 */
export async function parseJsonBody<T extends z.ZodType>(
  req: Request,
  schema: T,
): Promise<{ data: z.output<T>; response?: undefined } | { data?: undefined; response: Response }> {
  let body: unknown;
  try {
    const text = await req.text();
    body = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    return { response: validationError({ [NON_FIELD_ERRORS]: ['Invalid JSON body.'] }) };
  }
  const result = schema.safeParse(body);
  return result.success ? { data: result.data } : { response: validationError(fieldErrors(result.error)) };
}
