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
