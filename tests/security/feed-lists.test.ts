import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedWorld, type FeedWorld } from '../db/feed-fixtures.ts';
import { anonClient, userClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { signUserToken } from '../helpers/tokens.ts';

/**
 * Hostile clients against the lists: raw supabase-js and raw HTTP through the gateway, signed out and
 * signed in, trying to reach private, blocked, suspended, hidden or reported content through the list
 * RPCs, the detail RPC, raw REST on `posts`, and the private helpers behind them.
 */
let db: pg.Client;
let w: FeedWorld;
let viewerToken: string;

beforeAll(async () => {
  db = await connectAsPostgres();
  w = await createFeedWorld(db);
  viewerToken = await signUserToken(w.viewer.id, { account_status: 'active', user_role: 'visitor' });
});
afterAll(async () => {
  await db.end();
});

interface Envelope {
  count: number;
  results: Array<Record<string, unknown>>;
}
const ids = (page: Envelope) => page.results.map((r) => Number(r.id ?? r.post));

describe('signed out', () => {
  it('list_posts shows no private, unlisted or suspended content', async () => {
    const { data, error } = await anonClient().rpc('list_posts', { p_search: w.token, p_page_size: 100 });
    expect(error).toBeNull();
    const page = data as Envelope;
    for (const hidden of [w.posts.authorPrivate, w.posts.authorUnlisted, w.posts.viewerPrivate, w.posts.bySuspended]) expect(ids(page)).not.toContain(hidden);
    expect(ids(page)).toContain(w.posts.authorPublic);
    expect(page.count).toBe(page.results.length);
    expect(JSON.stringify(page)).not.toMatch(/private|by suspended/);
  });

  it('raw HTTP GET on the RPC agrees', async () => {
    const stack = stackEnv();
    const response = await fetch(`${stack.url}/rest/v1/rpc/list_posts?p_search=${w.token}&p_page_size=100`, { headers: { apikey: stack.anonKey } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as Envelope;
    expect(ids(page)).not.toContain(w.posts.authorPrivate);
    expect(ids(page)).not.toContain(w.posts.bySuspended);
  });

  it("raw REST on posts returns no private post and no suspended author's post", async () => {
    const { data, error } = await anonClient().from('posts').select('id').in('id', Object.values(w.posts));
    expect(error).toBeNull();
    const seen = (data ?? []).map((r) => Number(r.id));
    expect(seen).not.toContain(w.posts.authorPrivate);
    expect(seen).not.toContain(w.posts.viewerPrivate);
    expect(seen).not.toContain(w.posts.bySuspended);
    expect(seen).toContain(w.posts.authorPublic);
  });

  it("get_post answers 404 for a private or suspended author's post", async () => {
    for (const post of [w.posts.authorPrivate, w.posts.bySuspended]) {
      const { error, status } = await anonClient().rpc('get_post', { p_post_id: post });
      expect(status).toBe(404);
      expect(error).toMatchObject({ message: 'Not found.' });
    }
  });

  it("a suspended author's posts are gone from their list", async () => {
    const { data } = await anonClient().rpc('list_user_posts', { p_user_id: w.suspended.id });
    expect(data).toMatchObject({ count: 0, results: [] });
  });
});

describe('signed in', () => {
  it('list_posts leaves out both sides of a block, hidden and reported posts', async () => {
    const { data, error } = await userClient(viewerToken).rpc('list_posts', { p_search: w.token, p_page_size: 100 });
    expect(error).toBeNull();
    const page = data as Envelope;
    for (const out of [w.posts.byBlocker, w.posts.byBlockedByViewer, w.posts.hiddenByViewer, w.posts.reportedByViewer, w.posts.authorPrivate]) {
      expect(ids(page)).not.toContain(out);
    }
    expect(page.count).toBe(page.results.length);
  });

  it('raw REST on posts hides both sides of a block and private posts', async () => {
    const { data } = await userClient(viewerToken).from('posts').select('id').in('id', Object.values(w.posts));
    const seen = (data ?? []).map((r) => Number(r.id));
    for (const out of [w.posts.byBlocker, w.posts.byBlockedByViewer, w.posts.authorPrivate, w.posts.bySuspended]) expect(seen).not.toContain(out);
    expect(seen).toContain(w.posts.viewerPrivate);
  });

  it('get_post and list_user_posts refuse content across a block', async () => {
    const { status } = await userClient(viewerToken).rpc('get_post', { p_post_id: w.posts.byBlocker });
    expect(status).toBe(404);
    const { data } = await userClient(viewerToken).rpc('list_user_posts', { p_user_id: w.blocker.id });
    expect(data).toMatchObject({ count: 0, results: [] });
  });

  it('an ordering outside the four is refused, never spliced into SQL', async () => {
    const { error } = await userClient(viewerToken).rpc('list_posts', { p_ordering: 'id; select 1' });
    expect(error).toMatchObject({ code: '22023' });
  });

  it('the private helpers are not reachable through the API', async () => {
    const client = userClient(viewerToken);
    const flags = await client.rpc('viewer_post_flags' as never, { p_post_ids: [w.posts.authorPublic] } as never);
    expect(flags.error).not.toBeNull();
    const schema = await client.schema('private' as never).rpc('viewer_excluded_post_ids' as never);
    expect(schema.error).not.toBeNull();
    const counters = await client.schema('private' as never).from('post_list_counters' as never).select('*');
    expect(counters.error).not.toBeNull();
  });
});
