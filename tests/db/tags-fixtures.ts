import type pg from 'pg';

/**
 * Fixtures the tags and mentions tests share: posts written as `postgres` (the triggers link their
 * text whatever the door) and readers of what a post is linked to, as the current role.
 */

/** Writes a post for `author` and returns its id. */
export async function createPost(
  c: pg.Client,
  author: { id: string },
  fields: { title?: string; description?: string; visibility?: 'public' | 'unlisted' | 'private' } = {},
): Promise<number> {
  const { rows } = await c.query<{ id: string }>(
    `insert into public.posts (created_by, post_title, post_description, visibility) values ($1, $2, $3, $4) returning id`,
    [author.id, fields.title ?? 'A post', fields.description ?? '', fields.visibility ?? 'public'],
  );
  return Number(rows[0]!.id);
}

/** The post's tag names, sorted, as `name:source` when `withSource`. */
export async function tagsOf(c: pg.Client, postId: number, withSource = false): Promise<string[]> {
  const { rows } = await c.query<{ name: string; source: string }>(
    `select t.name::text as name, pt.source from public.post_tags pt join public.tags t on t.id = pt.tag_id
     where pt.post_id = $1 order by lower(t.name::text)`,
    [postId],
  );
  return rows.map((r) => (withSource ? `${r.name}:${r.source}` : r.name));
}

/** The usernames a post mentions, sorted, as `username:source` when `withSource`. */
export async function mentionsOf(c: pg.Client, postId: number, withSource = false): Promise<string[]> {
  const { rows } = await c.query<{ username: string; source: string }>(
    `select p.username::text as username, m.source from public.post_mentions m join public.profiles p on p.id = m.user_id
     where m.post_id = $1 order by lower(p.username::text)`,
    [postId],
  );
  return rows.map((r) => (withSource ? `${r.username}:${r.source}` : r.username));
}

/** How many mention notifications `user` has for `postId`. */
export async function mentionNotifications(c: pg.Client, user: { id: string }, postId: number): Promise<number> {
  const { rows } = await c.query<{ n: string }>(
    `select count(*) as n from public.notifications where user_id = $1 and notification_type = 'mention' and page_item_id = $2`,
    [user.id, postId],
  );
  return Number(rows[0]!.n);
}
