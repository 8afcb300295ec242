/** PostgREST's error body `{code, message, details, hint}` and its SQLSTATE → HTTP status mapping. */

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
    readonly hint: unknown = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ code: this.code, details: this.details, hint: this.hint, message: this.message });
  }
}

/** PGRST100: a query string that PostgREST's grammar rejects. */
export function parseError(message: string, details: string): RestError {
  return new RestError(400, 'PGRST100', message, details);
}

export function invalidBody(message: string): RestError {
  return new RestError(400, 'PGRST102', message);
}

interface PgLikeError {
  code?: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** The HTTP status PostgREST answers for a Postgres error (Error.hs, mapSQLtoHTTP). */
export function pgErrorStatus(code: string, message: string, authenticated: boolean): number {
  const two = code.slice(0, 2);
  if (two === '08') return 503;
  if (two === '09') return 500;
  if (two === '0L' || two === '0P') return 403;
  switch (code) {
    case '23503':
    case '23505':
      return 409;
    case '25006':
      return 405;
    case '21000':
      return message.endsWith('requires a WHERE clause') ? 400 : 500;
    case '22023':
      return message.startsWith('role') && message.endsWith('does not exist') ? 401 : 400;
    case '53400':
      return 500;
    case '57P01':
      return 503;
    case 'P0001':
      return 400;
    case '42883':
      return message.startsWith('function xmlagg(') ? 406 : 404;
    case '42P01':
      return 404;
    case '42P17':
      return 500;
    case '42501':
      return authenticated ? 403 : 401;
  }
  if (['25', '2D', '38', '39', '3B', '40', '54', '55', '57', '58', 'F0', 'HV', 'P0', 'XX'].includes(two)) return 500;
  if (two === '28') return 403;
  if (two === '53') return 503;
  if (two === 'PT') {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  return 400;
}

/** Turns a Postgres error into PostgREST's response, including `raise sqlstate 'PGRST'` full control. */
export function fromPgError(error: PgLikeError, authenticated: boolean): RestError {
  const code = error.code ?? 'PGRSTX00';
  if (code === 'PGRST') return fromRaisedPgrst(error);
  const status = pgErrorStatus(code, error.message, authenticated);
  const headers: Record<string, string> = status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {};
  return new RestError(status, code, error.message, error.detail ?? null, error.hint ?? null, headers);
}

function fromRaisedPgrst(error: PgLikeError): RestError {
  let msg: { code?: unknown; message?: unknown; details?: unknown; hint?: unknown };
  try {
    msg = JSON.parse(error.message) as typeof msg;
    if (typeof msg !== 'object' || msg === null || msg.code === undefined || msg.message === undefined) throw new Error();
  } catch {
    return new RestError(500, 'PGRST121', 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      `Invalid JSON value for MESSAGE: '${error.message}'`,
      "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.");
  }
  let det: { status?: unknown; headers?: unknown };
  try {
    if (error.detail === undefined) throw new Error('missing');
    det = JSON.parse(error.detail) as typeof det;
    if (typeof det.status !== 'number' || typeof det.headers !== 'object' || det.headers === null) throw new Error();
  } catch (e) {
    return new RestError(500, 'PGRST121', 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      (e as Error).message === 'missing' ? 'DETAIL is missing in the RAISE statement' : `Invalid JSON value for DETAIL: '${error.detail}'`,
      "DETAIL must be a JSON object with obligatory keys: 'status', 'headers' and optional key: 'status_text'.");
  }
  const headers = Object.fromEntries(Object.entries(det.headers as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  return new RestError(det.status as number, String(msg.code), String(msg.message), msg.details ?? null, msg.hint ?? null, headers);
}
