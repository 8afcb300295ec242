/**
 * Realtime's WebSocket: the one the app passes, else the runtime's global. Node 20 has no global
 * WebSocket and supabase-js would refuse to create a client there at all; Marquee gives it a stand-in
 * instead, so REST, Auth and Storage work and only Realtime fails, with an error that says what to pass.
 *
 * @module
 */
import { MarqueeError } from './errors.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/**
 * A WebSocket class for Realtime, e.g. the `ws` package's default export on Node 20
 * (Node 22+, Deno, Bun and browsers have a global one).
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => unknown;

/** What Marquee says when Realtime is used in a runtime with no WebSocket and none was passed. */
export const MISSING_WEBSOCKET_DETAIL =
  'Realtime needs a WebSocket and this runtime has none (Node 20 has no global WebSocket). ' +
  "Install the ws package and pass it: import WebSocket from 'ws'; createMarquee({ url, key, webSocket: WebSocket }).";

function missingWebSocket(): MarqueeError {
  return new MarqueeError({ status: 0, code: 'websocket_unavailable', detail: MISSING_WEBSOCKET_DETAIL });
}

/** The stand-in transport: constructing it, which Realtime does when it connects, throws the error above. */
class MissingWebSocket {
  constructor() {
    throw missingWebSocket();
  }
}

/**
 * The transport to give supabase-js: the one passed, none when the runtime has a global WebSocket
 * (supabase-js finds it), else the stand-in.
 */
export function realtimeTransport(given: WebSocketConstructor | undefined): WebSocketConstructor | undefined {
  if (given) return given;
  if (typeof globalThis.WebSocket === 'function') return undefined;
  return MissingWebSocket;
}

/** Throws Marquee's error, before any channel is made, when the client's Realtime has no WebSocket. */
export function requireWebSocket(supabase: MarqueeSupabaseClient): void {
  if ((supabase.realtime.transport as unknown) === MissingWebSocket) throw missingWebSocket();
}
