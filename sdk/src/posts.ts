/**
 * `marquee.posts`: create posts of every type (000 §4, §13; reels and videos by creators and admins
 * only), edit and delete them, and their files — a banner and up to ten media items (004: images,
 * videos, audio, documents). Files go to the kind's private bucket under `<uid>/<post id>/` through
 * supabase.storage, then the `post-media` function checks that their bytes are the declared type
 * and attaches them. Readers open files through signed URLs ({@link PostsApi.fileUrls}); files leave
 * storage when their post or item is deleted (the `storage-cleanup` function drains the queue).
 * Lists and post detail are `marquee.reels` / the post lists module's.
 *
 * @module
 */
import { z } from 'zod';
import type { Tables } from './database.types.ts';
import { MarqueeError, fromFieldErrors, toMarqueeError, unwrap } from './errors.ts';
import { currentUser, invokeFunction, notFound, parseInput } from './internal.ts';
import {
  BANNER_RULE,
  EXTENSIONS,
  MEDIA_KINDS,
  type MediaKind,
  type MediaKindRule,
  body,
  createPostBody,
  fileTooLarge,
  id,
  mediaKindOf,
  postTypeChecks,
  unsupportedType,
  updatePostBody,
} from './rules/index.ts';
import { drainStorageRemovals } from './storage-cleanup.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** A post row as the caller may read it. */
export type Post = Tables<'posts'>;
/** A media item of a post. */
export type PostMedia = Tables<'post_media'>;
/** A media item with a signed URL to open it. */
export type PostMediaWithUrl = PostMedia & { signed_url: string };
/** Anything supabase-js storage uploads. */
export type PostFile = Blob | ArrayBuffer | ArrayBufferView;

/** A file and the type it is (the bytes must be that type). */
export interface FileUpload {
  file: PostFile;
  /** e.g. `image/png`, `video/mp4`, `audio/mpeg`, `application/pdf`. */
  contentType: string;
}

/** What {@link PostsApi.create} takes. */
export interface CreatePostInput {
  /** `post` (default), `reel` / `video` (creators and admins; need `media_path`), `youtube_video` / `youtube_reel` (need `youtube_id`). */
  post_type?: 'post' | 'reel' | 'video' | 'youtube_video' | 'youtube_reel';
  /** 1–150 characters. */
  post_title: string;
  /** Up to 5000 characters (004's caption). */
  post_description?: string;
  /** An 11-character YouTube id, or a YouTube link (`watch?v=`, `youtu.be/`, `/shorts/`…) reduced to its id. */
  youtube_id?: string | null;
  /** Reels and videos: the storage path of their video. */
  media_path?: string | null;
  thumbnail_path?: string | null;
  /** `public` (default), `unlisted` (reachable by id) or `private` (the author only). */
  visibility?: 'public' | 'unlisted' | 'private';
  /** A banner image (JPEG, PNG, GIF or WebP, up to 5 MB). */
  banner?: FileUpload;
  /** Up to ten media files (see {@link MEDIA_KINDS}). */
  media?: FileUpload[];
}

/** What {@link PostsApi.update} takes: the post and the fields to change. */
export interface UpdatePostInput {
  id: number;
  post_title?: string;
  post_description?: string;
  youtube_id?: string;
  visibility?: 'public' | 'unlisted' | 'private';
}

/** A post (or, for `removeMedia`, a media item), by its own id. */
export interface PostIdInput {
  id: number;
}

/** A file for a post. */
export interface PostFileInput extends FileUpload {
  post_id: number;
}

/** The signed URLs of a post's files. */
export interface PostFileUrls {
  banner: string | null;
  media: PostMediaWithUrl[];
}

/** `marquee.posts`. */
export interface PostsApi {
  /**
   * Creates a post, then uploads and attaches its banner and media. If a file is refused (type, size,
   * bytes that are not the declared type), the post is deleted again and the error thrown: nothing
   * is left behind. 403 for a reel or video by a visitor.
   *
   * @example
   * ```ts
   * const post = await marquee.posts.create({ post_title: 'My First Post', post_description: 'Hello #world' });
   * const yt = await marquee.posts.create({ post_type: 'youtube_video', post_title: 'Talk', youtube_id: 'https://youtu.be/dQw4w9WgXcQ' });
   * const withFiles = await marquee.posts.create({
   *   post_title: 'Holiday',
   *   banner: { file, contentType: 'image/jpeg' },
   *   media: [{ file, contentType: 'image/png' }, { file, contentType: 'application/pdf' }],
   * });
   * ```
   */
  create(input: CreatePostInput): Promise<Post>;

  /**
   * Edits the caller's post: title, description (caption), YouTube id, visibility. 404 when the post
   * is not the caller's (or does not exist).
   *
   * @example
   * ```ts
   * const post = await marquee.posts.update({ id: 42, post_description: 'Edited caption', visibility: 'unlisted' });
   * ```
   */
  update(input: UpdatePostInput): Promise<Post>;

