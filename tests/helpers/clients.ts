import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';
import { stackEnv } from './env.ts';

/**
 * supabase-js clients for the suite's stack. Node 20 has no global WebSocket, so Realtime gets
 * `ws`; sessions are never persisted between tests.
 */
export function clientWithKey(key: string, accessToken?: string): SupabaseClient {
  return createClient(stackEnv().url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // ws's constructor is what realtime-js expects; its types name a narrower interface.
    realtime: { transport: ws as never },
    global: accessToken ? { headers: { Authorization: `Bearer ${accessToken}` } } : {},
  });
}

export const anonClient = (): SupabaseClient => clientWithKey(stackEnv().anonKey);
export const serviceClient = (): SupabaseClient => clientWithKey(stackEnv().serviceRoleKey);
/** A client acting with `accessToken` as its bearer, as a signed-in app would. */
export const userClient = (accessToken: string): SupabaseClient => clientWithKey(stackEnv().anonKey, accessToken);
