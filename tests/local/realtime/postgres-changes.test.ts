import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, userClient } from '../../helpers/clients.ts';
import { stackEnv } from '../../helpers/env.ts';
import { Inbox, USER_A, USER_B, closeClients, signUserToken, subscribe } from './fixture.ts';

type Item = { id: number; owner: string; label: string; n: number };
type Change = RealtimePostgresChangesPayload<Item>;

const DDL = `
  drop table if exists test_fixtures.rt_changes_items;
  create table test_fixtures.rt_changes_items (id bigint primary key, owner uuid not null, label text, n int);
  alter table test_fixtures.rt_changes_items enable row level security;
  create policy "owners read" on test_fixtures.rt_changes_items for select to authenticated using ((select auth.uid()) = owner);
  grant select on test_fixtures.rt_changes_items to authenticated;
`;

describe('realtime postgres_changes', () => {
  let db: pg.Client;
  let nextId = 1;
  const clients: SupabaseClient[] = [];
  const insert = (owner: string, n: number, label = 'x') => db.query('insert into test_fixtures.rt_changes_items values ($1, $2, $3, $4)', [nextId++, owner, label, n]);

  beforeAll(async () => {
    db = new pg.Client({ connectionString: stackEnv().dbUrl });
    await db.connect();
    await db.query(DDL);
    // as a migration would, as postgres (the publication's owner, as on Supabase)
    await db.query('alter publication supabase_realtime add table test_fixtures.rt_changes_items');
  });

  afterAll(async () => {
    await db.query('drop table if exists test_fixtures.rt_changes_items');
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
      .on('postgres_changes', { schema: 'test_fixtures', table: 'rt_changes_items', ...filter } as never, (payload: Change) => inbox.push(payload))
      .on('system', {}, system.push);
    expect((await subscribe(channel)).status).toBe('SUBSCRIBED');
    expect(await system.first()).toMatchObject({ extension: 'postgres_changes', status: 'ok', message: 'Subscribed to PostgreSQL' });
    return inbox;
  }

  it('delivers inserts, updates and deletes in realtime-js’s payload shape', async () => {
    const inbox = await listen(serviceClient(), { event: '*' });
    await insert(USER_A, 1, 'first');
    const id = nextId - 1;
    await db.query('update test_fixtures.rt_changes_items set label = $2 where id = $1', [id, 'second']);
    await db.query('delete from test_fixtures.rt_changes_items where id = $1', [id]);
    const [created, updated, deleted] = await inbox.waitFor((items) => items.length >= 3, 5_000, 'three changes');
    expect(created).toMatchObject({
      schema: 'test_fixtures',
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
    await db.query('update test_fixtures.rt_changes_items set n = 10 where n = 5');
    // Sentinel: a matching insert committed last; changes arrive in commit order.
    await insert(USER_A, 99);
    const items = await inbox.waitFor((all) => all.some((c) => (c.new as Item).n === 99), 5_000, 'the sentinel insert');
    expect(items.map((c) => (c.new as Item).n)).toEqual([5, 9, 99]);

    const listed = await listen(serviceClient(), { event: 'INSERT', filter: 'label=in.(red,blue)' });
    await insert(USER_A, 1, 'green');
    await insert(USER_A, 1, 'blue');
    await insert(USER_A, 1, 'red');
    await listed.waitFor((all) => all.some((c) => (c.new as Item).label === 'red'), 5_000, 'the sentinel insert');
    expect(listed.items.map((c) => (c.new as Item).label)).toEqual(['blue', 'red']);
  });

  it('only delivers rows the subscriber may select under RLS', async () => {
    const token = await signUserToken(USER_A);
    const a = userClient(token);
    await a.realtime.setAuth(token);
    const inbox = await listen(a, { event: 'INSERT' });
    await insert(USER_B, 100);
    // USER_A's own row, committed after USER_B's, is the sentinel: USER_B's would arrive first.
    await insert(USER_A, 200);
    await inbox.waitFor((all) => all.some((c) => (c.new as Item).n === 200), 5_000, "USER_A's row");
    expect(inbox.items.map((c) => (c.new as Item).owner)).toEqual([USER_A]);
  });
});
