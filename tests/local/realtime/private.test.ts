import type { SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, userClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { Inbox, USER_A, USER_B, closeClients, signUserToken, subscribe } from './fixture.ts';

const topic = (name: string) => `rt-private-${name}-${Math.random().toString(36).slice(2, 8)}`;

/** A client whose realtime connection carries `token`, as a signed-in app's does. */
async function signedIn(token: string): Promise<SupabaseClient> {
  const client = userClient(token);
  await client.realtime.setAuth(token);
  return client;
}

// Both users may read rt-private-* topics; only USER_A may send on them.
const POLICIES = `
  create policy "rt test read" on realtime.messages for select to authenticated
    using (realtime.topic() like 'rt-private-%' and (select auth.uid()) in ('${USER_A}'::uuid, '${USER_B}'::uuid));
  create policy "rt test write" on realtime.messages for insert to authenticated
    with check (realtime.topic() like 'rt-private-%' and (select auth.uid()) = '${USER_A}'::uuid);
`;
const DROP_POLICIES = `
  drop policy if exists "rt test read" on realtime.messages;
  drop policy if exists "rt test write" on realtime.messages;
`;

describe('realtime private channels', () => {
  let db: pg.Client;
  let tokenA: string;
  let tokenB: string;
  const clients: SupabaseClient[] = [];
  const track = <T extends SupabaseClient>(client: T): T => (clients.push(client), client);

  beforeAll(async () => {
    db = new pg.Client({ connectionString: stackEnv().dbUrl });
    await db.connect();
    await db.query(DROP_POLICIES + POLICIES);
    [tokenA, tokenB] = await Promise.all([signUserToken(USER_A), signUserToken(USER_B)]);
  });

  afterAll(async () => {
    await db.query(DROP_POLICIES);
    await db.end();
  });

  afterEach(async () => {
    await closeClients(...clients.splice(0));
  });

  it('lets a user whose policies allow reading join a private channel', async () => {
    const a = track(await signedIn(tokenA));
    expect((await subscribe(a.channel(topic('join'), { config: { private: true } }))).status).toBe('SUBSCRIBED');
  });

  it('refuses a private channel the policies do not open, with Realtime’s reason', async () => {
    const other = track(await signedIn(await signUserToken('00000000-0000-4000-8000-0000000000c3')));
    const name = topic('denied');
    const result = await subscribe(other.channel(name, { config: { private: true } }));
    expect(result.status).toBe('CHANNEL_ERROR');
    expect(result.error?.message).toBe(`Unauthorized: You do not have permissions to read from this Channel topic: ${name}`);

    const anon = track(anonClient());
    expect((await subscribe(anon.channel(name, { config: { private: true } }))).status).toBe('CHANNEL_ERROR');
  });

  it('delivers broadcasts only from members the insert policy lets send', async () => {
    const name = topic('send');
    const a = track(await signedIn(tokenA));
    const b = track(await signedIn(tokenB));
    const aInbox = new Inbox<{ event: string; payload: { from: string } }>();
    const bInbox = new Inbox();
    const aChannel = a.channel(name, { config: { private: true, broadcast: { self: true } } }).on('broadcast', { event: '*' }, aInbox.push);
    const bChannel = b.channel(name, { config: { private: true, broadcast: { ack: true } } }).on('broadcast', { event: '*' }, bInbox.push);
    expect((await subscribe(aChannel)).status).toBe('SUBSCRIBED');
    expect((await subscribe(bChannel)).status).toBe('SUBSCRIBED');

    await aChannel.send({ type: 'broadcast', event: 'hello', payload: { from: 'a' } });
    expect(await bInbox.first()).toMatchObject({ event: 'hello', payload: { from: 'a' } });

    // B may read but not write: Realtime drops the message and sends no ack.
    expect(await bChannel.send({ type: 'broadcast', event: 'hello', payload: { from: 'b' } }, { timeout: 1_000 })).toBe('timed out');
    // Sentinel: A sends after B's message was refused; A hears its own (self) and nothing of B's.
    await aChannel.send({ type: 'broadcast', event: 'sentinel', payload: { from: 'a' } });
    await aInbox.waitFor((items) => items.some((m) => m.event === 'sentinel'), 5_000, 'the sentinel');
    expect(aInbox.items.map((m) => `${m.event}:${m.payload.from}`)).toEqual(['hello:a', 'sentinel:a']);
  });

  it('delivers realtime.send() and realtime.broadcast_changes() to private subscribers', async () => {
    const name = topic('db');
    const a = track(await signedIn(tokenA));
    const inbox = new Inbox<{ event: string; payload: Record<string, unknown> }>();
    await subscribe(a.channel(name, { config: { private: true } }).on('broadcast', { event: '*' }, inbox.push));

    await db.query(`select realtime.send('{"n": 1}'::jsonb, 'sent', $1)`, [name]);
    expect(await inbox.first()).toMatchObject({ event: 'sent', payload: { n: 1 } });

    await db.query(`
      create table if not exists test_fixtures.rt_private_notes (id bigint primary key, body text);
      create or replace function test_fixtures.rt_private_notes_broadcast() returns trigger language plpgsql security definer as $$
      begin
        perform realtime.broadcast_changes('${name}', tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
        return null;
      end $$;
      drop trigger if exists rt_private_notes_broadcast on test_fixtures.rt_private_notes;
      create trigger rt_private_notes_broadcast after insert on test_fixtures.rt_private_notes
        for each row execute function test_fixtures.rt_private_notes_broadcast();
      insert into test_fixtures.rt_private_notes values (1, 'first');`);
    try {
      const items = await inbox.waitFor((all) => all.some((m) => m.event === 'INSERT'));
      expect(items.find((m) => m.event === 'INSERT')?.payload).toMatchObject({
        operation: 'INSERT',
        table: 'rt_private_notes',
        schema: 'test_fixtures',
        record: { id: 1, body: 'first' },
        old_record: null,
      });
    } finally {
      await db.query('drop table test_fixtures.rt_private_notes; drop function test_fixtures.rt_private_notes_broadcast()');
    }
  });

  it('ignores a private realtime.send() for a topic the subscriber may not read', async () => {
    // A public channel of the same name never receives private messages.
    const name = topic('public-twin');
    const a = track(await signedIn(tokenA));
    const inbox = new Inbox<{ event: string }>();
    await subscribe(a.channel(name).on('broadcast', { event: '*' }, inbox.push));
    await db.query(`select realtime.send('{}'::jsonb, 'private-only', $1, true)`, [name]);
    // Sentinel: a public send committed after it; the private one would be delivered first.
    await db.query(`select realtime.send('{}'::jsonb, 'sentinel', $1, false)`, [name]);
    await inbox.first(5_000, 'the sentinel');
    expect(inbox.items.map((m) => m.event)).toEqual(['sentinel']);
  });

  it('closes the channel with a system error when a refreshed token is expired', async () => {
    const name = topic('refresh');
    const a = track(await signedIn(tokenA));
    const system = new Inbox<{ status: string; message: string; extension: string }>();
    const channel = a.channel(name, { config: { private: true } }).on('system', {}, system.push);
    expect((await subscribe(channel)).status).toBe('SUBSCRIBED');
    const expired = await signUserToken(USER_A, {}, Math.floor(Date.now() / 1000) - 10);
    await a.realtime.setAuth(expired);
    const message = await system.first(5_000, 'system message');
    expect(message).toMatchObject({ extension: 'system', status: 'error' });
    expect(message.message).toMatch(/^Token has expired \d+ seconds ago$/);
  });
});
