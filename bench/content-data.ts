/**
 * The content benchmark's data: 100k users, 1M posts, 5M likes, 200k blocks, 500k follows and 500k
 * comments, generated inside Postgres with generate_series (no rows cross the wire).
 *
 * Bulk loading with every trigger firing per row would take far longer than the 3-minute budget, so
 * the session runs with `session_replication_role = replica` (triggers and FK checks off), the
 * tables' secondary indexes are dropped and rebuilt after the load, and what the triggers would have
 * kept is set in bulk: posts.like_count / comment_count from the same formulas that generate the
 * likes and comments (checked against the rows afterwards), author_active from the authors' status,
 * the list counters by private.recount_listable_posts(), the profiles' follow counts from the
 * follows; then follows across a block are removed with triggers on.
 */
import type pg from 'pg';

export const CONTENT_SIZES = { users: 100_000, posts: 1_000_000, likes: 5_000_000, blocks: 200_000, follows: 500_000, comments: 500_000 };

/** The uuid of generated user n (1-based), the same formula in SQL and here. */
export const benchUserId = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const userSql = (n: string) => `('00000000-0000-4000-8000-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

const U = CONTENT_SIZES.users;
const P = CONTENT_SIZES.posts;

/** The tables whose secondary indexes are rebuilt after the load (primary keys stay). */
const LOADED_TABLES = ['posts', 'post_likes', 'comments', 'follows', 'blocks', 'profiles', 'user_roles', 'notification_preferences'];

const STEPS: Array<[string, string]> = [
  // The generated posts take ids 1..1M (the likes and comments are computed from them), so the seed's
  // demo posts go first; the list counters are recounted after the load.
  ['clear the demo posts', `truncate public.posts restart identity cascade`],
  [
    'users',
    `insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, email_confirmed_at, created_at, updated_at)
     select '00000000-0000-0000-0000-000000000000', ${userSql('n')}, 'authenticated', 'authenticated',
       'bench_' || n || '@marquee.test', '{"provider":"email","providers":["email"]}', '{}', now(), now(), now()
     from generate_series(1, ${U}) n;
     insert into public.profiles (id, username, first_name, status)
     select ${userSql('n')}, 'bench_' || n, 'Bench ' || n,
       (case when n % 100 = 0 then 'suspended' else 'active' end)::public.account_status
     from generate_series(1, ${U}) n;
     insert into public.user_roles (user_id, role)
     select ${userSql('n')}, (case when n % 10 = 0 then 'creator' else 'visitor' end)::public.app_role from generate_series(1, ${U}) n;
     insert into public.notification_preferences (user_id) select ${userSql('n')} from generate_series(1, ${U}) n;`,
  ],
  [
    // Types: 60 % post, 20 % reel, 5 % video, 10 % youtube_video, 5 % youtube_reel; 90 % public,
    // 5 % unlisted, 5 % private; authors n with n % 100 = 0 are suspended; one post every 30 s.
    'posts',
    `insert into public.posts (id, created_by, post_type, post_title, post_description, youtube_id, media_path, visibility,
       author_active, like_count, comment_count, created_at, updated_at)
     overriding system value
     select g, ${userSql('a')}, t.post_type,
       'Post ' || g || ' about ' || (array['dance', 'music', 'cooking', 'travel', 'football', 'cinema', 'science', 'gaming'])[1 + g % 8],
       'Generated description number ' || g,
       case when t.post_type in ('youtube_video', 'youtube_reel') then lpad(to_hex(g), 11, 'a') end,
       case when t.post_type in ('reel', 'video') then ${userSql('a')}::text || '/' || g || '.mp4' end,
       (case when (g * 7) % 20 = 3 then 'private' when (g * 7) % 20 = 4 then 'unlisted' else 'public' end)::public.post_visibility,
       a % 100 <> 0, g % 11, (g % 2 = 0)::int,
       now() - (${P} - g) * interval '30 seconds', now()
     from generate_series(1::bigint, ${P}) g
     cross join lateral (select (g * 7919) % ${U} + 1 as a) author
     cross join lateral (select (case when g % 20 < 12 then 'post' when g % 20 < 16 then 'reel' when g % 20 = 16 then 'video'
                                      when g % 20 < 19 then 'youtube_video' else 'youtube_reel' end)::public.post_type as post_type) t;
     select setval(pg_get_serial_sequence('public.posts', 'id'), ${P});`,
  ],
  [
    // Post g gets g % 11 likes (5M in all) from distinct users: (g·7919 + j·4729) mod 100000 differs for j = 1…10.
    'likes',
    `insert into public.post_likes (post_id, user_id, created_at)
     select g, ${userSql(`(g * 7919 + j * 4729) % ${U} + 1`)}, now()
     from generate_series(1::bigint, ${P}) g cross join lateral generate_series(1, g % 11) j;`,
  ],
  [
    'comments',
    `insert into public.comments (post_id, created_by, comment, created_at)
     select g, ${userSql(`(g * 31) % ${U} + 1`)}, 'Nice one, number ' || g, now() - (${P} - g) * interval '30 seconds' + interval '1 minute'
     from generate_series(2::bigint, ${P}, 2) g;`,
  ],
  [
    'blocks and follows',
    `insert into public.blocks (blocker_id, blocked_id)
     select ${userSql('n')}, ${userSql(`(n * 17 + k * 7) % ${U} + 1`)}
     from generate_series(1::bigint, ${U}) n cross join generate_series(1, 2) k
     where (n * 17 + k * 7) % ${U} + 1 <> n;
     insert into public.follows (follower_id, followed_id)
     select ${userSql('n')}, ${userSql(`(n * 13 + k * 101) % ${U} + 1`)}
     from generate_series(1::bigint, ${U}) n cross join generate_series(1, 5) k
     where (n * 13 + k * 101) % ${U} + 1 <> n
     on conflict do nothing;`,
  ],
];

/**
 * Loads the data set; returns the seconds each step took. Run once, on a database without bench rows,
 * as a superuser (`session_replication_role` needs one). `connect` opens another session for
 * building indexes two at a time (a GIN build is single-threaded, so the btrees go beside it).
 */
export async function generateContent(db: pg.Client, connect: () => Promise<pg.Client>): Promise<Array<[string, number]>> {
  const timings: Array<[string, number]> = [];
  const timed = async (name: string, work: () => Promise<unknown>) => {
    const t0 = performance.now();
    await work();
    timings.push([name, Math.round((performance.now() - t0) / 100) / 10]);
  };
  await db.query(`set session_replication_role = replica; set maintenance_work_mem = '256MB'; set synchronous_commit = off`);
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
     from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relname = any ($1) and not i.indisprimary and not i.indisunique
       and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)`,
    [LOADED_TABLES],
  );
  await timed('drop secondary indexes', () => db.query(indexes.map((i) => `drop index ${i.name};`).join('\n')));
  for (const [name, sql] of STEPS) await timed(name, () => db.query(sql));
  await timed('rebuild secondary indexes', async () => {
    const second = await connect();
    try {
      await second.query(`set maintenance_work_mem = '256MB'`);
      const queue = [...indexes].sort((a, b) => Number(/using gin/i.test(b.def)) - Number(/using gin/i.test(a.def)));
      const worker = async (session: pg.Client) => {
        for (let next = queue.shift(); next; next = queue.shift()) await session.query(next.def);
      };
      await Promise.all([worker(db), worker(second)]);
    } finally {
      await second.end();
    }
  });
  // Still with triggers off: the follow counts the follows trigger would have kept, so the block
  // clean-up below (triggers on) takes them down from the right numbers.
  await timed('follow counts', () =>
    db.query(`
      update public.profiles p set follower_count = coalesce(f.n, 0), following_count = coalesce(g.n, 0)
      from public.profiles q
      left join (select followed_id as id, count(*) as n from public.follows group by 1) f on f.id = q.id
      left join (select follower_id as id, count(*) as n from public.follows group by 1) g on g.id = q.id
      where p.id = q.id`),
  );
  await db.query('set session_replication_role = origin');
  await timed('counters, block clean-up, analyze', () =>
    db.query(`
      delete from public.follows f using public.blocks b
      where (f.follower_id = b.blocker_id and f.followed_id = b.blocked_id) or (f.follower_id = b.blocked_id and f.followed_id = b.blocker_id);
      select private.recount_listable_posts();
      analyze;`),
  );
  await timed('check counters against rows', async () => {
    const { rows } = await db.query<{ bad: string }>(
      `select count(*) as bad from public.posts p
       where p.like_count <> (select count(*) from public.post_likes l where l.post_id = p.id)
          or p.comment_count <> (select count(*) from public.comments c where c.post_id = p.id)
       limit 1`,
    );
    if (rows[0]!.bad !== '0') throw new Error(`${rows[0]!.bad} posts have counters that differ from their rows`);
    const { rows: profiles } = await db.query<{ bad: string }>(
      `select count(*) as bad from public.profiles p
       where p.follower_count <> (select count(*) from public.follows f where f.followed_id = p.id)
          or p.following_count <> (select count(*) from public.follows f where f.follower_id = p.id)`,
    );
    if (profiles[0]!.bad !== '0') throw new Error(`${profiles[0]!.bad} profiles have follow counts that differ from their rows`);
  });
  return timings;
}
