/**
 * post-media: attaches a file the caller uploaded (supabase.storage, into their `<uid>/` folder of a
 * post bucket) to one of their posts — as its banner (`post-banners`) or as a media item
 * (`post-images`, `post-videos`, `post-audio`, `post-documents`). Storage checks only the type a
 * client declares; here the file's first bytes are read and must be that type, or the file is
 * removed and the answer is `400 {"file": ["The file's contents are not of its declared type."]}`.
 * The database (service.attach_post_object) checks the rest: the post is the caller's, the file is in
 * their folder, its kind's type and size limits, at most ten items.
 *
 * `POST {"post_id": 1, "bucket": "post-images", "path": "<uid>/1/a.png"}` → `201` the post_media row
 * (or `{"post_id", "post_banner"}` for a banner).
 */
import { fileTypeFromBuffer } from 'npm:file-type@21';
import { detailError, json, parseJsonBody, validationError } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { attachPostFileBody, CONTENT_MISMATCH, contentMatches, NOT_OWN_FOLDER } from '../_shared/rules.ts';
import { adminClient, callService, env, requireCaller } from '../_shared/supabase.ts';

/** How much of a file the sniffer reads: enough for every signature, ID3 tags and DOCX's zip entries. */
const SNIFF_BYTES = 1024 * 1024;

/** The object's declared type and what its first bytes are, read through the Storage API as the service. */
async function sniff(bucket: string, path: string): Promise<{ declared: string; sniffed: string | undefined } | null> {
  const key = env('SUPABASE_SERVICE_ROLE_KEY');
  const url = `${env('SUPABASE_URL')}/storage/v1/object/${encodeURIComponent(bucket)}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const response = await fetch(url, { headers: { apikey: key, Authorization: `Bearer ${key}`, Range: `bytes=0-${SNIFF_BYTES - 1}` } });
  if (!response.ok) {
    await response.body?.cancel();
    if (response.status === 400 || response.status === 404 || response.status === 416) return null;
    throw new Error(`storage answered ${response.status} for ${bucket}/${path}`);
  }
  const declared = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const head = new Uint8Array(await response.arrayBuffer()).subarray(0, SNIFF_BYTES);
  return { declared, sniffed: (await fileTypeFromBuffer(head))?.mime };
}

/** The database's refusals, in the project's error style. */
function refusal(error: { code?: string; message?: string }): Response | null {
  const message = error.message ?? '';
  switch (error.code) {
    case 'PT404':
      return detailError(404, message);
    case '42501':
      return detailError(403, message);
    case '23505':
      return detailError(409, message);
    case '22023':
    case '23514':
    case 'P0001':
      return validationError({ file: [message] });
    default:
      return null;
  }
}

Deno.serve(
  postHandler(async (req) => {
    const { caller, response } = await requireCaller(req, { requireActive: true });
    if (response) return response;
    const input = await parseJsonBody(req, attachPostFileBody);
    if (input.response) return input.response;
    const { post_id, bucket, path } = input.data;
    if (!path.startsWith(`${caller.user.id}/`)) return validationError({ path: [NOT_OWN_FOLDER] });

    const found = await sniff(bucket, path);
    if (!found) return detailError(404, 'File not found.');
    if (!contentMatches(found.declared, found.sniffed)) {
      const removed = await adminClient().storage.from(bucket).remove([path]);
      if (removed.error) console.error(`could not remove ${bucket}/${path}: ${removed.error.message}`);
      return validationError({ file: [CONTENT_MISMATCH] });
    }

    try {
      const row = await callService('attach_post_object', {
        p_user: caller.user.id,
        p_post_id: post_id,
        p_bucket: bucket,
        p_name: path,
        p_content_type: found.declared,
      });
      return json(row, 201);
    } catch (error) {
      const answer = refusal(error as { code?: string; message?: string });
      if (answer) return answer;
      throw error;
    }
  }),
);
