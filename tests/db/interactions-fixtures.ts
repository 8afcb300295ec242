import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { userClient } from '../helpers/clients.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { asAccount, asAnon, asAdmin, asCreator, asVisitor, type Actor } from '../helpers/db.ts';
import { createAccount, type Account, type AccountOptions } from './accounts-fixtures.ts';

/**
 * Fixtures the post interaction tests share: posts written as `postgres` (as the posts engineer's
 * API or the dashboard would leave them), and the cast of the policy matrix — the roles owners8.md
 * names, each related to one post author.
 */

export interface PostOptions {
  visibility?: 'public' | 'unlisted' | 'private';
  title?: string;
}

/** A post by `author`, written as postgres; returns its id. */
export async function createPost(db: pg.Client, author: Account, options: PostOptions = {}): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.posts (created_by, post_title, visibility) values ($1, $2, $3) returning id`,
    [author.id, options.title ?? 'A post', options.visibility ?? 'public'],
  );
  return Number(rows[0]!.id);
}

/** `blocker` blocks `blocked`, as postgres. */
export async function block(db: pg.Client, blocker: Account, blocked: Account): Promise<void> {
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, blocked.id]);
}

/** A post's three counters, read as postgres. */
export async function countersOf(db: pg.Client, postId: number) {
  const { rows } = await db.query<{ like_count: number; comment_count: number; view_count: string }>(
    'select like_count, comment_count, view_count from public.posts where id = $1',
    [postId],
  );
  const row = rows[0]!;
  return { like_count: row.like_count, comment_count: row.comment_count, view_count: Number(row.view_count) };
}

/** The rows behind the counters, counted as postgres. */
export async function rowCountsOf(db: pg.Client, postId: number) {
  const { rows } = await db.query<{ likes: string; comments: string; views: string }>(
    `select (select count(*) from public.post_likes where post_id = $1) as likes,
            (select count(*) from public.comments where post_id = $1) as comments,
            (select count(*) from public.post_views where post_id = $1) as views`,
    [postId],
  );
  const row = rows[0]!;
  return { like_count: Number(row.likes), comment_count: Number(row.comments), view_count: Number(row.views) };
}

export type MatrixRole = 'anon' | 'owner' | 'other' | 'blocker' | 'blocked' | 'suspended' | 'creator' | 'admin';
export const MATRIX_ROLES: MatrixRole[] = ['anon', 'owner', 'other', 'blocker', 'blocked', 'suspended', 'creator', 'admin'];

/**
 * The matrix's cast around one author: `owner` owns the interaction rows under test; `blocker`
 * blocked the author and `blocked` is blocked by the author (the two sides of a block); the rest
 * are unrelated to everyone.
 */
export interface Cast {
  author: Account;
  users: Record<Exclude<MatrixRole, 'anon'>, Account>;
  actor(role: MatrixRole): Actor;
}

export async function createCast(db: pg.Client): Promise<Cast> {
  const make = (options: AccountOptions = {}) => createAccount(db, options);
  const author = await make();
  const users = {
    owner: await make(),
    other: await make(),
    blocker: await make(),
    blocked: await make(),
    suspended: await make({ status: 'suspended' }),
    creator: await make({ role: 'creator' }),
    admin: await make({ role: 'admin' }),
  };
  await block(db, users.blocker, author);
  await block(db, author, users.blocked);
  const actor = (role: MatrixRole): Actor => {
    switch (role) {
      case 'anon':
        return asAnon();
      case 'suspended':
        return asAccount(users.suspended, 'suspended');
      case 'creator':
        return asCreator(users.creator);
      case 'admin':
        return asAdmin(users.admin);
      default:
        return asVisitor(users[role]);
    }
  };
  return { author, users, actor };
}

/** A signed-in user for tests through the stack: an account, its JWT (with the hook's claims) and a raw supabase-js client. */
export interface SignedIn extends Account {
  token: string;
  client: SupabaseClient;
}

/** Creates an account as postgres and signs its token as Auth would (status and role claims included). */
export async function signedIn(db: pg.Client, options: AccountOptions = {}): Promise<SignedIn> {
  const account = await createAccount(db, options);
  const token = await signUserToken(account.id, {
    email: account.email,
    user_role: options.role ?? 'visitor',
    account_status: options.status ?? 'active',
    aal: 'aal1',
  });
  return { ...account, token, client: userClient(token) };
}
