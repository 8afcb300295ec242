import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';
import { auditOf, callAs, createPost, hiddenAt, moderationNotices } from './moderation-fixtures.ts';

/**
 * The N-th distinct report hides a post exactly once when reports arrive at the same time: twelve
 * reporters on twelve connections report one post at once (threshold 5), several rounds. Exactly one
 * automatic hide is audited and notified; every report either lands or, once the post is hidden,
 * finds it gone (404) — no deadlock, no double hide.
 */
const REPORTERS = 12;
let db: pg.Client;
let connections: pg.Client[];
beforeAll(async () => {
  db = await connectAsPostgres();
  connections = await Promise.all(
    Array.from({ length: REPORTERS }, async () => {
      const c = new pg.Client({ connectionString: stackEnv().dbUrl });
      await c.connect();
      return c;
    }),
  );
});
afterAll(async () => {
  await Promise.all(connections.map((c) => c.end()));
  await db.end();
});

describe('concurrent reports', () => {
  it('hide the post exactly once, audited and notified once', async () => {
    for (let round = 0; round < 4; round += 1) {
      const author = await createAccount(db);
      const postId = await createPost(db, author, `Round ${round}`);
      const reporters: Account[] = [];
      for (let i = 0; i < REPORTERS; i += 1) reporters.push(await createAccount(db));
      const outcomes = await Promise.all(
        reporters.map((reporter, i) => callAs(connections[i]!, asVisitor(reporter), `select public.report_post($1, 'spam', '')`, [postId])),
      );
      const failures = outcomes.filter((o) => o.error).map((o) => o.error!.code);
      expect(failures.every((code) => code === 'PT404')).toBe(true);
      expect(outcomes.filter((o) => !o.error).length).toBeGreaterThanOrEqual(5);
      expect(await hiddenAt(db, postId)).not.toBeNull();
      expect((await auditOf(db, postId)).map((a) => a.action)).toEqual(['auto_hide']);
      expect(await moderationNotices(db, author, postId)).toHaveLength(1);
    }
  });
});
