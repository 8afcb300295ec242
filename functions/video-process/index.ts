/**
 * video-process: the step after a creator's upload. The client reserved the post and its object
 * (public.start_video_upload), uploaded the file in 6 MB chunks through Storage's TUS endpoint, and
 * calls this with the post id. Here the caller must be the uploader, the upload still `uploading`, the
 * file there (`400 {"video": ["No video file provided"]}` otherwise) and its first bytes a video
 * (otherwise the object is removed, so the reserved name can be filled again, and the answer is
 * `400 {"video": ["The file is not a video."]}`). Then the post becomes `processing`.
 *
 * Measuring (duration, frame height, thumbnail) needs ffprobe/ffmpeg, and an edge function may not
 * spawn a binary (no --allow-run on the functions host), so the video processor does it: a Node worker
 * (Marquee Local starts it; see local/video-processor) that claims processing uploads through the
 * service RPCs and marks them ready or failed.
 *
 * `POST {"id": 42}` → `202 {"id": 42, "upload_status": "processing"}`.
 */
import { fileTypeFromBuffer } from 'npm:file-type@21';
import { detailError, json, readJsonValue, validationError } from '../_shared/errors.ts';
import { postHandler } from '../_shared/handler.ts';
import { adminClient, callService, env, requireCaller } from '../_shared/supabase.ts';

const BUCKET = 'creator-videos';
const NO_VIDEO = 'No video file provided';
const NOT_A_VIDEO = 'The file is not a video.';
/** Enough of the file for every video container's signature. */
const SNIFF_BYTES = 64 * 1024;

interface VideoUpload {
  id: number;
  object_name: string;
  mime_type: string;
  upload_status: 'uploading' | 'processing' | 'ready' | 'failed';
}

/** The object's first bytes' type, or null when there is no object. */
async function sniff(path: string): Promise<{ sniffed: string | undefined } | null> {
  const key = env('SUPABASE_SERVICE_ROLE_KEY');
  const url = `${env('SUPABASE_URL')}/storage/v1/object/${BUCKET}/${path.split('/').map(encodeURIComponent).join('/')}`;
  const response = await fetch(url, { headers: { apikey: key, Authorization: `Bearer ${key}`, Range: `bytes=0-${SNIFF_BYTES - 1}` } });
  if (!response.ok) {
    await response.body?.cancel();
    if (response.status === 400 || response.status === 404 || response.status === 416) return null;
    throw new Error(`storage answered ${response.status} for ${BUCKET}/${path}`);
  }
  const head = new Uint8Array(await response.arrayBuffer()).subarray(0, SNIFF_BYTES);
  return { sniffed: (await fileTypeFromBuffer(head))?.mime };
}

function postIdOf(value: unknown): number | null {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : null;
}

Deno.serve(
  postHandler(async (req) => {
    const { caller, response } = await requireCaller(req, { requireActive: true });
    if (response) return response;
    const body = await readJsonValue(req);
    if (body.response) return body.response;
    const id = postIdOf(body.raw);
    if (id === null) return validationError({ id: ['A valid integer is required.'] });

    const upload = await callService<VideoUpload | null>('find_video_upload', { p_user: caller.user.id, p_post_id: id });
    if (!upload) return detailError(404, 'Not found.');
    if (upload.upload_status !== 'uploading') return detailError(409, `This upload is already ${upload.upload_status}.`);

    const found = await sniff(upload.object_name);
    if (!found) return validationError({ video: [NO_VIDEO] });
    if (!found.sniffed?.startsWith('video/')) {
      const removed = await adminClient().storage.from(BUCKET).remove([upload.object_name]);
      if (removed.error) console.error(`could not remove ${BUCKET}/${upload.object_name}: ${removed.error.message}`);
      return validationError({ video: [NOT_A_VIDEO] });
    }

    try {
      return json(await callService('begin_video_processing', { p_user: caller.user.id, p_post_id: id }), 202);
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      if (code === 'PT404') return detailError(404, message ?? 'Not found.');
      if (code === 'PT409') return detailError(409, message ?? 'Conflict.');
      if (code === '42501') return detailError(403, message ?? 'You do not have permission to perform this action.');
      throw error;
    }
  }),
);
