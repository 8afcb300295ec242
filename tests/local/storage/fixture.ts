/** Shared setup for the Storage tests: role clients, user tokens, buckets and policies made with pg. */
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { anonClient, serviceClient, userClient } from '../../helpers/clients.ts';
import { connectAsPostgres } from '../../helpers/db.ts';
import { stackEnv } from '../../helpers/env.ts';
import { signUserToken } from '../../helpers/tokens.ts';

export interface StorageFixture {
  db: pg.Client;
  anon: SupabaseClient;
  service: SupabaseClient;
  owner: SupabaseClient;
  other: SupabaseClient;
  ownerId: string;
  otherId: string;
  ownerToken: string;
  /** The service_role key, for raw fetches. */
  serviceKey: string;
  storageUrl: string;
  /** A bucket id unique to this run (tests share one stack). */
  bucketName(label: string): string;
  close(): Promise<void>;
}

export async function createStorageFixture(): Promise<StorageFixture> {
  const db = await connectAsPostgres();
  const ownerId = randomUUID();
  const otherId = randomUUID();
  const [ownerToken, otherToken] = await Promise.all([signUserToken(ownerId), signUserToken(otherId)]);
  const suffix = randomUUID().slice(0, 8);
  return {
    db,
    anon: anonClient(),
    service: serviceClient(),
    owner: userClient(ownerToken),
    other: userClient(otherToken),
    ownerId,
    otherId,
    ownerToken,
    serviceKey: stackEnv().serviceRoleKey,
    storageUrl: `${stackEnv().url}/storage/v1`,
    bucketName: (label) => `${label}-${suffix}`,
    close: () => db.end(),
  };
}

/**
 * Policies letting authenticated users read and write objects under a folder named after their
 * user id in `bucket` (the Supabase docs' "own folder" pattern).
 */
export async function ownFolderPolicies(db: pg.Client, bucket: string): Promise<void> {
  const name = (op: string) => `"${bucket} own ${op}"`;
  const own = `bucket_id = '${bucket}' and (storage.foldername(name))[1] = (select auth.uid()::text)`;
  await db.query(`
    create policy ${name('select')} on storage.objects for select to authenticated using (${own});
    create policy ${name('insert')} on storage.objects for insert to authenticated with check (${own});
    create policy ${name('update')} on storage.objects for update to authenticated using (${own}) with check (${own});
    create policy ${name('delete')} on storage.objects for delete to authenticated using (${own});
  `);
}

export async function dropPolicies(db: pg.Client, bucket: string): Promise<void> {
  for (const op of ['select', 'insert', 'update', 'delete']) {
    await db.query(`drop policy if exists "${bucket} own ${op}" on storage.objects`);
  }
}

export const text = (s: string) => new Blob([s], { type: 'text/plain' });
