import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { stackEnv } from './env.ts';

export interface ClientOptions {
  /** Bearer token sent instead of the key, as a signed-in app sends its session's JWT. */
  accessToken?: string;
  /** Extra headers on every request (e.g. X-Forwarded-For). */
  headers?: Record<string, string>;
}

/**
 * A supabase-js client for the suite's stack. Node 20 has no global WebSocket and supabase-js
 * builds its realtime client eagerly, so Realtime gets `ws`; sessions are never persisted.
 */
export function clientWithKey(key: string, options: ClientOptions = {}): SupabaseClient {
  const headers = { ...options.headers, ...(options.accessToken ? { Authorization: `Bearer ${options.accessToken}` } : {}) };
  return createClient(stackEnv().url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // ws's constructor is what realtime-js expects; its types name a narrower interface.
    realtime: { transport: ws as never },
    global: { headers },
  });
}

export const anonClient = (options?: ClientOptions): SupabaseClient => clientWithKey(stackEnv().anonKey, options);
export const serviceClient = (options?: ClientOptions): SupabaseClient => clientWithKey(stackEnv().serviceRoleKey, options);
/** A client acting with `accessToken` as its bearer, as a signed-in app would. */
export const userClient = (accessToken: string): SupabaseClient => anonClient({ accessToken });
