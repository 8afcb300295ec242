import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** GoTrue's `X-Supabase-Api-Version` header; supabase-js sends 2024-01-01. */
export const API_VERSION_HEADER = 'X-Supabase-Api-Version';
const API_VERSION_2024 = '2024-01-01';

/** An error answered the way GoTrue answers its `HTTPError`. */
export class AuthError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Logged, never sent (GoTrue's InternalMessage / InternalError). */
    readonly internal?: unknown,
  ) {
    super(message);
  }
}

/** `weak_password` (422) carries the failed checks in `weak_password.reasons`. */
export class WeakPasswordError extends AuthError {
  constructor(
    message: string,
    readonly reasons: string[],
  ) {
    super(422, 'weak_password', message);
  }
}

/** RFC 6749 style errors (`{error, error_description}`), used by the token endpoint. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
  }
}

export const badRequest = (code: string, message: string) => new AuthError(400, code, message);
export const unprocessable = (code: string, message: string) => new AuthError(422, code, message);
export const forbidden = (code: string, message: string) => new AuthError(403, code, message);
export const notFound = (code: string, message: string) => new AuthError(404, code, message);
export const tooManyRequests = (code: string, message: string) => new AuthError(429, code, message);
export const internal = (message: string, cause?: unknown) => new AuthError(500, 'unexpected_failure', message, cause);
export const validationFailed = (message: string) => badRequest('validation_failed', message);

/** Whether the request asked for the 2024-01-01 API (error shape `{code, message}`). */
function usesApiVersion2024(c: Context): boolean {
  const requested = c.req.header(API_VERSION_HEADER);
  if (!requested || !/^\d{4}-\d{2}-\d{2}$/.test(requested)) return false;
  return requested >= API_VERSION_2024;
}

/**
 * Answers an error in the shape GoTrue uses for the request's API version: 2024-01-01 and later
 * get `{code: "<error_code>", message}` and the version echoed back; older clients get
 * `{code: <status>, error_code, msg}`. Both carry `x-sb-error-code`.
 */
export function renderError(c: Context, error: unknown): Response {
  const modern = usesApiVersion2024(c);
  if (modern) c.header(API_VERSION_HEADER, API_VERSION_2024);

  if (error instanceof OAuthError) {
    return c.json({ error: error.error, error_description: error.description }, 400);
  }
  const known =
    error instanceof AuthError
      ? error
      : new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information', error);
  c.header('x-sb-error-code', known.code);

  const weak = known instanceof WeakPasswordError ? { weak_password: { reasons: known.reasons } } : {};
  if (modern) return c.json({ code: known.code, message: known.message, ...weak }, known.status);
  return c.json({ code: known.status, error_code: known.code, msg: known.message, ...weak }, known.status);
}
