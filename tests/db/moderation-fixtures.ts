import type pg from 'pg';
import type { Actor } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';

/**
 * Fixtures the moderation tests share: one committed call as an actor (PostgREST runs each request
 * in its own transaction, and the auto-hide and the audit are side effects that must commit), posts
 * and reports written as postgres, and readers of the audit and notifications.
 */

export interface Failure {
  code: string;
  message: string;
  detail?: unknown;
}

/** Runs one statement as `actor` in its own committed transaction; a failure is returned, not thrown. */
export async function callAs<T = unknown>(
  db: pg.Client,
  actor: Actor,
  sql: string,
  params: unknown[] = [],
): Promise<{ value?: T; rows: Record<string, unknown>[]; error?: Failure }> {
  await db.query('begin');
  try {
    await db.query(`set local role ${db.escapeIdentifier(actor.role)}`);
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
    const { rows, fields } = await db.query(sql, params);
    await db.query('commit');
    return { value: (fields.length > 0 ? rows[0]?.[fields[0]!.name] : undefined) as T, rows };
  } catch (error) {
    await db.query('rollback');
    const e = error as { code: string; message: string; detail?: string };
    let detail: unknown = e.detail;
    try {
      detail = e.detail === undefined ? undefined : JSON.parse(e.detail);
    } catch {
      // a plain-text detail
    }
    return { rows: [], error: { code: e.code, message: e.message, ...(detail !== undefined ? { detail } : {}) } };
  }
}

/** A public post by `author`, written as postgres; returns its id. */
export async function createPost(db: pg.Client, author: Account, title = 'A reported post', type = 'post'): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.posts (created_by, post_title, post_type, media_path)
     values ($1::uuid, $2, $3::public.post_type, case when $3::text in ('reel', 'video') then $1::text || '/v.mp4' end) returning id`,
    [author.id, title, type],
  );
  return Number(rows[0]!.id);
}

/** `count` new active users, each of whom reports the post as postgres with `reason`. */
export async function reportBy(db: pg.Client, postId: number, count: number, reason = 'spam'): Promise<Account[]> {
  const reporters: Account[] = [];
  for (let i = 0; i < count; i += 1) {
    const reporter = await createAccount(db);
    await db.query('insert into public.post_reports (user_id, post_id, reason) values ($1, $2, $3)', [reporter.id, postId, reason]);
    reporters.push(reporter);
  }
  return reporters;
}

export async function hiddenAt(db: pg.Client, postId: number): Promise<Date | null> {
  const { rows } = await db.query<{ moderation_hidden_at: Date | null }>('select moderation_hidden_at from public.posts where id = $1', [postId]);
  return rows[0]!.moderation_hidden_at;
}

export async function auditOf(db: pg.Client, postId: number) {
  const { rows } = await db.query<{ action: string; actor: string; note: string; details: Record<string, unknown>; post_author_id: string }>(
    'select action, actor, note, details, post_author_id from public.moderation_actions where post_id = $1 order by id',
    [postId],
  );
  return rows;
}

export async function moderationNotices(db: pg.Client, user: Account, postId: number): Promise<string[]> {
  const { rows } = await db.query<{ message: string }>(
    `select message from public.notifications where user_id = $1 and page = 'post' and page_item_id = $2 and notification_type = 'general' order by id`,
    [user.id, postId],
  );
  return rows.map((r) => r.message);
}
