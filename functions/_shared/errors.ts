/**
 * The one error style of Marquee's functions (DESIGN.md, "Errors"):
 * validation → `400 {"field": ["message"]}`, permission or logic → `{"detail": "message"}` with
 * 401, 403, 404, 409 or 429. Every response carries the CORS headers.
 */
import type { z } from 'zod';
import { corsHeaders } from './cors.ts';
import { type CrossFieldCheck, type FieldErrors, NON_FIELD_ERRORS, validate } from './rules.ts';

export { type FieldErrors, NON_FIELD_ERRORS };
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

/** Largest request body a function reads (the gateway refuses bodies over 5 MiB before this). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** `413 {"detail"}` for a body over {@link MAX_BODY_BYTES}. */
export const payloadTooLarge = () => json({ detail: 'Request body too large.' }, 413);

/**
 * The request body as text, or the 413 response when it is larger than `limit` bytes. An oversized
 * body is still read to its end (the gateway caps it at 5 MiB) but not kept: answering before the
 * client has finished sending makes some clients see a closed connection instead of the 413.
 */
export async function readBodyText(req: Request, limit = MAX_BODY_BYTES): Promise<{ text: string; response?: undefined } | { text?: undefined; response: Response }> {
  if (!req.body) return { text: '' };
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size <= limit) chunks.push(value);
  }
  if (size > limit) return { response: payloadTooLarge() };
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { text: new TextDecoder().decode(bytes) };
}

/** Django REST framework's message for a NUL character, which Postgres text cannot hold. */
export const NULL_CHARACTER = 'Null characters are not allowed.';

/**
 * Where a parsed JSON value holds a NUL character (in a string or a key), as field paths like
 * {@link fieldErrors} names them: such a value must be refused before it reaches Postgres.
 */
export function nullCharacterErrors(value: unknown): FieldErrors {
  const errors: FieldErrors = {};
  const visit = (node: unknown, path: string[]) => {
    if (typeof node === 'string') {
      if (node.includes('\u0000')) errors[path.length > 0 ? path.join('.') : NON_FIELD_ERRORS] = [NULL_CHARACTER];
    } else if (Array.isArray(node)) {
      node.forEach((item, index) => visit(item, [...path, String(index)]));
    } else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        if (key.includes('\u0000')) errors[[...path, key].join('.')] = [NULL_CHARACTER];
        else visit(item, [...path, key]);
      }
    }
  };
  visit(value, []);
  return errors;
}

/**
 * Reads the body as JSON before any validation: the parsed value, or the 400 (or 413) response to
 * return. An empty body counts as `{}`; a body that is not JSON is a `non_field_errors` error; a NUL
 * character anywhere is an error on its field. `tooLarge` replaces the 413 with a 400 naming a field
 * (a function whose reference API words an oversized upload as a validation error).
 */
export async function readJsonValue(
  req: Request,
  limit?: number,
  tooLarge?: FieldErrors,
): Promise<{ raw: unknown; response?: undefined } | { raw?: undefined; response: Response }> {
  const read = await readBodyText(req, limit);
  if (read.response) return { response: tooLarge ? validationError(tooLarge) : read.response };
  let raw: unknown;
  try {
    raw = read.text.trim() === '' ? {} : JSON.parse(read.text);
  } catch {
    return { response: validationError({ [NON_FIELD_ERRORS]: ['Invalid JSON body.'] }) };
  }
  const nulls = nullCharacterErrors(raw);
  if (Object.keys(nulls).length > 0) return { response: validationError(nulls) };
  return { raw };
}

/**
 * Reads the JSON body and validates it with the rules module: the parsed value, or the 400 (or 413)
 * response to return. An empty body counts as `{}`; a body that is not JSON is a `non_field_errors`
 * validation error; a NUL character anywhere is a validation error on its field, before any other
 * check. `checks` add errors that need several fields (a password similar to the username, a
 * `confirm_password` that differs); they see the raw object, so every error is reported at once.
 */
export async function parseJsonBody<T extends z.ZodType>(
  req: Request,
  schema: T,
  ...checks: CrossFieldCheck[]
): Promise<{ data: z.output<T>; response?: undefined } | { data?: undefined; response: Response }> {
  const read = await readJsonValue(req);
  if (read.response) return { response: read.response };
  const result = validate(schema, read.raw, ...checks);
  if (result.errors) return { response: validationError(result.errors) };
  return { data: result.data };
}
