/**
 * The search benchmark, on the content benchmark's generated data (1M posts, 100k users; run after
 * bench/content.ts has loaded it): p50/p99 of the `search` function through the whole stack (fetch →
 * gateway → Deno function → REST → Postgres) beside the very same RPC run straight in Postgres as the
 * same signed-in viewer (role authenticated, their claims), for common words, rare words, typos,
 * prefixes and usernames, plus the trending list and a faceted video search. One client, so the
 * figures are latency without queueing. Prints a table and the plan of the common-word search; asserts
 * nothing. Targets: p99 < 50 ms through the stack, < 20 ms in SQL.
 */
import { SignJWT } from 'jose';
import pg from 'pg';
import { DEFAULT_ANON_KEY, DEFAULT_JWT_SECRET } from '../local/config/keys.ts';
import { benchUserId } from './content-data.ts';
import { measure, type RunStats } from './stats.ts';

const VIEWER = benchUserId(1);
const RARE_WORD = 'quixotic';

/** What is searched: [label, function path and query string, the same call in SQL, its arguments]. */
const CASES: Array<[string, string, string, unknown[]]> = [
  ['common word "dance" (125k title matches)', 'search?query=dance', 'select public.search_posts($1)', ['dance']],
  ['two common words "music about"', 'search?query=music%20about', 'select public.search_posts($1)', ['music about']],
  [`rare word "${RARE_WORD}" (20 posts)`, `search?query=${RARE_WORD}`, 'select public.search_posts($1)', [RARE_WORD]],
  ['typo of a common word "dnace"', 'search?query=dnace', 'select public.search_posts($1)', ['dnace']],
  ['typo of a rare word "quixtoic"', 'search?query=quixtoic', 'select public.search_posts($1)', ['quixtoic']],
  ['prefix "cook"', 'search?query=cook', 'select public.search_posts($1)', ['cook']],
  ['username "bench_4242"', 'search?query=bench_4242', 'select public.search_posts($1)', ['bench_4242']],
  ['page 5 of "travel"', 'search?query=travel&page=5', 'select public.search_posts($1, 5)', ['travel']],
  ['trending list (no query)', 'search/trending', 'select public.trending_posts()', []],
  ['video search "gaming" with facets', 'search/videos?q=gaming', 'select public.search_videos($1)', ['gaming']],
];

async function viewerToken(): Promise<string> {
  return new SignJWT({ sub: VIEWER, role: 'authenticated', aud: 'authenticated', account_status: 'active', user_role: 'visitor' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(DEFAULT_JWT_SECRET));
}

/** A connection that acts as the viewer for every statement, as PostgREST would set it. */
async function viewerConnection(adminUrl: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => {}); // the stack stopping ends it; the failure that stopped it is what matters
  await client.connect();
  await client.query(`select set_config('request.jwt.claims', $1, false)`, [JSON.stringify({ sub: VIEWER, role: 'authenticated', account_status: 'active', user_role: 'visitor' })]);
  await client.query('set role authenticated');
  return client;
}

export async function searchBenchmarks(apiUrl: string, adminUrl: string, seconds: number): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  admin.on('error', () => {});
  await admin.connect();
  // The rare word: 20 public posts by active generated users; then fresh statistics.
  await admin.query(
    `insert into public.posts (created_by, post_title, post_description)
     select ('00000000-0000-4000-8000-' || lpad(to_hex(g + 2), 12, '0'))::uuid, 'A ${RARE_WORD} journey ' || g, 'Rare words'
     from generate_series(1, 20) g;
     analyze public.posts; analyze private.search_words; analyze public.profiles;`,
  );
  const plan = await admin.query(`explain (analyze, buffers, costs off)
    select * from private.search_post_candidates(private.search_term_patterns(array['dance']), private.search_matching_authors('dance'), 0, 21)`);
  await admin.end();

  const token = await viewerToken();
  const sql = await viewerConnection(adminUrl);
  const call = async (path: string) => {
    const response = await fetch(`${apiUrl}/functions/v1/${path}`, { headers: { apikey: DEFAULT_ANON_KEY, Authorization: `Bearer ${token}` } });
    const body = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${body}`);
  };
  // Start the function's worker; a case that fails is still measured (its errors are counted in the table).
  for (const [, path] of CASES) await call(path).catch((error: unknown) => console.log(`search bench: ${String(error)}`));

  const rows: Array<[string, RunStats, RunStats]> = [];
  const perRun = Math.min(seconds, 5);
  try {
    for (const [label, path, statement, args] of CASES) {
      const viaStack = await measure(() => call(path), 1, perRun);
      const inSql = await measure(() => sql.query(statement, args), 1, perRun);
      rows.push([label, viaStack, inSql]);
    }
  } finally {
    await sql.end();
  }

  const width = Math.max(...rows.map(([label]) => label.length));
  const cell = (s: RunStats) => `${s.p50.toFixed(2).padStart(7)} ${s.p99.toFixed(2).padStart(7)}${s.errors ? ` (${s.errors} errors)` : ''}`;
  console.log(`\nsearch benchmark: 1 client, ${perRun} s a run, ms (targets: p99 < 50 through the stack, < 20 in SQL)`);
  console.log(`${'search'.padEnd(width)}  ${'function p50     p99'.padEnd(20)}  SQL p50     p99`);
  for (const [label, viaStack, inSql] of rows) console.log(`${label.padEnd(width)}  ${cell(viaStack)}      ${cell(inSql)}`);
  console.log(`\nplan of the common-word search's matching (as postgres, EXPLAIN ANALYZE):\n${plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n')}`);
}
