/**
 * The service-role client the account functions act with, and the caller behind the request's
 * `Authorization: Bearer <jwt>` (checked with Auth, so a deleted user's still-unexpired token is
 * refused too).
 */
import { createClient, type SupabaseClient, type User } from 'npm:@supabase/supabase-js@2';
import { decodeJwt } from 'npm:jose@5';
import { forbidden, tooManyRequests, unauthorized } from './errors.ts';

let admin: SupabaseClient | undefined;

export function env(name: string): string {
  const value = Deno.env.get(name);
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The service-role client (bypasses RLS; may call the service-only RPCs and the admin API). */
export function adminClient(): SupabaseClient {
  admin ??= createClient(env('SUPABASE_URL'), env('SUPABASE_SERVICE_ROLE_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  });
  return admin;
}

/**
 * Calls a service-only RPC (schema `service`, which only service_role may use; never in the app's
 * types) and answers its result; a database error is thrown.
 */
export async function callService<T = unknown>(fn: string, args: Record<string, unknown>): Promise<T> {
  const { data, error } = await adminClient().schema('service').rpc(fn, args);
  if (error) throw error;
  return data as T;
}

export type AccountStatus = 'active' | 'deactivated' | 'suspended' | 'banned';

/** What sign-in and the access token hook answer for an account that is not active. */
export const STATUS_MESSAGES: Record<Exclude<AccountStatus, 'active'>, string> = {
  deactivated: 'Your account is inactive. Please contact support.',
  suspended: 'Your account is suspended. Please contact support.',
  banned: 'Your account has been banned.',
};

export interface Caller {
  user: User;
  username: string;
  status: AccountStatus;
  /** The caller's access token, for calls to Auth as them. */
  accessToken: string;
}

/** The unverified claims of a JWT, or null when it is not one (Auth verifies it next). */
function claimsOf(jwt: string): Record<string, unknown> | null {
  try {
    return decodeJwt(jwt);
  } catch {
    return null;
  }
}

/**
 * The signed-in caller, or the response to send: 401 "Authentication credentials were not
 * provided." without a user's token (none, or the anon key), 401 "Invalid or expired token." when
 * Auth does not accept it, and — with `requireActive` — 403 with the status message for an
 * account that is deactivated, suspended or banned (they may write nothing).
 */
export async function requireCaller(
  req: Request,
  options: { requireActive?: boolean } = {},
): Promise<{ caller: Caller; response?: undefined } | { caller?: undefined; response: Response }> {
  const header = req.headers.get('authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  const jwt = match?.[1];
  const claims = jwt ? claimsOf(jwt) : null;
  if (!jwt || !claims || typeof claims.sub !== 'string' || claims.role === 'anon') return { response: unauthorized() };

  const client = adminClient();
  const { data, error } = await client.auth.getUser(jwt);
  if (error || !data.user) {
    if (error && (error.status ?? 500) >= 500) throw error;
    return { response: unauthorized('Invalid or expired token.') };
  }

  const profile = await client.from('profiles').select('username, status').eq('id', data.user.id).maybeSingle();
  if (profile.error) throw profile.error;
  if (!profile.data) return { response: unauthorized('Invalid or expired token.') };
  const status = profile.data.status as AccountStatus;
  if (options.requireActive && status !== 'active') {
    return { response: status in STATUS_MESSAGES ? forbidden(STATUS_MESSAGES[status as keyof typeof STATUS_MESSAGES]) : forbidden() };
  }
  return { caller: { user: data.user, username: String(profile.data.username), status, accessToken: jwt } };
}

export interface SignInAccount {
  user_id: string;
  email: string | null;
  phone: string | null;
  username: string;
  status: AccountStatus;
}

/** The account a username, email or phone number names (rpc `find_sign_in_account`), or null. */
export async function findSignInAccount(login: string): Promise<SignInAccount | null> {
  return (await callService<SignInAccount | null>('find_sign_in_account', { p_login: login })) ?? null;
}

/**
 * Whether a phone number (E.164) belongs to an account already, as its sign-in phone or as the phone
 * of its profile (rpc `phone_in_use`; the database keeps numbers unique across accounts).
 */
export async function phoneInUse(phone: string): Promise<boolean> {
  return (await callService('phone_in_use', { p_phone: phone })) === true;
}

export type IssuedCode = { code: string; token: string; expires_at: string; retry_after?: undefined } | { retry_after: number };

/** rpc `issue_one_time_code`: a new code, or how long to wait before asking again. */
export async function issueCode(purpose: 'password_reset' | 'phone_signup' | 'parent_link', subject: string): Promise<IssuedCode> {
  return callService<IssuedCode>('issue_one_time_code', { p_purpose: purpose, p_subject: subject });
}

export type ConsumeResult =
  | { status: 'ok'; subject: string }
  | { status: 'invalid_token' | 'expired' | 'invalid_code'; subject?: undefined }
  /** The account (or phone number) spent its wrong-code budget; nothing is checked until `retry_after`. */
  | { status: 'locked'; retry_after: number; subject?: undefined };

/** rpc `consume_one_time_code`, by subject or by token. */
export async function consumeCode(
  purpose: 'password_reset' | 'phone_signup' | 'parent_link',
  code: string,
  by: { subject: string; token?: undefined } | { token: string; subject?: undefined },
): Promise<ConsumeResult> {
  return callService<ConsumeResult>('consume_one_time_code', {
    p_purpose: purpose,
    p_code: code,
    p_subject: by.subject ?? null,
    p_token: by.token ?? null,
  });
}

/** `429 {"detail"}` with Retry-After for a locked code budget (ASVS 2.7), whatever the code. */
export const codesLocked = (retryAfter: number) =>
  tooManyRequests('Too many incorrect codes. Code verification is locked for this account; please try again later.', Math.max(1, retryAfter));

/** `429 {"detail": "Please wait before requesting another code."}` with Retry-After. */
export const waitBeforeAnotherCode = (retryAfter: number) =>
  tooManyRequests('Please wait before requesting another code.', Math.max(1, retryAfter));
