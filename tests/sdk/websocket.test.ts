/**
 * Runtime fit (issue 13, item 3): in a runtime with no global WebSocket (Node 20) and none passed,
 * createMarquee still makes a client whose REST works — supabase-js alone refuses to create one there —
 * and Realtime fails with Marquee's error saying to pass `ws`. The global is hidden for the test so it
 * means the same on Node 22+, which has one.
 */
import { createClient } from '@supabase/supabase-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMarquee, isMarqueeError } from '../../sdk/src/index.ts';
import { stackEnv } from '../helpers/env.ts';

const NO_SESSION = { auth: { persistSession: false, autoRefreshToken: false } };

describe('a runtime without a global WebSocket', () => {
  beforeEach(() => vi.stubGlobal('WebSocket', undefined));
  afterEach(() => vi.unstubAllGlobals());

  it('supabase-js alone refuses to create a client there (why Marquee steps in)', () => {
    expect(() => createClient(stackEnv().url, stackEnv().anonKey, NO_SESSION)).toThrow(/WebSocket/);
  });

  it('createMarquee makes a client whose REST works', async () => {
    const marquee = createMarquee({ url: stackEnv().url, key: stackEnv().anonKey, options: NO_SESSION });
    const { error, status } = await marquee.supabase.from('public_profiles').select('id').limit(1);
    expect(error).toBeNull();
    expect(status).toBe(200);
  });

  it('Realtime through the SDK fails with a MarqueeError that says to pass ws', async () => {
    const marquee = createMarquee({ url: stackEnv().url, key: stackEnv().anonKey, options: NO_SESSION });
    const failure = await marquee.notifications.subscribe(() => {}).catch((error: unknown) => error);
    expect(isMarqueeError(failure)).toBe(true);
    expect(failure).toMatchObject({ status: 0, code: 'websocket_unavailable' });
    expect((failure as Error).message).toMatch(/import WebSocket from 'ws'; createMarquee\(\{ url, key, webSocket: WebSocket \}\)/);
  });

  it('a raw channel on marquee.supabase fails with the same advice instead of hanging', () => {
    const marquee = createMarquee({ url: stackEnv().url, key: stackEnv().anonKey, options: NO_SESSION });
    const channel = marquee.supabase.channel('room');
    expect(() => channel.subscribe()).toThrow(/webSocket: WebSocket/);
  });
});
