import type pg from 'pg';
import { runAs, type Actor } from '../helpers/db.ts';
import type { Account } from './accounts-fixtures.ts';

/**
 * Fixtures the videos tests share: video rows made as `postgres` (as the uploads processing would
 * leave them) and a premium override that lives only inside one rolled-back transaction.
 */
export interface VideoOptions {
  visibility?: 'public' | 'unlisted' | 'private';
  type?: 'video' | 'reel';
  requirePremium?: boolean;
  allowDownload?: boolean;
  status?: 'uploading' | 'processing' | 'ready' | 'failed';
  title?: string;
  description?: string;
  category?: string | null;
}

export async function insertVideo(db: pg.Client, author: Account, options: VideoOptions = {}): Promise<number> {
  const { rows } = await db.query(
    `insert into public.posts (created_by, post_type, post_title, post_description, visibility, media_path,
       require_premium, allow_download, upload_status, category)
     values ($1::uuid, $2::public.post_type, $3, $4, $5::public.post_visibility,
       $1::text || '/' || gen_random_uuid() || '.mp4', $6, $7, $8::public.upload_status, $9) returning id`,
    [
      author.id,
      options.type ?? 'video',
      options.title ?? 'fixture video',
      options.description ?? '',
      options.visibility ?? 'public',
      options.requirePremium ?? false,
      options.allowDownload ?? false,
      options.status ?? 'ready',
      options.category ?? null,
    ],
  );
  return Number(rows[0].id);
}

/**
 * Like runAs, but inside the transaction private.is_premium answers true for `premiumIds` (the
 * billing issue fills the real body in); the rollback restores the foundation's body.
 */
export async function runAsWithPremium<T>(
  db: pg.Client,
  premiumIds: string[],
  actor: Actor,
  work: (c: pg.Client) => Promise<T>,
): Promise<T> {
  await db.query('begin');
  try {
    // Replaced only inside this transaction, which is rolled back: no other session ever sees it.
    await db.query(
      `create or replace function private.is_premium(p_user_id uuid) returns boolean language sql stable
       set search_path = '' as $fn$ select p_user_id = any ('${`{${premiumIds.join(',')}}`}'::uuid[]) $fn$`,
    );
    await db.query(`set local role ${db.escapeIdentifier(actor.role)}`);
    await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
    return await work(db);
  } finally {
    await db.query('rollback');
  }
}

/** Runs as `actor` with nobody premium (the foundation's body). */
export const runAsPlain = runAs;
