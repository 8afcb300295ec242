import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, serviceClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { Inbox, closeClients, subscribe } from './fixture.ts';

const topic = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}`;

describe('realtime broadcast', () => {
  let alice: SupabaseClient;
  let bob: SupabaseClient;
  let db: pg.Client;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: stackEnv().dbUrl });
    await db.connect();
  });
  afterAll(() => db.end());

  afterEach(async () => {
    await closeClients(alice, bob);
  });

  it('delivers a broadcast to the other subscribers, not to the sender by default', async () => {
    alice = anonClient();
    bob = anonClient();
    const room = topic('room');
    const aliceInbox = new Inbox();
    const bobInbox = new Inbox();
    const a = alice.channel(room).on('broadcast', { event: 'cursor' }, aliceInbox.push);
    const b = bob.channel(room).on('broadcast', { event: 'cursor' }, bobInbox.push);
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect((await subscribe(b)).status).toBe('SUBSCRIBED');

    expect(await a.send({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } })).toBe('ok');
    expect(await bobInbox.first()).toEqual({ type: 'broadcast', event: 'cursor', payload: { x: 1, y: 2 } });
    // Sentinel: Bob answers after he got Alice's message; an echo of hers would reach her first.
    expect(await b.send({ type: 'broadcast', event: 'cursor', payload: { from: 'bob' } })).toBe('ok');
    await aliceInbox.first(5_000, "Bob's answer");
    expect(aliceInbox.items).toEqual([{ type: 'broadcast', event: 'cursor', payload: { from: 'bob' } }]);
  });

  it('echoes to the sender with self: true and acknowledges with ack: true', async () => {
    alice = anonClient();
    const room = topic('self');
    const inbox = new Inbox();
    const a = alice.channel(room, { config: { broadcast: { self: true, ack: true } } }).on('broadcast', { event: '*' }, inbox.push);
    expect((await subscribe(a)).status).toBe('SUBSCRIBED');
    expect(await a.send({ type: 'broadcast', event: 'ping', payload: { n: 1 } })).toBe('ok');
    expect(await inbox.first()).toMatchObject({ event: 'ping', payload: { n: 1 } });
  });

  it('does not cross between channels of different topics', async () => {
    alice = anonClient();
    bob = anonClient();
    const inbox = new Inbox<{ event: string }>();
    const two = topic('two');
    const a = alice.channel(topic('one'));
    const b = bob.channel(two).on('broadcast', { event: '*' }, inbox.push);
    await subscribe(a);
    await subscribe(b);
    await a.send({ type: 'broadcast', event: 'x', payload: {} });
    // Sentinel: the same socket then sends on Bob's topic; a crossed message would arrive first.
    const sentinel = alice.channel(two);
    await subscribe(sentinel);
    await sentinel.send({ type: 'broadcast', event: 'sentinel', payload: {} });
    await inbox.first(5_000, 'the sentinel');
    expect(inbox.items.map((m) => m.event)).toEqual(['sentinel']);
  });

  it('delivers REST broadcasts (batch endpoint and httpSend) with 202', async () => {
    bob = anonClient();
    const room = topic('rest');
    const inbox = new Inbox<{ event: string; payload: unknown }>();
    const b = bob.channel(room).on('broadcast', { event: '*' }, inbox.push);
    await subscribe(b);

    const env = stackEnv();
    const res = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: room, event: 'from-rest', payload: { via: 'batch' } }] }),
    });
    expect(res.status).toBe(202);
    expect(await inbox.first()).toMatchObject({ event: 'from-rest', payload: { via: 'batch' } });

    alice = anonClient();
    await expect(alice.channel(room).httpSend('from-http-send', { via: 'httpSend' })).resolves.toEqual({ success: true });
    await inbox.waitFor((items) => items.some((m) => m.event === 'from-http-send'));
  });

  it('refuses a REST broadcast without messages with 422', async () => {
    const env = stackEnv();
    const res = await fetch(`${env.url}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { apikey: env.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages: [] }),
    });
    expect(res.status).toBe(422);
  });

  it('delivers realtime.send() from the database to a public channel subscriber, with the message id', async () => {
    bob = anonClient();
    const room = topic('db');
    const inbox = new Inbox<{ event: string; payload: Record<string, unknown>; meta?: { id: string } }>();
    const b = bob.channel(room).on('broadcast', { event: 'db-event' }, inbox.push);
    await subscribe(b);
    await db.query(`select realtime.send($1::jsonb, 'db-event', $2, false)`, [JSON.stringify({ hello: 'db' }), room]);
    const message = await inbox.first();
    expect(message.payload).toMatchObject({ hello: 'db' });
    expect(message.payload.id).toBe(message.meta?.id);
  });

  it('does not deliver a private realtime.send() to a public channel of the same name', async () => {
    bob = serviceClient();
    const room = topic('db-private');
    const inbox = new Inbox<{ event: string }>();
    const b = bob.channel(room).on('broadcast', { event: '*' }, inbox.push);
    await subscribe(b);
    await db.query(`select realtime.send('{}'::jsonb, 'secret', $1)`, [room]);
    // Sentinel: a public send committed after it; the private one would be delivered first.
    await db.query(`select realtime.send('{}'::jsonb, 'sentinel', $1, false)`, [room]);
    await inbox.first(5_000, 'the sentinel');
    expect(inbox.items.map((m) => m.event)).toEqual(['sentinel']);
  });

  it('answers heartbeats and joins on the raw protocol (vsn 1.0.0)', async () => {
    const env = stackEnv();
    const socket = new WebSocket(`${env.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${env.anonKey}&vsn=1.0.0`);
    const frames: Array<Record<string, unknown>> = [];
    const inbox = new Inbox<Record<string, unknown>>();
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as Record<string, unknown>;
      frames.push(frame);
      inbox.push(frame);
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1' }));
    socket.send(JSON.stringify({ topic: 'realtime:raw', event: 'phx_join', payload: { config: { broadcast: { self: true } } }, ref: '2', join_ref: '2' }));
    await inbox.waitFor((items) => items.filter((f) => f.event === 'phx_reply').length >= 2);
    expect(frames[0]).toEqual({ topic: 'phoenix', event: 'phx_reply', payload: { status: 'ok', response: {} }, ref: '1', join_ref: null });
    expect(frames[1]).toMatchObject({ topic: 'realtime:raw', event: 'phx_reply', payload: { status: 'ok', response: { postgres_changes: [] } }, ref: '2' });
    socket.close();
  });

  it('refuses a socket whose apikey is not one of the project keys', async () => {
    const env = stackEnv();
    const status = await new Promise<number>((resolve, reject) => {
      const socket = new WebSocket(`${env.url.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=not-a-key&vsn=2.0.0`);
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('open', () => reject(new Error('socket opened with a wrong apikey')));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('refuses a join whose access token is expired, as Realtime does', async () => {
    alice = anonClient();
    const { signUserToken, USER_A } = await import('./fixture.ts');
    await alice.realtime.setAuth(await signUserToken(USER_A, {}, Math.floor(Date.now() / 1000) - 30));
    const result = await subscribe(alice.channel(topic('expired')));
    expect(result.status).toBe('CHANNEL_ERROR');
    expect(result.error?.message).toMatch(/^InvalidJWTToken: Token has expired \d+ seconds ago$/);
  });
});
