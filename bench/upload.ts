/**
 * The upload benchmark: one creator's resumable upload of a 200 MB file through Marquee Local
 * Storage's TUS endpoint, in 6 MB chunks with tus-js-client, as uploadVideo sends it (reserved with
 * start_video_upload first, so the creator-videos policies decide each request). Prints MB/s against
 * the 50 MB/s target; asserts nothing. Processing is not part of it (the bytes are not a video).
 */
import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import pg from 'pg';
import * as tus from 'tus-js-client';
import { DEFAULT_ANON_KEY, DEFAULT_JWT_SECRET } from '../local/config/keys.ts';

const FILE_BYTES = 200 * 1000 * 1000;
const CHUNK_BYTES = 6 * 1024 * 1024;
const TARGET_MB_S = 50;

/** A creator account straight in the database (the signup trigger makes its profile and role row). */
async function createCreator(dbUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ id: string }>(
      `insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
       values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
               'upload-bench-' || gen_random_uuid() || '@marquee.test', '{}', '{}', now(), now())
       returning id`,
    );
    await client.query(`update public.user_roles set role = 'creator' where user_id = $1`, [rows[0]!.id]);
    return rows[0]!.id;
  } finally {
    await client.end();
  }
}

export async function uploadBenchmark(apiUrl: string, dbUrl: string): Promise<string> {
  const userId = await createCreator(dbUrl);
  const token = await new SignJWT({ sub: userId, role: 'authenticated', aud: 'authenticated', account_status: 'active', user_role: 'creator' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(DEFAULT_JWT_SECRET));
  const headers = { apikey: DEFAULT_ANON_KEY, authorization: `Bearer ${token}` };

  const reserved = await fetch(`${apiUrl}/rest/v1/rpc/start_video_upload`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({ p_title: 'Upload benchmark', p_post_type: 'video', p_mime_type: 'video/mp4', p_size_bytes: FILE_BYTES }),
  });
  if (!reserved.ok) throw new Error(`start_video_upload answered ${reserved.status}: ${await reserved.text()}`);
  const { bucket, object_name } = (await reserved.json()) as { bucket: string; object_name: string };

  const file = randomBytes(FILE_BYTES);
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    new tus.Upload(file, {
      endpoint: `${apiUrl}/storage/v1/upload/resumable`,
      headers,
      chunkSize: CHUNK_BYTES,
      uploadDataDuringCreation: false,
      metadata: { bucketName: bucket, objectName: object_name, contentType: 'video/mp4' },
      onError: reject,
      onSuccess: () => resolve(),
    }).start();
  });
  const seconds = (performance.now() - started) / 1000;
  const rate = FILE_BYTES / 1e6 / seconds;
  return `resumable upload (TUS, 6 MB chunks, tus-js-client): ${FILE_BYTES / 1e6} MB in ${seconds.toFixed(2)} s = ${rate.toFixed(1)} MB/s (target ≥ ${TARGET_MB_S} MB/s: ${rate >= TARGET_MB_S ? 'met' : 'NOT met'})`;
}
