import { describe, expect, it } from 'vitest';
import { anonClient } from '../helpers/clients.ts';
import { connectAsPostgres } from '../helpers/db.ts';

/** supabase/seed.sql: demo users whose passwords meet the policy, hashed as Auth hashes (bcrypt, cost 10). */
const DEMO = [
  ['alice@marquee.test', 'Marquee-demo-1'],
  ['bob@marquee.test', 'Marquee-demo-2'],
  ['admin@marquee.test', 'Marquee-demo-admin1'],
] as const;

describe('seed.sql demo users', () => {
  it('are hashed at bcrypt cost 10, as GoTrue writes ($2a$10$)', async () => {
    const db = await connectAsPostgres();
    try {
      const { rows } = await db.query<{ email: string; encrypted_password: string }>(
        'select email, encrypted_password from auth.users where email = any($1) order by email',
        [DEMO.map(([email]) => email)],
      );
      expect(rows).toHaveLength(DEMO.length);
      for (const row of rows) expect(row.encrypted_password, row.email).toMatch(/^\$2a\$10\$/);
    } finally {
      await db.end();
    }
  });

  it.each(DEMO)('%s signs in with its documented password', async (email, password) => {
    const { data, error } = await anonClient().auth.signInWithPassword({ email, password });
    expect(error).toBeNull();
    expect(data.user?.email).toBe(email);
  });
});

describe('seed.sql demo content', () => {
  it('is listed for signed-out readers with the counters, tags and mention its triggers made', async () => {
    const { data, error } = await anonClient().rpc('list_posts', { p_tag: 'welcome', p_page_size: 100 });
    expect(error).toBeNull();
    const titles = (data as { results: { post_title: string; like_count: number; comment_count: number }[] }).results;
    expect(titles.find((p) => p.post_title === 'Welcome to Marquee')).toMatchObject({ like_count: 1, comment_count: 1 });
    const db = await connectAsPostgres();
    try {
      const { rows } = await db.query(
        `select pr.username::text as mentioned, (select follower_count from public.profiles where username = 'alice') as followers
         from public.post_mentions m join public.posts p on p.id = m.post_id join public.profiles pr on pr.id = m.user_id
         where p.post_title = 'Hello from Bob'`,
      );
      expect(rows).toEqual([{ mentioned: 'alice', followers: '1' }]);
    } finally {
      await db.end();
    }
  });
});
