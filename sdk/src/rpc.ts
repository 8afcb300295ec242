/**
 * One way to call a database RPC: the answer's data, or a {@link MarqueeError}. A check_violation
 * whose detail is `{"field": ["message"]}` (how Marquee's SQL names fields) becomes a 400 with
 * `fields`, as the rules module's own refusals are. Not part of the public API.
 *
 * @module
 */
import type { Database } from './database.types.ts';
import { fromFieldErrors, toMarqueeError, type MarqueeError } from './errors.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

type Functions = Database['public']['Functions'];

/** Calls `name` with `args` and returns its answer; throws a {@link MarqueeError}. */
export async function callRpc<N extends keyof Functions & string>(
  supabase: MarqueeSupabaseClient,
  name: N,
  args: Functions[N]['Args'],
): Promise<Functions[N]['Returns']> {
  const rpc = supabase.rpc as unknown as (fn: string, args: unknown) => PromiseLike<{ data: unknown; error: unknown; status: number }>;
  const result = await Promise.resolve(rpc.call(supabase, name, args)).then(
    (r) => r,
    async (thrown: unknown) => {
      throw await toMarqueeError(thrown);
    },
  );
  if (result.error) {
    const error = await toMarqueeError(result.error, result.status > 0 ? { status: result.status } : {});
    throw withFields(error);
  }
  return result.data as Functions[N]['Returns'];
}

/** A 400 check_violation carrying field errors as JSON in `details` → the same error with `fields`. */
function withFields(error: MarqueeError): MarqueeError {
  if (error.code !== '23514' || !error.details) return error;
  try {
    const parsed = JSON.parse(error.details) as unknown;
    const isFieldErrors =
      typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) &&
      Object.values(parsed).every((v) => Array.isArray(v) && v.every((m) => typeof m === 'string'));
    return isFieldErrors ? fromFieldErrors(parsed as Record<string, string[]>, error) : error;
  } catch {
    return error;
  }
}
