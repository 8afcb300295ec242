/**
 * Calls to Supabase Auth's public endpoints, as an app would make them, for the flows the admin API
 * cannot do: the password grant (a session), sign-up (so Auth sends its confirmation mail when
 * confirmations are on) and a user's own password change (Auth keeps that session and ends the
 * others). The request's X-Forwarded-For is passed on: when the platform's gateway trusts this
 * function's address as a proxy (Marquee Local's MARQUEE_TRUSTED_PROXIES), Auth's per-IP limits count
 * the client the gateway recorded; otherwise they count this function, and the function's own limits
 * (_shared/rate-limit.ts) are the per-client wall.
 */
import { env } from './supabase.ts';

export type AuthResult<T> = { ok: true; status: number; body: T } | { ok: false; status: number; code: string; message: string };

async function call<T>(req: Request, path: string, payload: unknown, options: { method?: string; bearer?: string } = {}): Promise<AuthResult<T>> {
  const anonKey = env('SUPABASE_ANON_KEY');
  const headers: Record<string, string> = {
    apikey: anonKey,
    Authorization: `Bearer ${options.bearer ?? anonKey}`,
    'Content-Type': 'application/json',
    // Errors as {code, message}.
    'X-Supabase-Api-Version': '2024-01-01',
  };
  const forwardedFor = req.headers.get('x-forwarded-for');
  if (forwardedFor) headers['X-Forwarded-For'] = forwardedFor;

  const response = await fetch(`${env('SUPABASE_URL')}/auth/v1${path}`, { method: options.method ?? 'POST', headers, body: JSON.stringify(payload) });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    body = { message: text };
  }
  if (response.ok) return { ok: true, status: response.status, body: body as T };
  const code = typeof body.code === 'string' ? body.code : typeof body.error_code === 'string' ? body.error_code : String(body.error ?? 'unknown');
  const message = String(body.message ?? body.msg ?? body.error_description ?? body.error ?? `Auth answered ${response.status}`);
  return { ok: false, status: response.status, code, message };
}

/** GoTrue's session JSON (access_token, refresh_token, expires_in, user, …), passed through as is. */
export type Session = Record<string, unknown> & { access_token: string; user: { id: string } };

/** `POST /auth/v1/token?grant_type=password` by email or phone. */
export function passwordGrant(req: Request, login: { email: string } | { phone: string }, password: string): Promise<AuthResult<Session>> {
  return call<Session>(req, '/token?grant_type=password', { ...login, password });
}

/** `POST /auth/v1/signup`: a session (autoconfirm) or the unconfirmed user. */
export function signUp(
  req: Request,
  input: { email: string; password: string; data: Record<string, unknown> },
): Promise<AuthResult<Record<string, unknown>>> {
  return call<Record<string, unknown>>(req, '/signup', input);
}

/**
 * `PUT /auth/v1/user {password, current_password}` as the user: Auth (require_current_password)
 * checks the old password, signs out every other session of theirs and mails the
 * password_changed notice.
 */
export function updateOwnPassword(
  req: Request,
  accessToken: string,
  change: { password: string; currentPassword: string },
): Promise<AuthResult<Record<string, unknown>>> {
  return call<Record<string, unknown>>(
    req,
    '/user',
    { password: change.password, current_password: change.currentPassword },
    { method: 'PUT', bearer: accessToken },
  );
}
