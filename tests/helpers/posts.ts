import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { serviceClient, userClient } from './clients.ts';
import { stackEnv } from './env.ts';
import { accessToken, call, createAccount, sql, type Reply, type TestUser } from '../functions/accounts.ts';

/**
 * Helpers for the posts and post media tests through the whole stack: accounts with a role and a
 * signed-in client, posts made through REST, uploads through supabase.storage, the post-media and
 * storage-cleanup functions, and what storage holds (asked as the service).
 */
export interface Member {
  user: TestUser;
  token: string;
  client: SupabaseClient;
}

/** A confirmed account with `role`, signed in after the role was set (so its token carries it). */
export async function member(role: 'visitor' | 'creator' | 'admin' = 'visitor'): Promise<Member> {
  const user = await createAccount();
  if (role !== 'visitor') await sql('update public.user_roles set role = $2 where user_id = $1', [user.id, role]);
  const token = await accessToken(user);
  return { user, token, client: userClient(token) };
}

/** A post by `who` through REST; returns its id. */
export async function newPost(who: Member, fields: Record<string, unknown> = {}): Promise<number> {
  const { data, error } = await who.client
    .from('posts')
    .insert({ post_title: `post ${randomUUID().slice(0, 8)}`, ...fields })
    .select('id')
    .single();
  if (error) throw error;
  return (data as { id: number }).id;
}

/** A fresh object path in `who`'s folder. */
export const pathFor = (who: Member, ext: string) => `${who.user.id}/${randomUUID()}.${ext}`;

/** Uploads through supabase.storage as `who`; the error, if any. */
export async function upload(who: Member, bucket: string, path: string, bytes: Uint8Array, contentType: string) {
  const { error } = await who.client.storage.from(bucket).upload(path, new Blob([bytes], { type: contentType }), { contentType });
  return error;
}

/** Calls the post-media function as `who`. */
export const attach = (who: Member, body: Record<string, unknown>): Promise<Reply> => call('post-media', body, { token: who.token });

/** Drains the storage removal queue (the storage-cleanup function, as the service). */
export const drain = () => call<{ removed: number }>('storage-cleanup', {}, { token: stackEnv().serviceRoleKey });

/** Whether storage still holds the object (asked as the service, past every policy). */
export async function stored(bucket: string, path: string): Promise<boolean> {
  const { data, error } = await serviceClient().storage.from(bucket).download(path);
  if (data) return true;
  if (error && /not.?found|404/i.test(`${error.message} ${(error as { status?: number }).status ?? ''} ${JSON.stringify(error)}`)) return false;
  throw error;
}

/** Whether `who` (or anon, when null) can download the object. */
export async function readable(who: Member | null, bucket: string, path: string): Promise<boolean> {
  const stack = stackEnv();
  const response = await fetch(`${stack.url}/storage/v1/object/authenticated/${bucket}/${path}`, {
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${who ? who.token : stack.anonKey}` },
  });
  await response.body?.cancel();
  return response.status === 200;
}

/** Post media rows of a post, as postgres. */
export const mediaRows = (postId: number) =>
  sql<{ bucket_id: string; object_name: string; kind: string; position: number }>(
    'select bucket_id, object_name, kind::text, position from public.post_media where post_id = $1 order by position',
    [postId],
  );
