import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { auditOf, createPost, hiddenAt, moderationNotices } from './moderation-fixtures.ts';

/**
 * The N-th distinct report hides a post exactly once when reports arrive at the same time. Twelve
 * reporters on twelve connections each open a transaction and report one post (threshold 5); only
 * when every one of them has either reported or is waiting on a lock do they commit. Without the
 * post-row lock every report would count only itself and the committed ones, so none would reach
 * the threshold; with it, exactly one automatic hide is audited and notified.
 */
const REPORTERS = 12;
let db: pg.Client;
let connections: { client: pg.Client; pid: number }[];
beforeAll(async () => {
  db = await connectAsPostgres();
  connections = await Promise.all(
    Array.from({ length: REPORTERS }, async () => {
      const client = new pg.Client({ connectionString: stackEnv().dbUrl });
      await client.connect();
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      return { client, pid: rows[0]!.pid };
    }),
  );
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.client.end()));
  await db.end();
});

/** Reports `postId` as `reporter` on `client` inside an open transaction; resolves with the error code, if any. */
async function openReport(client: pg.Client, reporter: Account, postId: number): Promise<string | undefined> {
  const actor = asVisitor(reporter);
  await client.query('begin');
  await client.query(`set local role ${client.escapeIdentifier(actor.role)}`);
  await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
  return client.query(`select public.report_post($1, 'spam', '')`, [postId]).then(
    () => undefined,
    (error: { code: string }) => error.code,
  );
}

describe('concurrent reports', () => {
  it('hide the post exactly once, audited and notified once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const author = await createAccount(db);
      const postId = await createPost(db, author, `Round ${round}`);
      const reporters: Account[] = [];
      for (let i = 0; i < REPORTERS; i += 1) reporters.push(await createAccount(db));
      const pending = connections.map((c, i) => openReport(c.client, reporters[i]!, postId));
      // Every transaction has reported (idle in transaction) or waits on another's lock.
      await waitFor(
        async () => {
          const { rows } = await db.query<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
             where pid = any ($1) and (state = 'idle in transaction' or wait_event_type = 'Lock')`,
            [connections.map((c) => c.pid)],
          );
          return rows[0]!.n === REPORTERS || undefined;
        },
        { what: 'every reporter in its open transaction' },
      );
      const codes = await Promise.all(
        connections.map(async (c, i) => {
          const code = await pending[i];
          await c.client.query(code ? 'rollback' : 'commit');
          return code;
        }),
      );
      expect(codes.filter((code) => code !== undefined)).toEqual([]);
      expect(await hiddenAt(db, postId)).not.toBeNull();
      expect((await auditOf(db, postId)).map((a) => [a.action, a.details.open_reports])).toEqual([['auto_hide', 5]]);
      expect(await moderationNotices(db, author, postId)).toHaveLength(1);
    }
  });
});
