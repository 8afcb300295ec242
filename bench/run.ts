/**
 * `npm run bench`: Marquee Local's start-up time, the latency and throughput of a one-row select
 * by primary key under RLS through supabase-js beside the same query sent straight to Postgres with
 * `pg`, and the stack's resident memory idle and under load; then the content benchmark
 * (bench/content.ts) on 1M generated posts. The upload benchmark (bench/upload.ts) runs after the first figures. Prints tables; asserts nothing.
 * BENCH_CONTENT=only runs just the content benchmark, BENCH_CONTENT=skip leaves it out. First, without
 * a stack, the SDK's bundle size (bench/sdk-bundle.ts), except with BENCH_CONTENT=only.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@supabase/supabase-js';
import { SignJWT } from 'jose';
import pg from 'pg';
import ws from 'ws';
import { DEFAULT_ANON_KEY, DEFAULT_DB_PASSWORD, DEFAULT_JWT_SECRET } from '../local/config/keys.ts';
import { findFreePort } from '../local/shared/ports.ts';
import { authBenchmarks } from './auth.ts';
import { contentBenchmarks } from './content.ts';
import { searchBenchmarks } from './search.ts';
import { printSdkBundleSizes } from './sdk-bundle.ts';
import { uploadBenchmark } from './upload.ts';
import { measure, type RunStats } from './stats.ts';
import { spawnStack, treeCpuSeconds, treeRssMiB, type StackProcess } from './stack-process.ts';

const CONCURRENCY = 16;
const CONTENT = process.env.BENCH_CONTENT ?? 'run';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const ROWS = 10_000;

if (CONTENT !== 'only') await printSdkBundleSizes();

const root = await mkdtemp(path.join(tmpdir(), 'marquee-bench-'));
await chmod(root, 0o755);
const ports = { api: await findFreePort(), db: await findFreePort(), mail: await findFreePort(), smtp: await findFreePort() };
const env = {
  MARQUEE_DATA_DIR: path.join(root, 'data'),
  MARQUEE_API_PORT: String(ports.api),
  MARQUEE_DB_PORT: String(ports.db),
  MARQUEE_MAIL_PORT: String(ports.mail),
  MARQUEE_SMTP_PORT: String(ports.smtp),
  // The bench stands for the platform's front proxy: its X-Forwarded-For names many clients.
  MARQUEE_TRUSTED_PROXIES: '127.0.0.1',
};
const apiUrl = `http://127.0.0.1:${ports.api}`;
const dbUrl = (role: string) => `postgresql://${role}:${DEFAULT_DB_PASSWORD}@127.0.0.1:${ports.db}/postgres`;

let stack: StackProcess | undefined;
try {
  const cold = await spawnStack(env);
  await cold.stop();
  stack = await spawnStack(env);
  console.log(`start to ready: ${cold.readyMs} ms on a new data directory (initdb, bootstrap, migrations, seed), ${stack.readyMs} ms on an existing one`);

  if (CONTENT !== 'only') await basicBenchmarks(stack);
  if (CONTENT !== 'only') console.log(await uploadBenchmark(apiUrl, dbUrl('postgres')));
  if (CONTENT !== 'skip') {
    const content = await contentBenchmarks(apiUrl, dbUrl('supabase_admin'), SECONDS);
    printTable(content.rows, 'content benchmark: 1 client');
    for (const note of content.notes) console.log(note);
    await searchBenchmarks(apiUrl, dbUrl('supabase_admin'), SECONDS);
  }
} finally {
  await stack?.stop();
  await rm(root, { recursive: true, force: true });
}

/** The one-row select under RLS, pg direct, memory and Auth (the figures before the content benchmark). */
async function basicBenchmarks(stack: StackProcess) {
  const userId = await createFixture();
  const token = await new SignJWT({ sub: userId, role: 'authenticated', aud: 'authenticated' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(DEFAULT_JWT_SECRET));
  await new Promise((resolve) => setTimeout(resolve, 500)); // let the schema cache reload
  const idleRss = treeRssMiB(stack!.child.pid!);

  const supabase = createClient(apiUrl, DEFAULT_ANON_KEY, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: ws as never },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
  const randomId = () => 1 + Math.floor(Math.random() * ROWS);
  const probe = await supabase.from('bench_items').select('*').eq('id', 1).single();
  if (probe.error) throw new Error(`bench query failed: ${JSON.stringify(probe.error)}`);

  let peakRss = idleRss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, treeRssMiB(stack!.child.pid!))), 500);
  const cpuBefore = { client: process.cpuUsage(), stack: treeCpuSeconds(stack.child.pid!) };
  const viaStack = await measure(async () => {
    const { error } = await supabase.from('bench_items').select('*').eq('id', randomId()).single();
    if (error) throw error;
  }, CONCURRENCY, SECONDS);
  const cpuAfter = { client: process.cpuUsage(cpuBefore.client), stack: treeCpuSeconds(stack.child.pid!) };
  clearInterval(sampler);
  // The 1 s warm-up is inside the CPU window too, so divide by every request made in it.
  const requestsInWindow = viaStack.requests * (1 + 1 / SECONDS);
  const perRequestUs = (seconds: number) => Math.round((seconds * 1e6) / requestsInWindow);
  const cpuLine =
    `CPU per REST request: supabase-js client ${perRequestUs((cpuAfter.client.user + cpuAfter.client.system) / 1e6)} µs, ` +
    `stack Node ${perRequestUs(cpuAfter.stack.node - cpuBefore.stack.node)} µs, ` +
    `Postgres ${perRequestUs(cpuAfter.stack.postgres - cpuBefore.stack.postgres)} µs`;

  // One client at a time: latency without queueing, so the gap to pg is the stack's own cost.
  const viaStackSerial = await measure(async () => {
    const { error } = await supabase.from('bench_items').select('*').eq('id', randomId()).single();
    if (error) throw error;
  }, 1, Math.min(SECONDS, 5));

  const pool = new pg.Pool({ connectionString: dbUrl('postgres'), max: CONCURRENCY });
  const direct = await measure(() => pool.query('select * from public.bench_items where id = $1', [randomId()]), CONCURRENCY, SECONDS);
  const rlsPool = new pg.Pool({ connectionString: dbUrl('authenticator'), max: CONCURRENCY });
  const claims = JSON.stringify({ sub: userId, role: 'authenticated' });
  const selectUnderRls = async () => {
    const client = await rlsPool.connect();
    try {
      await client.query('begin read only');
      await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [claims]);
      await client.query('select * from public.bench_items where id = $1', [randomId()]);
      await client.query('commit');
    } finally {
      client.release();
    }
  };
  const directRls = await measure(selectUnderRls, CONCURRENCY, SECONDS);
  const directRlsSerial = await measure(selectUnderRls, 1, Math.min(SECONDS, 5));
  await pool.end();
  await rlsPool.end();

  const auth = await authBenchmarks(apiUrl, CONCURRENCY, SECONDS);

  printTable(
    [
      [`supabase-js → Marquee Local (RLS), ${CONCURRENCY} clients`, viaStack],
      [`pg direct (postgres, no RLS), ${CONCURRENCY} clients`, direct],
      [`pg direct (authenticated, RLS, same transaction), ${CONCURRENCY} clients`, directRls],
      ['supabase-js → Marquee Local (RLS), 1 client', viaStackSerial],
      ['pg direct (authenticated, RLS, same transaction), 1 client', directRlsSerial],
      ...auth,
    ],
  );
  console.log(`stack overhead at p50 over pg with RLS: ${(viaStack.p50 - directRls.p50).toFixed(2)} ms at ${CONCURRENCY} clients, ${(viaStackSerial.p50 - directRlsSerial.p50).toFixed(2)} ms at 1 client`);
  console.log(cpuLine);
  console.log(`resident memory of the stack (node + postgres): idle ${idleRss} MiB, under load ${peakRss} MiB`);
}

