/**
 * Helpers the namespaces share: input validation through the rules module, edge function calls,
 * the signed-in user, and the common errors. Not part of the public API.
 *
 * @module
 */
import { z } from 'zod';
import type { MarqueeSupabaseClient } from './supabase-client.ts';
import type { DetailResult } from './results.ts';
import { MarqueeError, fromFieldErrors, toMarqueeError } from './errors.ts';
import { type CrossFieldCheck, validate } from './rules/index.ts';

export const NOT_FOUND = 'Not found.';
export const NOT_AUTHENTICATED = 'Authentication credentials were not provided.';
export const PERMISSION_DENIED = 'You do not have permission to perform this action.';

/**
 * Validates `input` with the rules module (the same schemas and cross-field checks the edge
 * functions apply) before any request: a failure is a 400 {@link MarqueeError} with `fields`, every
 * problem at once (each unknown key is "This field is not allowed.").
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, ...checks: CrossFieldCheck[]): z.output<S> {
  const result = validate(schema, input, ...checks);
  if (result.errors) throw fromFieldErrors(result.errors);
  return result.data;
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

/** Any answer of the `{"detail": "..."}` kind (a function's, an RPC's jsonb), as a {@link DetailResult}. */
export function asDetail(data: unknown, fallback = 'OK'): DetailResult {
  if (data && typeof data === 'object') {
    const answer = data as { detail?: unknown; message?: unknown; status?: unknown };
    for (const value of [answer.detail, answer.message, answer.status]) if (typeof value === 'string') return { detail: value };
  }
  return { detail: typeof data === 'string' ? data : fallback };
}

/** `value`, or a 502 when a service answered without the data it promises. */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) {
    throw new MarqueeError({ status: 502, code: 'empty_response', detail: `The server answered without ${what}.` });
  }
  return value;
}
