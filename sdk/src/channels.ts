/**
 * A Realtime channel's subscription as a promise: live, or removed and thrown as Marquee's error.
 *
 * @module
 */
import type { RealtimeChannel } from '@supabase/supabase-js';
import { MarqueeError } from './errors.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/**
 * Subscribes `channel` and resolves, once it is live, with a function that removes it. A channel that
 * errors, times out or closes first is removed and rejects with a 503 `realtime_unavailable`.
 */
export async function subscribeChannel(supabase: MarqueeSupabaseClient, channel: RealtimeChannel): Promise<() => Promise<void>> {
  await new Promise<void>((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve();
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT' || status === 'CLOSED') {
        reject(new MarqueeError({ status: 503, code: 'realtime_unavailable', detail: error?.message ?? `Realtime subscription ${status.toLowerCase()}.` }));
      }
    });
  }).catch(async (error: unknown) => {
    await supabase.removeChannel(channel);
    throw error;
  });
  return async () => {
    await supabase.removeChannel(channel);
  };
}
