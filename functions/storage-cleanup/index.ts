/**
 * storage-cleanup: removes, through the Storage API, the post files the database released (deleted
 * media items, deleted posts' media and banners, replaced banners — queued by triggers in
 * private.storage_removals, because storage refuses direct deletes of its rows). Idempotent and safe
 * to call by anyone signed in (it removes only what the database queued): the SDK calls it after a
 * delete; a hosted project also schedules it (Supabase Cron) with the service key.
 *
 * `POST {}` → `200 {"removed": 3}`.
 */
import { decodeJwt } from 'npm:jose@5';
import { json, unauthorized } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { adminClient, callService } from '../_shared/supabase.ts';

interface Removal {
  id: number;
  bucket_id: string;
  object_name: string;
}

/** The gateway has verified the JWT (verify_jwt); a signed-in user or the service may drain. */
function bearerRole(req: Request): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec((req.headers.get('authorization') ?? '').trim());
  try {
    return match ? String(decodeJwt(match[1]!).role ?? '') : null;
  } catch {
    return null;
  }
}

const BATCH = 100;

Deno.serve(
  postHandler(async (req) => {
    const role = bearerRole(req);
    if (role !== 'authenticated' && role !== 'service_role') return unauthorized();
    let removed = 0;
    for (let round = 0; round < 10; round++) {
      const claimed = (await callService<Removal[]>('claim_storage_removals', { p_limit: BATCH })) ?? [];
      if (claimed.length === 0) break;
      const done: number[] = [];
      const byBucket = Map.groupBy(claimed, (item) => item.bucket_id);
      for (const [bucket, items] of byBucket) {
        // Removing an object that is already gone succeeds (an empty result), so retries are safe.
        const { error } = await adminClient().storage.from(bucket).remove(items.map((item) => item.object_name));
        if (error) console.error(`storage-cleanup: ${bucket}: ${error.message}`);
        else done.push(...items.map((item) => item.id));
      }
      removed += await callService<number>('finish_storage_removals', { p_ids: done });
      if (claimed.length < BATCH) break;
    }
    return json({ removed });
  }),
);