  /**
   * Deletes a post (the author's; an admin's any) with its media and banner; their files leave
   * storage. 404 when there is no such post the caller may delete.
   *
   * @example
   * ```ts
   * await marquee.posts.remove({ id: 42 });
   * ```
   */
  remove(input: PostIdInput): Promise<void>;

  /**
   * Uploads a banner image for the caller's post and sets it (the previous banner's file is removed).
   *
   * @example
   * ```ts
   * const post = await marquee.posts.setBanner({ post_id: 42, file, contentType: 'image/png' });
   * post.post_banner; // '<uid>/42/banner-….png'
   * ```
   */
  setBanner(input: PostFileInput): Promise<Post>;

  /**
   * Removes the banner of the caller's post (and its file).
   *
   * @example
   * ```ts
   * await marquee.posts.removeBanner({ id: 42 });
   * ```
   */
  removeBanner(input: PostIdInput): Promise<Post>;

  /**
   * Uploads a file to the caller's post as a media item; its kind follows its type (image, video,
   * audio, document). 400 `{"contentType"}` / `{"file"}` for a type or size outside the kind's
   * rules, or bytes that are not the declared type; 400 when the post already has ten items.
   *
   * @example
   * ```ts
   * const item = await marquee.posts.addMedia({ post_id: 42, file, contentType: 'audio/mpeg' });
   * item.kind; // 'audio'
   * ```
   */
  addMedia(input: PostFileInput): Promise<PostMedia>;

  /**
   * A post's media items in order, when the caller may read the post (else `[]`).
   *
   * @example
   * ```ts
   * const items = await marquee.posts.listMedia({ id: 42 });
   * ```
   */
  listMedia(input: PostIdInput): Promise<PostMedia[]>;

  /**
   * Signed URLs (valid `expiresIn` seconds, default one hour) for a post's banner and media, when the
   * caller may read the post. Works signed out for public and unlisted posts.
   *
   * @example
   * ```ts
   * const { banner, media } = await marquee.posts.fileUrls({ id: 42 });
   * media[0]?.signed_url;
   * ```
   */
  fileUrls(input: PostIdInput & { expiresIn?: number }): Promise<PostFileUrls>;

  /**
   * Deletes one media item of the caller's post (an admin: of any post); its file leaves storage.
   *
   * @example
   * ```ts
   * await marquee.posts.removeMedia({ id: 7 });
   * ```
   */
  removeMedia(input: PostIdInput): Promise<void>;
}

const refSchema = body({ id });
const urlsSchema = body({ id, expiresIn: z.number().int().positive().max(7 * 24 * 3600).optional() });
const isFile = (value: unknown): value is PostFile => value instanceof Blob || value instanceof ArrayBuffer || ArrayBuffer.isView(value);
const fileSchema = z.custom<PostFile>(isFile, 'No file was submitted.');
const fileInputSchema = body({ post_id: id, file: fileSchema, contentType: z.string({ error: 'This field is required.' }) });
const createSchema = createPostBody.extend({
  banner: z.object({ file: fileSchema, contentType: z.string() }).optional(),
  media: z.array(z.object({ file: fileSchema, contentType: z.string() })).max(10, 'A post can have at most 10 media items.').optional(),
});

const sizeOf = (file: PostFile) => (file instanceof Blob ? file.size : file.byteLength);
/** The file as a Blob of its declared type: supabase-js sends a Blob with the Blob's own type. */
const asBlob = (file: PostFile, contentType: string): Blob =>
  new Blob([file instanceof Blob || file instanceof ArrayBuffer ? file : new Uint8Array(file.buffer as ArrayBuffer, file.byteOffset, file.byteLength)], { type: contentType });

/** The rule a file must meet (the banner's, or its media kind's), or the field error. */
function ruleFor(upload: FileUpload, banner: boolean, field = ''): MediaKindRule {
  const rule: MediaKindRule | undefined = banner ? BANNER_RULE : MEDIA_KINDS[mediaKindOf(upload.contentType) as MediaKind];
  const prefix = field ? `${field}.` : '';
  if (!rule || !rule.types.includes(upload.contentType)) {
    const types = banner ? BANNER_RULE.types : Object.values(MEDIA_KINDS).flatMap((kind) => kind.types);
    throw fromFieldErrors({ [`${prefix}contentType`]: [unsupportedType(types)] });
  }
  if (sizeOf(upload.file) > rule.maxBytes) throw fromFieldErrors({ [`${prefix}file`]: [fileTooLarge(rule)] });
  return rule;
}

/**
 * Builds `marquee.posts` on a typed client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * import { createPostsApi } from '@marquee/sdk';
 *
 * const posts = createPostsApi(marquee.supabase);
 * const post = await posts.create({ post_title: 'Hello' });
 * ```
 */
