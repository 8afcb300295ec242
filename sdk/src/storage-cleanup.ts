/**
 * Released files (of a deleted post, media item, banner or forum post) wait in the database's removal
 * queue; the `storage-cleanup` function removes them through the Storage API.
 *
 * @module
 */
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** Asks the storage-cleanup function to remove released files now; a failure only delays it. */
export async function drainStorageRemovals(supabase: MarqueeSupabaseClient): Promise<void> {
  await supabase.functions.invoke('storage-cleanup', { method: 'POST', body: {} }).catch(() => undefined);
}
