import { randomBytes } from 'node:crypto';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { stackEnv } from './env.ts';

export interface ClientOptions {
  /** Bearer token sent instead of the key, as a signed-in app sends its session's JWT. */
  accessToken?: string;
  /** Extra headers on every request (e.g. X-Forwarded-For). */
  headers?: Record<string, string>;
  /**
   * Keep the session (and a PKCE code verifier) in memory, as a browser app keeps it in storage,
   * with this auth flow. Without it, sessions are not persisted.
   */
  flowType?: 'implicit' | 'pkce';
  /** Another stack than the suite's (e.g. a service built in-process). */
  url?: string;
  fetch?: typeof fetch;
}

/**
 * A supabase-js client for the suite's stack. Node 20 has no global WebSocket and supabase-js
 * builds its realtime client eagerly, so Realtime gets `ws`; sessions are never persisted.
 */
export function clientWithKey(key: string, options: ClientOptions = {}): SupabaseClient {
  // Each client is one user behind the platform's proxy (the runner, trusted by the suite's stack),
  // so per-address limits count users rather than the whole suite as one client.
  const headers = {
    'X-Forwarded-For': clientAddress(),
    ...options.headers,
    ...(options.accessToken ? { Authorization: `Bearer ${options.accessToken}` } : {}),
  };
  const session = options.flowType
    ? { flowType: options.flowType, persistSession: true, storage: memoryStorage() }
    : { persistSession: false };
  return createClient(options.url ?? stackEnv().url, key, {
    auth: { ...session, autoRefreshToken: false, detectSessionInUrl: false },
    // ws's constructor is what realtime-js expects; its types name a narrower interface.
    realtime: { transport: ws as never },
    global: { headers, ...(options.fetch ? { fetch: options.fetch } : {}) },
  });
}

function memoryStorage() {
  const memory = new Map<string, string>();
  return {
    getItem: (name: string) => memory.get(name) ?? null,
    setItem: (name: string, value: string) => void memory.set(name, value),
    removeItem: (name: string) => void memory.delete(name),
  };
}

export const anonClient = (options?: ClientOptions): SupabaseClient => clientWithKey(stackEnv().anonKey, options);
export const serviceClient = (options?: ClientOptions): SupabaseClient => clientWithKey(stackEnv().serviceRoleKey, options);
/** A client acting with `accessToken` as its bearer, as a signed-in app would. */
export const userClient = (accessToken: string): SupabaseClient => anonClient({ accessToken });

/** A fresh private address for one test client. */
function clientAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${1 + (c! % 254)}`;
}
