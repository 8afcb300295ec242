/**
 * One error type for every failure the SDK can surface: PostgREST, Auth, Storage, edge functions,
 * network and input validation all become a {@link MarqueeError} with the same four fields.
 *
 * Marquee's error style (DESIGN.md "Errors"): validation failures are `400 {"field": ["message"]}`,
 * permission or logic failures are `{"detail": "message"}` with 401, 403, 404, 409 or 429.
 *
 * @module
 */

import { fieldErrorsOf, type FieldErrors } from './rules/index.ts';

/** Field name → messages, as in a `400 {"field": ["message"]}` response. */
export type { FieldErrors };

/** What a {@link MarqueeError} is built from. */
export interface MarqueeErrorInit {
  /** HTTP status; 0 when no response was received (network failure). */
  status: number;
  /** Machine-readable code: a SQLSTATE / PGRST code, a GoTrue error code, a Storage code, … */
  code: string;
  /** Human-readable message (the reference APIs' own where they give one). */
  detail: string;
  /** Per-field validation messages, present on validation failures. */
  fields?: FieldErrors;
  /** PostgREST's `hint` (how to fix it), when the failure came from the database. */
  hint?: string | null;
  /** PostgREST's `details` (e.g. the failing row or key), when the failure came from the database. */
  details?: string | null;
  /** The original error or response body, kept for debugging. */
  cause?: unknown;
}

/**
 * The single error class thrown by the SDK.
 *
 * @example
 * ```ts
 * try {
 *   await marquee.auth.register({ username: 'john_doe', email: 'john@example.com', password: '' });
 * } catch (e) {
 *   if (isMarqueeError(e) && e.status === 400) console.log(e.fields?.password); // ['This field may not be blank.']
 * }
 * ```
 */
export class MarqueeError extends Error {
  override readonly name = 'MarqueeError';
  /** HTTP status; 0 when no response was received. */
  readonly status: number;
  /** Machine-readable code. */
  readonly code: string;
  /** Human-readable message; also `message`. */
  readonly detail: string;
  /** Per-field validation messages (validation failures only). */
  readonly fields?: FieldErrors;
  /** PostgREST's `hint`, kept as the database gave it (database failures only). */
  readonly hint?: string;
  /** PostgREST's `details`, kept as the database gave it (database failures only). */
  readonly details?: string;

