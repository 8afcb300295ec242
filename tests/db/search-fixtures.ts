import { randomInt } from 'node:crypto';
import type pg from 'pg';
import { createAccount, type Account } from './accounts-fixtures.ts';

/**
 * The search tests' world. The suite shares one database and search looks at every post, so each
 * world searches for its own random words (letters only: the word list ignores digit-only runs), and
 * the typo of a word is the word with two letters swapped — 2 edits, the most search forgives.
 */

/** A random word of `length` lowercase letters (no other post of the suite has it). */
export function randomWord(length = 10): string {
  const letters = 'bcdfghjklmnpqrstvwxz';
  return Array.from({ length }, () => letters[randomInt(letters.length)]).join('');
}

/** The word with its 2nd and 3rd letters swapped ("dance" → "dnace"). */
export const transposed = (word: string) => word[0]! + word[2]! + word[1]! + word.slice(3);

export interface PostFields {
  title?: string;
  description?: string;
  type?: 'post' | 'reel' | 'video' | 'youtube_video' | 'youtube_reel';
  visibility?: 'public' | 'unlisted' | 'private';
  likes?: number;
  createdAt?: string;
  moderationHidden?: boolean;
  uploadStatus?: 'uploading' | 'processing' | 'ready' | 'failed';
  category?: string;
  quality?: string;
  duration?: number;
}

const YOUTUBE = 'dQw4w9WgXcQ';

/** A post written as postgres (counters set at insert, as the bench's generator does); returns its id. */
export async function searchPost(db: pg.Client, author: Account, f: PostFields = {}): Promise<number> {
  const type = f.type ?? 'post';
  const { rows } = await db.query<{ id: string }>(
    `insert into public.posts (created_by, post_type, post_title, post_description, visibility, like_count, created_at,
       moderation_hidden_at, upload_status, category, video_quality, duration_seconds, youtube_id, media_path)
     values ($1, $2, $3, $4, $5, $6, coalesce($7::timestamptz, now()), case when $8 then now() end, $9, $10, $11, $12, $13, $14)
     returning id`,
    [
      author.id, type, f.title ?? 'Untitled', f.description ?? '', f.visibility ?? 'public', f.likes ?? 0, f.createdAt ?? null,
      f.moderationHidden ?? false, f.uploadStatus ?? 'ready', f.category ?? null, f.quality ?? null, f.duration ?? null,
      type.startsWith('youtube') ? YOUTUBE : null, type === 'reel' || type === 'video' ? `${author.id}/${randomWord(6)}.mp4` : null,
    ],
  );
  return Number(rows[0]!.id);
}

/** A creator account (may own reels and videos). */
export const creator = (db: pg.Client, username?: string) => createAccount(db, { role: 'creator', username });

/** Makes `child` a child: a verified parent link, as the parental function leaves it. */
export async function makeChild(db: pg.Client, child: Account): Promise<void> {
  await db.query('insert into public.parent_links (child_id, parent_email) values ($1, $2)', [child.id, `parent-${randomWord(8)}@marquee.test`]);
}

export interface SearchResult {
  id: number;
  post_title: string;
  post_type: string;
  post_description: string;
  created_by: string;
  created_at: string;
  priority: number | null;
  trending_score: number;
  reels_data: Record<string, unknown> | null;
  user_profile: Record<string, unknown> | null;
}

export interface SearchAnswer {
  query: string;
  page: number;
  page_size: number;
  next: number | null;
  previous: number | null;
  results: SearchResult[];
}