/** A 10,000-row table readable only by its owner, and the owner's id. */
async function createFixture(): Promise<string> {
  const client = new pg.Client({ connectionString: dbUrl('postgres') });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
               'bench@marquee.test', '{}', '{}', now(), now())
       returning id`,
    );
    const userId = rows[0]!.id;
    await client.query(`
      create table public.bench_items (
        id bigint generated always as identity primary key,
        owner_id uuid not null references auth.users (id),
        title text not null,
        created_at timestamptz not null default now()
      );
      create index on public.bench_items (owner_id);
      alter table public.bench_items enable row level security;
      create policy "owners can read their items" on public.bench_items
        for select to authenticated using ((select auth.uid()) = owner_id);
    `);
    await client.query(
      `insert into public.bench_items (owner_id, title) select $1, 'item ' || g from generate_series(1, ${ROWS}) g`,
      [userId],
    );
    await client.query(`analyze public.bench_items; notify pgrst, 'reload schema'`);
    return userId;
  } finally {
    await client.end();
  }
}

function printTable(rows: Array<[string, RunStats]>, title = `1-client runs at most 5 s, auth with ${CONCURRENCY} clients`) {
  console.log(`\n${SECONDS} s a run (${title}), on ${availableParallelism()} cores`);
  console.table(
    Object.fromEntries(
      rows.map(([name, s]) => [name, { 'req/s': s.rps, 'p50 ms': s.p50, 'p95 ms': s.p95, 'p99 ms': s.p99, requests: s.requests, errors: s.errors }]),
    ),
  );
}

