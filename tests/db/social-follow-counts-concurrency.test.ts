import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';

/**
 * Follower and following counts stay exact when many users follow and unfollow one user at the same
 * moment: 50 followers on 25 connections toggle concurrently, some ending followed, some not.
 */
const FANS = 50;
const CONNECTIONS = 25;
let db: pg.Client;
let star: Account;
let fans: Account[];

beforeAll(async () => {
  db = await connectAsPostgres();
  star = await createAccount(db);
  fans = [];
  for (let i = 0; i < FANS; i += 1) fans.push(await createAccount(db));
});
afterAll(async () => db?.end());

/** One committed toggle_follow as `fan`. */
async function toggle(client: pg.Client, fan: Account): Promise<void> {
  await client.query('begin');
  try {
    await client.query('set local role authenticated');
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(asVisitor(fan).claims)]);
    await client.query('select public.toggle_follow($1)', [star.id]);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

describe('follow counts under concurrency', () => {
  it(`${FANS} fans toggling at once leave follower_count equal to the follows rows`, async () => {
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => connectAsPostgres()));
    try {
      // Fan i toggles 3 times (ends following) when i is even, 4 times (ends not following) when odd.
      await Promise.all(
        clients.map(async (client, c) => {
          const mine = fans.filter((_, i) => i % CONNECTIONS === c);
          for (let round = 0; round < 4; round += 1) {
            for (const fan of mine) {
              if (round < 3 || fans.indexOf(fan) % 2 === 1) await toggle(client, fan);
            }
          }
        }),
      );
    } finally {
      await Promise.all(clients.map((client) => client.end()));
    }
    const { rows } = await db.query(
      `select p.follower_count::int as counter, (select count(*)::int from public.follows f where f.followed_id = p.id) as rows
       from public.profiles p where p.id = $1`,
      [star.id],
    );
    expect(rows[0]).toEqual({ counter: FANS / 2, rows: FANS / 2 });
    const mismatched = await db.query(
      `select p.id from public.profiles p
       where p.id = any($1) and p.following_count <> (select count(*) from public.follows f where f.follower_id = p.id)`,
      [fans.map((f) => f.id)],
    );
    expect(mismatched.rows).toEqual([]);
  }, 120_000);
});
