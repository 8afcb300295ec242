import type pg from 'pg';
import type { Actor } from '../helpers/db.ts';
import { createAccount, uniqueTag, type Account } from './accounts-fixtures.ts';

/**
 * A small world for the list tests, written as `postgres` (the interaction tables' policies are
 * another migration's; here they are only data). Every title carries `token`, so a search for it
 * isolates this world's posts from whatever else the shared suite database holds.
 *
 * viewer — the signed-in reader; author — an ordinary active author; blocker blocks the viewer;
 * blockedByViewer is blocked by the viewer; suspended — an author whose account is suspended;
 * creator — posts reels; admin — an admin who blocked `author`.
 */
export interface FeedWorld {
  token: string;
  viewer: Account;
  author: Account;
  blocker: Account;
  blockedByViewer: Account;
  suspended: Account;
  creator: Account;
  admin: Account;
  posts: {
    authorPublic: number;
    authorOld: number;
    authorUnlisted: number;
    authorPrivate: number;
    hiddenByViewer: number;
    reportedByViewer: number;
    byBlocker: number;
    byBlockedByViewer: number;
    bySuspended: number;
    viewerPublic: number;
    viewerPrivate: number;
    youtube: number;
    reel: number;
    youtubeReel: number;
    reelByAdmin: number;
  };
}

export async function insertPost(
  db: pg.Client,
  author: Account,
  title: string,
  fields: { post_type?: string; visibility?: string; youtube_id?: string; media_path?: string; created_at?: string; description?: string } = {},
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.posts (created_by, post_title, post_description, post_type, visibility, youtube_id, media_path, created_at)
     values ($1, $2, $3, coalesce($4, 'post')::public.post_type, coalesce($5, 'public')::public.post_visibility, $6, $7, coalesce($8::timestamptz, now()))
     returning id`,
    [author.id, title, fields.description ?? '', fields.post_type, fields.visibility, fields.youtube_id, fields.media_path, fields.created_at],
  );
  return Number(rows[0]!.id);
}

export async function createFeedWorld(db: pg.Client): Promise<FeedWorld> {
  const token = `feed${uniqueTag()}`;
  const [viewer, author, blocker, blockedByViewer, suspended, creator, admin] = [
    await createAccount(db),
    await createAccount(db),
    await createAccount(db),
    await createAccount(db),
    await createAccount(db),
    await createAccount(db, { role: 'creator' }),
    await createAccount(db, { role: 'admin' }),
  ];
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2), ($2, $3), ($4, $5)', [
    blocker.id, viewer.id, blockedByViewer.id, admin.id, author.id,
  ]);
  // Created one minute apart, oldest first, so newest-first order is the reverse of this list.
  let minute = 0;
  const at = () => new Date(Date.UTC(2031, 0, 1, 0, minute++)).toISOString();
  const post = (who: Account, name: string, fields: Parameters<typeof insertPost>[3] = {}) =>
    insertPost(db, who, `${token} ${name}`, { created_at: at(), ...fields });
  const posts = {
    authorOld: await post(author, 'author old'),
    authorPublic: await post(author, 'author public', { description: `the ${token}_desc body` }),
    authorUnlisted: await post(author, 'author unlisted', { visibility: 'unlisted' }),
    authorPrivate: await post(author, 'author private', { visibility: 'private' }),
    hiddenByViewer: await post(author, 'hidden by viewer'),
    reportedByViewer: await post(author, 'reported by viewer'),
    byBlocker: await post(blocker, 'by blocker'),
    byBlockedByViewer: await post(blockedByViewer, 'by blocked'),
    bySuspended: await post(suspended, 'by suspended'),
    viewerPublic: await post(viewer, 'viewer public'),
    viewerPrivate: await post(viewer, 'viewer private', { visibility: 'private' }),
    youtube: await post(author, 'youtube video', { post_type: 'youtube_video', youtube_id: 'dQw4w9WgXcQ' }),
    reel: await post(creator, 'reel', { post_type: 'reel', media_path: `${creator.id}/reel.mp4` }),
    youtubeReel: await post(author, 'youtube reel', { post_type: 'youtube_reel', youtube_id: 'abcdefghijk' }),
    reelByAdmin: await post(admin, 'reel by admin', { post_type: 'reel', media_path: `${admin.id}/reel.mp4` }),
  };
  await db.query(`update public.profiles set status = 'suspended' where id = $1`, [suspended.id]);
  await db.query('insert into public.post_hides (user_id, post_id) values ($1, $2)', [viewer.id, posts.hiddenByViewer]);
  await db.query(`insert into public.post_reports (user_id, post_id, reason) values ($1, $2, 'spam')`, [viewer.id, posts.reportedByViewer]);
  return { token, viewer, author, blocker, blockedByViewer, suspended, creator, admin, posts };
}

/**
 * Like runAs, in one repeatable-read snapshot: several statements (every page of a list, and a
 * reference count) see the same rows even while other tests write.
 */
export async function runInSnapshot<T>(client: pg.Client, actor: Actor, work: (db: pg.Client) => Promise<T>): Promise<T> {
  await client.query('begin isolation level repeatable read');
  try {
    await client.query(`set local role ${client.escapeIdentifier(actor.role)}`);
    await client.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(actor.claims)]);
    return await work(client);
  } finally {
    await client.query('rollback');
  }
}
