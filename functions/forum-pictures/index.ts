/**
 * forum-pictures: 001's forum pictures.
 * - `POST /forum-pictures {image_type, image_data}` (base64) → `201 {"filename": "<hash>-<timestamp>.<ext>"}`,
 *   stored in the caller's `<uid>/` folder of the forum-pictures bucket. `400` with 001's messages:
 *   `{"image_type": ["Image type is required"]}`, `{"image_data": ["Image data is required" |
 *   "Invalid base64 data" | "Image size exceeds 5MB" | "Image data is not a png image."]}`.
 * - `POST /forum-pictures/verify {filename}` → `200 {"filename"}` for a picture the caller uploaded
 *   with plain `supabase.storage` (named `<sha256>-<timestamp>.<ext>`): its bytes must be the type
 *   its name and content type say and its hash the name's; otherwise the object is removed and 400.
 *   Only checked pictures may be put on a post.
 * - `POST /forum-pictures/<postid>/<picture_index>` → `200 {"image": "<base64>", "content_type", "filename"}`;
 *   `404 {"detail": "Picture not found"}` when the post is not one the caller may read, the index is
 *   out of range or the object is gone.
 * `401 {"detail": "Access token is required"}` without a user's token; writes need an active account (403).
 */
import { json, readJsonValue, validationError, NON_FIELD_ERRORS, notFound, forbidden, unauthorized } from '../_shared/errors.ts';
import { postRouter } from '../_shared/handler.ts';
import {
  decodeForumImage,
  encodeBase64,
  FORUM_IMAGE_EXTENSIONS,
  FORUM_IMAGE_TYPES,
  FORUM_MESSAGES,
  forumPictureName,
  forumPictureUploadBody,
  forumPictureVerifyBody,
  imageDataMismatch,
  mimeOfPictureName,
  sniffImageType,
  validate,
} from '../_shared/rules.ts';
import { callService, requireCaller } from '../_shared/supabase.ts';
import { callerClient, downloadPicture, pictureBucket, sha256Hex } from './storage.ts';

/** A 5 MB picture is about 6.7 MiB of base64; a larger body can only be a larger picture. */
const MAX_UPLOAD_BODY_BYTES = 7 * 1024 * 1024;
const NO_CREDENTIALS = 'Authentication credentials were not provided.';

/** requireCaller, answering 001's "Access token is required" when no user's token came. */
async function caller(req: Request, options: { requireActive?: boolean } = {}) {
  const auth = await requireCaller(req, options);
  if (auth.response?.status === 401) {
    const body = await auth.response.clone().json() as { detail?: string };
    if (body.detail === NO_CREDENTIALS) return { response: unauthorized(FORUM_MESSAGES.accessTokenRequired) };
  }
  return auth;
}

async function upload(req: Request): Promise<Response> {
  const auth = await caller(req, { requireActive: true });
  if (auth.response) return auth.response;
  const body = await readJsonValue(req, MAX_UPLOAD_BODY_BYTES, { image_data: [FORUM_MESSAGES.imageTooLarge] });
  if (body.response) return body.response;
  const input = validate(forumPictureUploadBody, body.raw);
  if (input.errors) return validationError(input.errors);

  const mime = FORUM_IMAGE_TYPES[input.data.image_type];
  const decoded = decodeForumImage(input.data.image_data);
  if (decoded.error !== undefined) return validationError({ image_data: [decoded.error] });
  if (sniffImageType(decoded.bytes) !== mime) return validationError({ image_data: [imageDataMismatch(input.data.image_type)] });

  const { user, accessToken } = auth.caller;
  const filename = forumPictureName(await sha256Hex(decoded.bytes), mime);
  const stored = await pictureBucket(callerClient(accessToken)).upload(`${user.id}/${filename}`, decoded.bytes, { contentType: mime, upsert: false });
  if (stored.error) {
    const status = (stored.error as { status?: number }).status;
    if (status === 403) return forbidden();
    throw stored.error;
  }
  await callService('register_forum_picture', { p_owner_id: user.id, p_name: filename, p_mime_type: mime, p_size_bytes: decoded.bytes.byteLength });
  return json({ filename }, 201);
}

async function verify(req: Request): Promise<Response> {
  const auth = await caller(req, { requireActive: true });
  if (auth.response) return auth.response;
  const body = await readJsonValue(req, 64 * 1024, { [NON_FIELD_ERRORS]: ['Request body too large.'] });
  if (body.response) return body.response;
  const input = validate(forumPictureVerifyBody, body.raw);
  if (input.errors) return validationError(input.errors);

  const { user, accessToken } = auth.caller;
  const filename = input.data.filename;
  const path = `${user.id}/${filename}`;
  const client = callerClient(accessToken);
  const object = await downloadPicture(client, path);
  if (!object) return notFound(FORUM_MESSAGES.pictureNotFound);

  const mime = mimeOfPictureName(filename)!;
  const declared = object.contentType.split(';')[0]!.trim().toLowerCase();
  const problem =
    sniffImageType(object.bytes) !== mime || declared !== mime
      ? imageDataMismatch(FORUM_IMAGE_EXTENSIONS[mime])
      : !filename.startsWith(`${await sha256Hex(object.bytes)}-`)
        ? 'The name does not start with the SHA-256 of the picture.'
        : null;
  if (problem) {
    // Nobody else could read it (it is on no post); it is removed so it cannot be named later either.
    await pictureBucket(client).remove([path]);
    return validationError({ filename: [problem] });
  }
  await callService('register_forum_picture', { p_owner_id: user.id, p_name: filename, p_mime_type: mime, p_size_bytes: object.bytes.byteLength });
  return json({ filename });
}

async function fetchPicture(req: Request, postId: string, index: number): Promise<Response> {
  const auth = await caller(req);
  if (auth.response) return auth.response;
  const client = callerClient(auth.caller.accessToken);
  // The post as the caller may read it: blocks, suspensions and the signed-in rule come from its policy.
  const post = await client.from('forum_posts').select('created_by, picture_names').eq('id', postId).maybeSingle();
  if (post.error) throw post.error;
  const name = (post.data?.picture_names as string[] | undefined)?.[index];
  if (!post.data || !name) return notFound(FORUM_MESSAGES.pictureNotFound);
  const object = await downloadPicture(client, `${post.data.created_by}/${name}`);
  if (!object) return notFound(FORUM_MESSAGES.pictureNotFound);
  return json({ image: encodeBase64(object.bytes), content_type: object.contentType, filename: name });
}

const BASE = '/forum-pictures';
const PICTURE_PATH = /^\/forum-pictures\/(\d{1,18})\/(\d{1,4})\/?$/;
const routes = postRouter(BASE, { '/': upload, '/verify': verify });

Deno.serve((req) => {
  const match = PICTURE_PATH.exec(new URL(req.url).pathname);
  if (!match) return routes(req);
  const [path, postId, index] = match as unknown as [string, string, string];
  return postRouter(path.replace(/\/$/, ''), { '/': (r) => fetchPicture(r, postId, Number(index)) })(req);
});