export function createPostsApi(supabase: MarqueeSupabaseClient): PostsApi {
  const cleanUp = () => drainStorageRemovals(supabase);

  /** Uploads a checked file to the caller's folder and attaches it through the post-media function. */
  async function attachFile(postId: number, upload: FileUpload, rule: MediaKindRule, name: string): Promise<Record<string, unknown>> {
    const user = await currentUser(supabase);
    const path = `${user.id}/${postId}/${name}-${crypto.randomUUID()}.${EXTENSIONS[upload.contentType]}`;
    const bucket = supabase.storage.from(rule.bucket);
    const uploaded = await bucket.upload(path, asBlob(upload.file, upload.contentType), { contentType: upload.contentType, upsert: false });
    if (uploaded.error) throw await toMarqueeError(uploaded.error);
    try {
      return await invokeFunction<Record<string, unknown>>(supabase, 'post-media', { post_id: postId, bucket: rule.bucket, path });
    } catch (error) {
      // The function removes a file whose bytes it refused; any other refusal leaves it to us.
      await bucket.remove([path]).catch(() => undefined);
      throw error;
    }
  }

  async function readPost(postId: number): Promise<Post> {
    const row = await unwrap(supabase.from('posts').select('*').eq('id', postId).maybeSingle());
    if (!row) throw notFound();
    return row;
  }

  async function remove(input: PostIdInput): Promise<void> {
    const { id: postId } = parseInput(refSchema, input);
    const rows = await unwrap(supabase.from('posts').delete().eq('id', postId).select('id'));
    if (rows.length === 0) throw notFound();
    await cleanUp();
  }

  async function setBanner(input: PostFileInput): Promise<Post> {
    const { post_id, file, contentType } = parseInput(fileInputSchema, input);
    await attachFile(post_id, { file, contentType }, ruleFor({ file, contentType }, true), 'banner');
    await cleanUp();
    return readPost(post_id);
  }

  async function addMedia(input: PostFileInput): Promise<PostMedia> {
    const { post_id, file, contentType } = parseInput(fileInputSchema, input);
    const rule = ruleFor({ file, contentType }, false);
    return (await attachFile(post_id, { file, contentType }, rule, 'media')) as unknown as PostMedia;
  }

  return {
    async create(input) {
      const { banner, media, ...fields } = parseInput(createSchema, input, postTypeChecks);
      // Every file is checked before anything is written.
      if (banner) ruleFor(banner, true, 'banner');
      media?.forEach((item, index) => ruleFor(item, false, `media.${index}`));
      const post = await unwrap(supabase.from('posts').insert(fields).select('*').single());
      if (!banner && !media?.length) return post;
      try {
        if (banner) await setBanner({ post_id: post.id, ...banner });
        for (const item of media ?? []) await addMedia({ post_id: post.id, ...item });
      } catch (error) {
        await remove({ id: post.id }).catch(() => undefined);
        throw error;
      }
      return readPost(post.id);
    },

    async update(input) {
      const { id: postId, ...changes } = parseInput(updatePostBody, input);
      if (Object.keys(changes).length === 0) return readPost(postId);
      const rows = await unwrap(supabase.from('posts').update(changes).eq('id', postId).select('*'));
      const row = rows[0];
      if (!row) throw notFound();
      return row;
    },

    remove,
    setBanner,

    async removeBanner(input) {
      const { id: postId } = parseInput(refSchema, input);
      const rows = await unwrap(supabase.from('posts').update({ post_banner: null }).eq('id', postId).select('*'));
      const row = rows[0];
      if (!row) throw notFound();
      await cleanUp();
      return row;
    },

    addMedia,

    async listMedia(input) {
      const { id: postId } = parseInput(refSchema, input);
      return unwrap(supabase.from('post_media').select('*').eq('post_id', postId).order('position'));
    },

    async fileUrls(input) {
      const { id: postId, expiresIn = 3600 } = parseInput(urlsSchema, input);
      const post = await readPost(postId);
      const items = await unwrap(supabase.from('post_media').select('*').eq('post_id', postId).order('position'));
      const sign = async (bucket: string, path: string) => {
        const { data, error } = await supabase.storage.from(bucket).createSignedUrl(path, expiresIn);
        if (error || !data) throw error ? await toMarqueeError(error) : new MarqueeError({ status: 502, code: 'empty_response', detail: 'No signed URL.' });
        return data.signedUrl;
      };
      return {
        banner: post.post_banner ? await sign(BANNER_RULE.bucket, post.post_banner) : null,
        media: await Promise.all(items.map(async (item) => ({ ...item, signed_url: await sign(item.bucket_id, item.object_name) }))),
      };
    },

    async removeMedia(input) {
      const { id: mediaId } = parseInput(refSchema, input);
      const rows = await unwrap(supabase.from('post_media').delete().eq('id', mediaId).select('id'));
      if (rows.length === 0) throw notFound();
      await cleanUp();
    },
  };
}
