import type { RealtimePresenceState, SupabaseClient } from '@supabase/supabase-js';
import { afterEach, describe, expect, it } from 'vitest';
import { anonClient } from '../../helpers/clients.ts';
import { Inbox, closeClients, subscribe } from './fixture.ts';

const topic = () => `presence-${Math.random().toString(36).slice(2, 8)}`;

describe('realtime presence', () => {
  const clients: SupabaseClient[] = [];
  const client = () => {
    const c = anonClient();
    clients.push(c);
    return c;
  };

  afterEach(async () => {
    await closeClients(...clients.splice(0));
  });

  it('syncs state, reports joins and leaves, and cleans up when a socket goes away', async () => {
    const name = topic();
    const alice = client();
    const bob = client();

    const aliceState = new Inbox<RealtimePresenceState>();
    const joins = new Inbox<{ key: string; newPresences: unknown[] }>();
    const leaves = new Inbox<{ key: string; leftPresences: unknown[] }>();
    const a = alice
      .channel(name, { config: { presence: { key: 'alice' } } })
      .on('presence', { event: 'sync' }, () => aliceState.push(a.presenceState()))
      .on('presence', { event: 'join' }, ({ key, newPresences }) => joins.push({ key, newPresences }))
      .on('presence', { event: 'leave' }, ({ key, leftPresences }) => leaves.push({ key, leftPresences }));
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect(await a.track({ status: 'online' })).toBe('ok');
    await joins.waitFor((items) => items.some((j) => j.key === 'alice'), 5_000, 'alice join');

    const bobState = new Inbox<RealtimePresenceState>();
    const b = bob.channel(name, { config: { presence: { key: 'bob' } } }).on('presence', { event: 'sync' }, () => bobState.push(b.presenceState()));
    expect((await subscribe(b)).status).toBe('SUBSCRIBED');
    // Bob's presence_state on join already holds Alice: his first sync shows her.
    expect(Object.keys(await bobState.first(5_000, "Bob's first sync"))).toEqual(['alice']);

    expect(await b.track({ status: 'typing' })).toBe('ok');
    const withBob = await joins.waitFor((items) => items.some((j) => j.key === 'bob'), 5_000, 'bob join');
    expect(withBob.find((j) => j.key === 'bob')?.newPresences).toEqual([expect.objectContaining({ status: 'typing', presence_ref: expect.any(String) })]);
    await aliceState.waitFor((states) => Object.keys(states.at(-1) ?? {}).sort().join() === 'alice,bob', 5_000, 'sync with both');

    // Bob's socket goes away: Alice sees him leave.
    await bob.removeAllChannels();
    await leaves.waitFor((items) => items.some((l) => l.key === 'bob'), 5_000, 'bob leave');
    await aliceState.waitFor((states) => Object.keys(states.at(-1) ?? {}).join() === 'alice', 5_000, 'sync without bob');
  });

  it('untrack removes the presence for everyone', async () => {
    const name = topic();
    const alice = client();
    const bob = client();
    const leaves = new Inbox<string>();
    const joins = new Inbox<string>();
    const a = alice.channel(name, { config: { presence: { key: 'alice' } } }).on('presence', { event: 'sync' }, () => undefined);
    const b = bob
      .channel(name, { config: { presence: { key: 'bob' } } })
      .on('presence', { event: 'join' }, ({ key }) => joins.push(key))
      .on('presence', { event: 'leave' }, ({ key }) => leaves.push(key));
    await subscribe(a);
    await subscribe(b);
    await a.track({ n: 1 });
    expect(await joins.first(5_000, "Alice's join")).toBe('alice');
    expect(Object.keys(b.presenceState())).toEqual(['alice']);
    await a.untrack();
    expect(await leaves.first(5_000, 'leave')).toBe('alice');
    expect(b.presenceState()).toEqual({});
  });
});
