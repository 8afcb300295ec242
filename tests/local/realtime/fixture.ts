/** Shared helpers for the Realtime tests: subscribing with a bounded wait, and waiting for events. */
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js';
import { signUserToken } from '../../helpers/tokens.ts';

export const USER_A = '00000000-0000-4000-8000-0000000000a1';
export const USER_B = '00000000-0000-4000-8000-0000000000b2';

export { signUserToken };

/** Subscribes and resolves with the final status (SUBSCRIBED, CHANNEL_ERROR, …) and error. */
export function subscribe(channel: RealtimeChannel, timeoutMs = 10_000): Promise<{ status: string; error?: Error }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`subscribe to ${channel.topic} timed out`)), timeoutMs);
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED' || status === 'CHANNEL_ERROR' || status === 'TIMED_OUT' || status === 'CLOSED') {
        clearTimeout(timer);
        resolve({ status, error });
      }
    });
  });
}

/** Collects what a callback receives; `next()` waits (bounded) for the n-th item. */
export class Inbox<T = unknown> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  readonly push = (item: T): void => {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  };

  async waitFor(predicate: (items: T[]) => boolean, timeoutMs = 5_000, what = 'event'): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.items)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${JSON.stringify(this.items)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items;
  }

  async first(timeoutMs = 5_000, what?: string): Promise<T> {
    return (await this.waitFor((items) => items.length > 0, timeoutMs, what))[0]!;
  }
}

export async function closeClients(...clients: SupabaseClient[]): Promise<void> {
  await Promise.all(clients.map((client) => client.removeAllChannels()));
}
