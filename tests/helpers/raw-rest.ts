import { stackEnv } from './env.ts';

/** A raw REST answer: the status and the parsed JSON body (null when empty). */
export interface RawReply {
  status: number;
  body: unknown;
}

/**
 * A raw `/rest/v1` call with a user's token (or the anon key when `token` is null), as curl would
 * make it: no SDK, no supabase-js, `Prefer: return=representation`.
 */
export async function rawRest(method: string, path: string, token: string | null, body?: unknown): Promise<RawReply> {
  const stack = stackEnv();
  const response = await fetch(`${stack.url}/rest/v1/${path}`, {
    method,
    headers: {
      apikey: stack.anonKey,
      Authorization: `Bearer ${token ?? stack.anonKey}`,
      'Content-Type': 'application/json',
      Prefer: 'return=representation',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}
