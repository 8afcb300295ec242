import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, userClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { Inbox, USER_A, USER_B, closeClients, quietPeriod, signUserToken, subscribe } from './fixture.ts';

type Item = { id: number; owner: string; label: string; n: number };
type Change = RealtimePostgresChangesPayload<Item>;

const DDL = `
  drop table if exists public.rt_changes_items;
  create table public.rt_changes_items (id bigint primary key, owner uuid not null, label text, n int);
  alter table public.rt_changes_items enable row level security;
  create policy "owners read" on public.rt_changes_items for select to authenticated using ((select auth.uid()) = owner);
  grant select on public.rt_changes_items to authenticated;
`;

describe('realtime postgres_changes', () => {
  let db: pg.Client;
  let nextId = 1;
  const clients: SupabaseClient[] = [];
  const insert = (owner: string, n: number, label = 'x') => db.query('insert into public.rt_changes_items values ($1, $2, $3, $4)', [nextId++, owner, label, n]);

  beforeAll(async () => {
    db = new pg.Client({ connectionString: stackEnv().dbUrl });
    await db.connect();
    await db.query(DDL);
    // as a migration would, as postgres (the publication's owner, as on Supabase)
    await db.query('alter publication supabase_realtime add table public.rt_changes_items');
  });

  afterAll(async () => {
    await db.query('drop table if exists public.rt_changes_items');
    await db.end();
  });

  afterEach(async () => {
    await closeClients(...clients.splice(0));
  });

  async function listen(client: SupabaseClient, filter: { event: '*' | 'INSERT' | 'UPDATE' | 'DELETE'; filter?: string }) {
    clients.push(client);
    const inbox = new Inbox<Change>();
    const system = new Inbox<{ extension: string; status: string; message: string }>();
    const channel = client
      .channel(`changes-${Math.random().toString(36).slice(2, 8)}`)
      .on('postgres_changes', { schema: 'public', table: 'rt_changes_items', ...filter } as never, (payload: Change) => inbox.push(payload))
      .on('system', {}, system.push);
    expect((await subscribe(channel)).status).toBe('SUBSCRIBED');
    expect(await system.first()).toMatchObject({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL' });
    return inbox;
  }

  it('delivers inserts, updates and deletes in realtime-js’s payload shape', async () => {
    const inbox = await listen(serviceClient(), { event: '*' });
    await insert(USER_A, 1, 'first');
    const id = nextId - 1;
    await db.query('update public.rt_changes_items set label = $2 where id = $1', [id, 'second']);
    await db.query('delete from public.rt_changes_items where id = $1', [id]);
    const [created, updated, deleted] = await inbox.waitFor((items) => items.length >= 3, 5_000, 'three changes');
    expect(created).toMatchObject({
      schema: 'public',
      table: 'rt_changes_items',
      eventType: 'INSERT',
      new: { id, owner: USER_A, label: 'first', n: 1 },
      old: {},
      errors: null,
    });
    expect(new Date(created!.commit_timestamp).getTime()).not.toBeNaN();
    expect(updated).toMatchObject({ eventType: 'UPDATE', new: { id, label: 'second' }, old: { id } });
    expect(deleted).toMatchObject({ eventType: 'DELETE', new: {}, old: { id } });
  });

  it('applies the event and the filter of the subscription', async () => {
    const inbox = await listen(serviceClient(), { event: 'INSERT', filter: 'n=gte.5' });
    await insert(USER_A, 4);
    await insert(USER_A, 5);
    await insert(USER_A, 9);
    await db.query('update public.rt_changes_items set n = 10 where n = 5');
    const items = await inbox.waitFor((all) => all.length >= 2, 5_000, 'two inserts');
    await quietPeriod();
    expect(items.map((c) => (c.new as Item).n)).toEqual([5, 9]);

    const listed = await listen(serviceClient(), { event: 'INSERT', filter: 'label=in.(red,blue)' });
    await insert(USER_A, 1, 'green');
    await insert(USER_A, 1, 'blue');
    const [blue] = await listed.waitFor((all) => all.length >= 1);
    await quietPeriod();
    expect(listed.items).toHaveLength(1);
    expect((blue!.new as Item).label).toBe('blue');
  });

  it('only delivers rows the subscriber may select under RLS', async () => {
    const token = await signUserToken(USER_A);
    const a = userClient(token);
    await a.realtime.setAuth(token);
    const inbox = await listen(a, { event: 'INSERT' });
    await insert(USER_B, 100);
    await insert(USER_A, 200);
    const [mine] = await inbox.waitFor((all) => all.length >= 1);
    await quietPeriod();
    expect(inbox.items).toHaveLength(1);
    expect((mine!.new as Item).owner).toBe(USER_A);
  });
});