  constructor(init: MarqueeErrorInit) {
    super(init.detail, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    if (init.fields) this.fields = init.fields;
    if (typeof init.hint === 'string') this.hint = init.hint;
    if (typeof init.details === 'string') this.details = init.details;
  }

  /**
   * The error in Marquee's wire style: `{"field": [...]}` for validation, else `{"detail": ...}` (with
   * `hint` and `details` when the database gave them). `JSON.stringify` calls it, so a server can answer
   * with the error as is.
   *
   * @example
   * ```ts
   * new MarqueeError({ status: 404, code: 'not_found', detail: 'Not found.' }).toJSON(); // { detail: 'Not found.', code: 'not_found' }
   * fromFieldErrors({ email: ['Enter a valid email address.'] }).toJSON();              // { email: ['Enter a valid email address.'] }
   * JSON.stringify(fromFieldErrors({ email: ['Enter a valid email address.'] }));       // '{"email":["Enter a valid email address."]}'
   * ```
   */
  toJSON(): FieldErrors | { detail: string; code: string; hint?: string; details?: string } {
    if (this.fields) return this.fields;
    return {
      detail: this.detail,
      code: this.code,
      ...(this.hint !== undefined ? { hint: this.hint } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/**
 * Type guard for {@link MarqueeError} (also true for one from another copy of the SDK).
 *
 * @example
 * ```ts
 * const { error } = await somethingThatMayFail().then(() => ({ error: null }), (error) => ({ error }));
 * if (isMarqueeError(error) && error.status === 404) showNotFound();
 * ```
 */
export function isMarqueeError(e: unknown): e is MarqueeError {
  return (
    e instanceof MarqueeError ||
    (isObject(e) && e.name === 'MarqueeError' && typeof e.status === 'number' && typeof e.code === 'string' && typeof e.detail === 'string')
  );
}

/** Extra facts about a failure that the error object itself does not carry. */
export interface ErrorContext {
  /** The HTTP status of the response (supabase-js keeps PostgREST's status on the result, not the error). */
  status?: number;
}

/**
 * Converts any failure into a {@link MarqueeError}. Async because an edge function's error body
 * must be read from its `Response`.
 *
 * Handles: `MarqueeError` (returned as is); PostgREST errors (`{ code, message, details, hint }`,
 * pass the result's `status` in `context`); `AuthError` and subclasses; `StorageError` /
 * `StorageApiError`; `FunctionsHttpError` (body `{"field": [...]}` → `fields`, `{"detail": ...}` →
 * `detail`); `FunctionsRelayError`; `FunctionsFetchError` and `fetch` failures (status 0,
 * code `network_error`); zod errors (400 with `fields`); any other `Error` or value (500, `unknown`).
 *
 * @example
 * ```ts
 * const { data, error, status } = await supabase.from('notifications').select();
 * if (error) throw await toMarqueeError(error, { status });
 *
 * const res = await supabase.functions.invoke('password-reset/request', { body: { email } });
 * if (res.error) throw await toMarqueeError(res.error); // 400 → e.fields.email
 * ```
 */
export async function toMarqueeError(error: unknown, context: ErrorContext = {}): Promise<MarqueeError> {
  if (isMarqueeError(error)) return error;
  if (!isObject(error)) {
    return new MarqueeError({ status: context.status ?? 500, code: 'unknown', detail: String(error ?? 'Unknown error'), cause: error });
  }
  const name = typeof error.name === 'string' ? error.name : '';

  // Edge functions (functions-js): the class name is the only marker the library gives.
  if (name === 'FunctionsHttpError') return fromFunctionsResponse(error.context, error);
  if (name === 'FunctionsRelayError') {
    const status = responseStatus(error.context) ?? 502;
    const body = await readBody(error.context);
    const parsed = fromBody(body, status);
    return new MarqueeError({ status, code: parsed.code ?? 'relay_error', detail: parsed.detail ?? messageOf(error), cause: error });
  }
  if (name === 'FunctionsFetchError') {
    return new MarqueeError({ status: 0, code: 'network_error', detail: messageOf(error.context) ?? messageOf(error), cause: error });
  }

  // Auth (auth-js marks its errors with __isAuthError).
  if (error.__isAuthError === true || name.startsWith('Auth')) {
    const status = typeof error.status === 'number' ? error.status : context.status ?? (name === 'AuthRetryableFetchError' ? 0 : 500);
    const code = typeof error.code === 'string' && error.code ? error.code : status === 0 ? 'network_error' : statusCode(status);
    const init: MarqueeErrorInit = { status, code, detail: messageOf(error), cause: error };
    if (Array.isArray(error.reasons) && error.reasons.length > 0) {
      init.fields = { password: [messageOf(error)] };
    }
    return new MarqueeError(init);
  }

  // Storage (storage-js marks its errors with __isStorageError).
  if (error.__isStorageError === true || name.startsWith('Storage')) {
    const status = typeof error.status === 'number' ? error.status : context.status ?? 500;
    const raw = typeof error.statusCode === 'string' && error.statusCode && error.statusCode !== String(status) ? error.statusCode : undefined;
    return new MarqueeError({ status, code: raw ?? statusCode(status), detail: messageOf(error), cause: error });
  }

  // zod (v3 and v4): issues with paths.
  if (name === 'ZodError' && Array.isArray(error.issues)) {
    return fromZodIssues(error.issues as ZodIssueLike[], error);
  }

  // PostgREST: { code, message, details, hint } — a PostgrestError instance or the plain JSON.
  if (typeof error.code === 'string' && 'details' in error && 'hint' in error) {
    const code = error.code;
    const status = context.status ?? postgrestStatus(code);
    return new MarqueeError({
      status,
      code: code || statusCode(status),
      detail: messageOf(error),
      hint: typeof error.hint === 'string' ? error.hint : null,
      details: typeof error.details === 'string' ? error.details : null,
      cause: error,
    });
  }

  // A Response that was thrown or returned as is.
  if (isResponseLike(error)) return fromFunctionsResponse(error, error);

  // fetch() failures: TypeError('fetch failed'), AbortError, undici/Node socket codes.
  if (isNetworkError(error)) {
    return new MarqueeError({ status: 0, code: 'network_error', detail: messageOf(error), cause: error });
  }

  const status = context.status ?? (typeof error.status === 'number' ? error.status : 500);
  const code = typeof error.code === 'string' && error.code ? error.code : 'unknown';
  return new MarqueeError({ status, code, detail: messageOf(error), cause: error });
}

/**
 * Returns `result.data`, or throws the result's error as a {@link MarqueeError}. Works with every
 * supabase-js result shape (`{ data, error }`, with or without `status`).
 *
 * @example
 * ```ts
 * const rows = await unwrap(supabase.from('notifications').select('id, message'));
 * const session = await unwrap(supabase.auth.signInWithPassword({ email, password }));
 * ```
 */
export async function unwrap<R extends { data: unknown; error: unknown; status?: number }>(result: PromiseLike<R> | R): Promise<SuccessData<R>> {
  const settled = await Promise.resolve(result).catch(async (thrown: unknown) => {
    throw await toMarqueeError(thrown);
  });
  if (settled.error) {
    const context: ErrorContext = {};
    if (typeof settled.status === 'number' && settled.status > 0) context.status = settled.status;
    throw await toMarqueeError(settled.error, context);
  }
  return settled.data as SuccessData<R>;
}

/**
 * The data of a result's success branch (`error: null`): supabase-js results are unions of a success
 * and a failure shape, and {@link unwrap} throws the failure.
 */
export type SuccessData<R extends { data: unknown; error: unknown }> = [Extract<R, { error: null }>] extends [never]
  ? R['data']
  : Extract<R, { error: null }>['data'];

/**
 * Builds the 400 validation {@link MarqueeError} for zod issues (`path.join('.')` names the field;
 * issues without a path go under `non_field_errors`, as in Django REST framework).
 *
 * @example
 * ```ts
 * const parsed = schema.safeParse(input);
 * if (!parsed.success) throw fromZodIssues(parsed.error.issues);
 * ```
 */
export function fromZodIssues(issues: readonly ZodIssueLike[], cause?: unknown): MarqueeError {
  return fromFieldErrors(fieldErrorsOf(issues.map((issue) => ({ ...issue, path: issue.path ?? [] }))), cause);
}

/**
 * The 400 validation {@link MarqueeError} for field errors (`{"field": ["message"]}`).
 *
 * @example
 * ```ts
 * throw fromFieldErrors({ email: ['Enter a valid email address.'] });
 * ```
 */
export function fromFieldErrors(fields: FieldErrors, cause?: unknown): MarqueeError {
  return new MarqueeError({ status: 400, code: 'validation_failed', detail: summarise(fields), fields, cause });
}

/** The part of a zod issue the SDK reads. */
export interface ZodIssueLike {
  code?: string;
  path?: readonly PropertyKey[];
  message: string;
  /** The unknown keys of an `unrecognized_keys` issue. */
  keys?: readonly string[];
}

// --- internals -----------------------------------------------------------------------------------

type Loose = Record<string, unknown>;

function isObject(x: unknown): x is Loose {
  return typeof x === 'object' && x !== null;
}

function messageOf(x: unknown): string {
  if (typeof x === 'string') return x;
  if (isObject(x) && typeof x.message === 'string' && x.message) return x.message;
  return 'Unknown error';
}

interface ResponseLike {
  status: number;
  headers?: { get(name: string): string | null };
  clone?: () => ResponseLike;
  text(): Promise<string>;
  bodyUsed?: boolean;
}

function isResponseLike(x: unknown): x is ResponseLike {
  return isObject(x) && typeof x.status === 'number' && typeof x.text === 'function';
}

function responseStatus(x: unknown): number | undefined {
  return isObject(x) && typeof x.status === 'number' ? x.status : undefined;
}

async function readBody(x: unknown): Promise<unknown> {
  if (!isResponseLike(x) || x.bodyUsed) return undefined;
  try {
    const source = typeof x.clone === 'function' ? x.clone() : x;
    const text = await source.text();
    if (!text) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  } catch {
    return undefined;
  }
}

async function fromFunctionsResponse(response: unknown, cause: unknown): Promise<MarqueeError> {
  const status = responseStatus(response) ?? 500;
  const body = await readBody(response);
  const parsed = fromBody(body, status);
  const init: MarqueeErrorInit = {
    status,
    code: parsed.code ?? (parsed.fields ? 'validation_failed' : statusCode(status)),
    detail: parsed.detail ?? (parsed.fields ? summarise(parsed.fields) : messageOf(cause)),
    cause,
  };
  if (parsed.fields) init.fields = parsed.fields;
  return new MarqueeError(init);
}

/** Reads Marquee's error style, and the other services' common shapes, out of a response body. */
function fromBody(body: unknown, status: number): { detail?: string; code?: string; fields?: FieldErrors } {
  if (typeof body === 'string') return body.trim() ? { detail: body.trim() } : {};
  if (!isObject(body)) return {};
  const code = firstString(body.code, body.error_code, typeof body.error === 'string' && body.detail !== undefined ? body.error : undefined);
  const detail = firstString(body.detail, body.message, body.msg, body.error_description, body.error);
  if (detail !== undefined) return { detail, ...(code ? { code } : {}) };
  // {"field": ["message"], ...}: every value a list of strings (or a single string).
  const entries = Object.entries(body);
  if (status === 400 || entries.every(([, v]) => isStringList(v))) {
    const fields: FieldErrors = {};
    for (const [key, value] of entries) {
      if (isStringList(value)) fields[key] = value;
      else if (typeof value === 'string') fields[key] = [value];
    }
    if (Object.keys(fields).length > 0) return { fields, ...(code ? { code } : {}) };
  }
  return code ? { code } : {};
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === 'string');
}

function firstString(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v) return v;
  return undefined;
}

function summarise(fields: FieldErrors): string {
  return Object.entries(fields)
    .map(([field, messages]) => `${field}: ${messages.join(' ')}`)
    .join('; ');
}

function isNetworkError(error: Loose): boolean {
  const name = typeof error.name === 'string' ? error.name : '';
  const message = typeof error.message === 'string' ? error.message : '';
  const code = typeof error.code === 'string' ? error.code : '';
  if (name === 'AbortError' || name === 'TimeoutError') return true;
  if (name === 'TypeError' && /fetch|network|Load failed/i.test(message)) return true;
  if (/^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|UND_ERR_)/.test(code)) return true;
  return isObject(error.cause) && isNetworkError(error.cause);
}

const STATUS_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  416: 'range_not_satisfiable',
  422: 'unprocessable_entity',
  429: 'too_many_requests',
  500: 'internal_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

function statusCode(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal_error' : status >= 400 ? 'bad_request' : 'unknown');
}

/**
 * PostgREST's SQLSTATE → HTTP status table (its "Errors" reference), for when the caller has no
 * response status. 42501 is 403 here; PostgREST answers 401 to anonymous callers.
 */
function postgrestStatus(code: string): number {
  const own: Record<string, number> = {
    PGRST000: 503, PGRST001: 503, PGRST002: 503, PGRST003: 504,
    PGRST100: 400, PGRST101: 405, PGRST102: 400, PGRST103: 416, PGRST105: 405, PGRST106: 406,
    PGRST107: 415, PGRST108: 400, PGRST111: 500, PGRST112: 500, PGRST114: 400, PGRST115: 400,
    PGRST116: 406, PGRST117: 405, PGRST118: 400, PGRST120: 400, PGRST121: 500, PGRST122: 400,
    PGRST123: 400, PGRST124: 400, PGRST125: 404, PGRST126: 404, PGRST127: 400, PGRST128: 400,
    PGRST200: 400, PGRST201: 300, PGRST202: 404, PGRST203: 300, PGRST204: 400, PGRST205: 404,
    PGRST300: 500, PGRST301: 401, PGRST302: 401, PGRST303: 401,
  };
  if (code in own) return own[code]!;
  if (code.startsWith('PGRST')) return 500;
  const exact: Record<string, number> = {
    '23503': 409, '23505': 409, '25006': 405, '42883': 404, '42P01': 404, '42501': 403,
    '42P17': 500, '40001': 409, '40P01': 409, '57014': 500, P0001: 400,
  };
  if (code in exact) return exact[code]!;
  const cls = code.slice(0, 2);
  const byClass: Record<string, number> = {
    '08': 503, '09': 500, '0L': 403, '0P': 403, '23': 400, '22': 400, '25': 500, '28': 403,
    '2D': 500, '38': 500, '39': 500, '3B': 500, '3D': 500, '3F': 500, '40': 500, '42': 400,
    '53': 503, '54': 500, '55': 500, '57': 500, '58': 500, F0: 500, HV: 500, P0: 500, XX: 500,
  };
  return byClass[cls] ?? 400;
}
