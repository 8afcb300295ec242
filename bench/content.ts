/**
 * The content benchmark: on the generated data set (bench/content-data.ts), one signed-in user's
 * feed page, reels page, post detail, like and comment through the whole stack (supabase-js → the
 * gateway → REST → Postgres), each beside the very same request sent as `service_role` carrying the
 * same user's id (`sub`), so the SQL, the viewer's exclusions and the result are identical and only
 * row level security is off. One client, so the figures are latency without queueing. Prints the
 * figures, the RLS/unprotected ratios and the plans of the feed page's statements.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import ws from 'ws';
import { DEFAULT_ANON_KEY, DEFAULT_JWT_SECRET } from '../local/config/keys.ts';
import { benchUserId, generateContent } from './content-data.ts';
import { measure, round, type RunStats } from './stats.ts';

/** The reader: generated user 1 (active, with blocks both ways). */
const VIEWER = benchUserId(1);

/**
 * The two writes, as REST requests: inserts into post_likes and comments, which the tables' insert
 * policies decide for the user (the owner column defaults to the token's `sub`). Not the like_post / add_comment RPCs, because the service_role side
 * must run the same statement and those RPCs refuse a caller without an active account's claims.
 */
const WRITES = {
  like: (client: SupabaseClient, postId: number) => client.from('post_likes').insert({ post_id: postId }),
  comment: (client: SupabaseClient, postId: number) =>
    client.from('comments').insert({ post_id: postId, comment: 'Benchmark comment' }),
};
export const WRITE_LABELS = { like: 'insert into post_likes via REST', comment: 'insert into comments via REST' };

async function token(role: 'authenticated' | 'service_role') {
  const claims = role === 'authenticated' ? { role, aud: 'authenticated', account_status: 'active', user_role: 'visitor' } : { role };
  return new SignJWT({ sub: VIEWER, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(DEFAULT_JWT_SECRET));
}

function clientFor(apiUrl: string, bearer: string): SupabaseClient {
  return createClient(apiUrl, DEFAULT_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: ws as never },
    global: { headers: { Authorization: `Bearer ${bearer}` } },
  });
}

/** Listable posts the viewer can see and has not liked, newest first: the detail, like and comment targets. */
async function targetPosts(admin: pg.Client, n: number): Promise<number[]> {
  const { rows } = await admin.query<{ id: string }>(
    `select p.id from public.posts p
     where p.visibility = 'public' and p.author_active
       and not exists (select 1 from public.blocks b where (b.blocker_id = $1 and b.blocked_id = p.created_by) or (b.blocked_id = $1 and b.blocker_id = p.created_by))
       and not exists (select 1 from public.post_likes l where l.post_id = p.id and l.user_id = $1)
     order by p.id desc limit $2`,
    [VIEWER, n],
  );
  return rows.map((r) => Number(r.id));
}

/** auto_explain's plans of every statement the feed page RPC runs, as the given role. */
async function feedPlans(adminUrl: string, role: 'authenticated' | 'service_role'): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const plans: string[] = [];
  client.on('notice', (notice) => plans.push(notice.message ?? ''));
  try {
    await client.query(`load 'auto_explain'; set auto_explain.log_min_duration = 0; set auto_explain.log_analyze = on;
      set auto_explain.log_buffers = on; set auto_explain.log_nested_statements = on; set auto_explain.log_level = notice`);
    await client.query(`set role ${role}`);
    await client.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ sub: VIEWER, role, account_status: 'active', user_role: 'visitor' })]);
    await client.query('select public.list_posts()'); // warm
    plans.length = 0;
    await client.query('select public.list_posts()');
  } finally {
    await client.end();
  }
  // The statements that touch posts: the page and the count; the helpers' small lookups are left out.
  return plans.filter((p) => /public\.posts p|from public\.posts/.test(p) && !/^duration: [\d.]+ ms\s+plan:\s+Query Text: select public\.list_posts/.test(p));
}

export interface ContentResults {
  rows: Array<[string, RunStats]>;
  notes: string[];
}

export async function contentBenchmarks(apiUrl: string, adminUrl: string, seconds: number): Promise<ContentResults> {
  const notes: string[] = [];
  const connect = async () => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    return client;
  };
  const admin = await connect();
  const started = performance.now();
  const timings = await generateContent(admin, connect);
  notes.push(`content data generated in ${round((performance.now() - started) / 1000)} s (${timings.map(([step, s]) => `${step} ${s} s`).join(', ')})`);
  const targets = await targetPosts(admin, 40_000);
  await admin.end();

  const user = clientFor(apiUrl, await token('authenticated'));
  const service = clientFor(apiUrl, await token('service_role'));
  const ok = async (request: PromiseLike<{ error: unknown }>) => {
    const { error } = await request;
    if (error) throw new Error(JSON.stringify(error));
  };
  for (const client of [user, service]) await ok(client.rpc('list_posts', {})); // fail loudly before measuring

  // Disjoint halves of the targets, so neither run likes a post twice.
  const half = targets.length / 2;
  const cursors = { authenticated: 0, service_role: half };
  const nextTarget = (role: keyof typeof cursors) => targets[cursors[role]++ % targets.length]!;
  const detailTarget = () => targets[Math.floor(Math.random() * targets.length)]!;

  const ops: Array<[string, (client: SupabaseClient, role: keyof typeof cursors) => Promise<void>]> = [
    ['feed page (list_posts, 10 items)', (c) => ok(c.rpc('list_posts', {}))],
    ['reels page (list_reels, 30 items)', (c) => ok(c.rpc('list_reels', {}))],
    ['post detail (get_post)', (c) => ok(c.rpc('get_post', { p_post_id: detailTarget() }))],
    [`like (${WRITE_LABELS.like})`, (c, role) => ok(WRITES.like(c, nextTarget(role)))],
    [`comment (${WRITE_LABELS.comment})`, (c, role) => ok(WRITES.comment(c, nextTarget(role)))],
  ];
  const rows: Array<[string, RunStats]> = [];
  for (const [name, op] of ops) {
    const rls = await measure(() => op(user, 'authenticated'), 1, seconds);
    const unprotected = await measure(() => op(service, 'service_role'), 1, seconds);
    rows.push([`${name}: user (RLS)`, rls], [`${name}: service_role (no RLS)`, unprotected]);
    notes.push(`${name}: RLS / no RLS = ${round(rls.p50 / unprotected.p50)}× at p50, ${round(rls.p99 / unprotected.p99)}× at p99`);
  }
  for (const role of ['authenticated', 'service_role'] as const) {
    notes.push(`\nplans of the feed page's statements on posts, as ${role} (EXPLAIN ANALYZE, BUFFERS via auto_explain):\n${(await feedPlans(adminUrl, role)).join('\n')}`);
  }
  return { rows, notes };
}
