/**
 * Forum pictures in Storage, always as the caller (their token on the request), so the bucket's
 * policies decide exactly as for a plain `supabase.storage` call: uploads only into the caller's own
 * `<uid>/` folder, reads only of pictures on forum posts the caller may read.
 */
import { createClient, type SupabaseClient } from 'npm:@supabase/supabase-js@2';
import { FORUM_PICTURES_BUCKET } from '../_shared/rules.ts';
import { env } from '../_shared/supabase.ts';

/** A client that acts as the caller (RLS and storage policies apply). */
export function callerClient(accessToken: string): SupabaseClient {
  return createClient(env('SUPABASE_URL'), env('SUPABASE_ANON_KEY'), {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    global: { headers: { Authorization: `Bearer ${accessToken}` } },
  });
}

export const pictureBucket = (client: SupabaseClient) => client.storage.from(FORUM_PICTURES_BUCKET);

/** The bytes and stored content type of an object the caller may read, or null when they may not (or it is gone). */
export async function downloadPicture(client: SupabaseClient, path: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  const { data, error } = await pictureBucket(client).download(path);
  if (error || !data) return null;
  return { bytes: new Uint8Array(await data.arrayBuffer()), contentType: data.type };
}

/** SHA-256 of the bytes, hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
