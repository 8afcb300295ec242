/**
 * `marquee.forum`: 001's forum for signed-in users — a feed of 10 posts at a time, posts with
 * pictures, replies and a like toggle. Blocks hide each side's posts, replies and likes from the
 * other; suspended accounts read and write nothing here.
 *
 * Pictures go up either as base64 through the `forum-pictures` edge function
 * ({@link ForumApi.uploadPicture}) or as a file through plain `supabase.storage` followed by the
 * function's byte check ({@link ForumApi.uploadPictureFile}); either way the answer is the stored
 * name (`<sha256>-<timestamp>.<ext>`) to put in {@link ForumApi.create}'s `picture_names`.
 *
 * @module
 */
import { MarqueeError, unwrap } from './errors.ts';
import { currentUser, invokeFunction, parseInput } from './internal.ts';
import {
  FORUM_IMAGE_TYPES,
  FORUM_MESSAGES,
  FORUM_PICTURE_MAX_BYTES,
  FORUM_PICTURES_BUCKET,
  type ForumImageMime,
  type ForumImageType,
  forumFeedParams,
  forumLikeBody,
  forumPictureName,
  forumPictureRef,
  forumPictureUploadBody,
  forumPostBody,
  forumReplyBody,
} from './rules/index.ts';
import { drainStorageRemovals } from './storage-cleanup.ts';
import type { MarqueeSupabaseClient } from './supabase-client.ts';

/** A reply as 001 shows it, plus its author's id and time. */
export interface ForumReply {
  reply_id: number;
  user_id: string;
  username: string | null;
  content: string;
  created_at: string;
}

/** A forum post in 001's item shape, plus its author's id and picture, and the picture names. */
export interface ForumPost {
  postid: number;
  user_id: string;
  username: string | null;
  profile_pic: string | null;
  content: string;
  created_at: string;
  picture_count: number;
  picture_names: string[];
  /** Likes, leaving out users in a block with you. */
  likes: number;
  /** How many replies `reply_content` holds. */
  replies: number;
  /** Every reply you may read, oldest first. */
  reply_content: ForumReply[];
  isliked: boolean;
}

/** What {@link ForumApi.feed} takes: the last post id you have (none for the latest 10). */
export interface ForumFeedParams {
  last_post_id?: number | null;
}

/** What {@link ForumApi.create} takes (001 "Create Forum Post"). */
export interface ForumPostInput {
  content: string;
  /** Names answered by {@link ForumApi.uploadPicture} / {@link ForumApi.uploadPictureFile}; at most 10. */
  picture_names?: string[];
  /** Optional, as in 001; must equal `picture_names.length` when sent. */
  picture_count?: number;
}

/** A post by id. */
export interface ForumPostRef {
  postid: number;
}

/** What {@link ForumApi.reply} takes. */
export interface ForumReplyInput extends ForumPostRef {
  reply_content: string;
}

/** What {@link ForumApi.uploadPicture} takes (001 "Create Forum Picture"). */
export interface ForumPictureUpload {
  /** jpg, jpeg, png, gif or webp. */
  image_type: ForumImageType | (string & {});
  /** Base64 of the picture, at most 5 MB decoded. */
  image_data: string;
}

/** What {@link ForumApi.uploadPictureFile} takes. */
export interface ForumPictureFile {
  file: Blob | ArrayBuffer | Uint8Array;
  contentType: ForumImageMime;
}

/** A picture by post and index (001 "Get Forum Picture"). */
export interface ForumPictureRef extends ForumPostRef {
  picture_index: number;
}

/** `marquee.forum`. */
export interface ForumApi {
  /**
   * The 10 posts older than `last_post_id` (the latest 10 without it), newest first: 001's
   * `{posts: [...]}`. 401 "Access token is required" when signed out.
   *
   * @example
   * ```ts
   * const { posts } = await marquee.forum.feed();
   * const older = await marquee.forum.feed({ last_post_id: posts.at(-1)?.postid });
   * ```
   */
  feed(params?: ForumFeedParams): Promise<{ posts: ForumPost[] }>;
  /**
   * Creates a post: `{postid, created_at}`. 400 `{"content": ["Content is required"]}`.
   *
   * @example
   * ```ts
   * const base64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
   * const { filename } = await marquee.forum.uploadPicture({ image_type: 'png', image_data: base64 });
   * const { postid } = await marquee.forum.create({ content: 'Hello, forum', picture_names: [filename] });
   * ```
   */
  create(input: ForumPostInput): Promise<{ postid: number; created_at: string }>;
  /**
   * Deletes your own post (admins: any post).
   *
   * @example
   * ```ts
   * await marquee.forum.remove({ postid: 42 });
   * ```
   */
  remove(input: ForumPostRef): Promise<void>;
  /**
   * Replies to a post and answers every reply you may read: 001's `{replies: [...]}`. 400
   * "Postid is required" / "Reply content is required"; 404 "Post not found"; 403 across a block.
   *
   * @example
   * ```ts
   * const { replies } = await marquee.forum.reply({ postid: 42, reply_content: 'Nice one' });
   * ```
   */
  reply(input: ForumReplyInput): Promise<{ replies: ForumReply[] }>;
  /**
   * Likes a post, or takes the like back: `{likes, isliked}` (rpc `forum_toggle_like`).
   *
   * @example
   * ```ts
   * const { likes, isliked } = await marquee.forum.toggleLike({ postid: 42 });
   * ```
   */
  toggleLike(input: ForumPostRef): Promise<{ likes: number; isliked: boolean }>;
  /**
   * Uploads a base64 picture through the forum-pictures function: `{filename}`. 400 with 001's
   * messages ("Image type is required", "Image data is required", "Invalid base64 data",
   * "Image size exceeds 5MB") or "Image data is not a png image." when the bytes are another type.
   *
   * @example
   * ```ts
   * import { rules } from '@marquee/sdk';
   * const bytes = new Uint8Array(await file.arrayBuffer());
   * const { filename } = await marquee.forum.uploadPicture({ image_type: 'jpg', image_data: rules.encodeBase64(bytes) });
   * ```
   */
  uploadPicture(input: ForumPictureUpload): Promise<{ filename: string }>;
  /**
   * Uploads a picture with plain `supabase.storage` into your `<uid>/` folder of the
   * `forum-pictures` bucket under its `<sha256>-<timestamp>.<ext>` name, then has the
   * forum-pictures function check its bytes: `{filename}`.
   *
   * @example
   * ```ts
   * const { filename } = await marquee.forum.uploadPictureFile({ file, contentType: 'image/png' });
   * ```
   */
  uploadPictureFile(input: ForumPictureFile): Promise<{ filename: string }>;
  /**
   * A post's picture by index (from 0): `{image: base64, content_type, filename}`; 404
   * "Picture not found".
   *
   * @example
   * ```ts
   * const { image, content_type } = await marquee.forum.picture({ postid: 42, picture_index: 0 });
   * const src = `data:${content_type};base64,${image}`; // an <img> source
   * ```
   */
  picture(input: ForumPictureRef): Promise<{ image: string; content_type: string; filename: string }>;
}

async function bytesOf(file: Blob | ArrayBuffer | Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (file instanceof Uint8Array) return new Uint8Array(file);
  if (file instanceof ArrayBuffer) return new Uint8Array(file);
  return new Uint8Array(await file.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Builds `marquee.forum` over a typed supabase-js client (`createMarquee` does this for you).
 *
 * @example
 * ```ts
 * const forum = createForumApi(createClient<Database>(url, key));
 * await forum.feed();
 * ```
 */
export function createForumApi(supabase: MarqueeSupabaseClient): ForumApi {
  return {
    async feed(params = {}) {
      const { last_post_id } = parseInput(forumFeedParams, params);
      const data = await unwrap(supabase.rpc('forum_feed', last_post_id == null ? {} : { p_last_post_id: last_post_id }));
      return data as unknown as { posts: ForumPost[] };
    },

    async create(input) {
      const body = parseInput(forumPostBody, input);
      const data = await unwrap(supabase.rpc('create_forum_post', { p_content: body.content, p_picture_names: body.picture_names ?? [] }));
      return data as unknown as { postid: number; created_at: string };
    },

    async remove(input) {
      const { postid } = parseInput(forumLikeBody, input);
      const rows = await unwrap(supabase.from('forum_posts').delete().eq('id', postid).select('id'));
      if (rows.length === 0) throw new MarqueeError({ status: 404, code: 'not_found', detail: FORUM_MESSAGES.postNotFound });
      await drainStorageRemovals(supabase);
    },

    async reply(input) {
      const body = parseInput(forumReplyBody, input);
      const data = await unwrap(supabase.rpc('forum_reply', { p_post_id: body.postid, p_reply_content: body.reply_content }));
      return data as unknown as { replies: ForumReply[] };
    },

    async toggleLike(input) {
      const { postid } = parseInput(forumLikeBody, input);
      const data = await unwrap(supabase.rpc('forum_toggle_like', { p_post_id: postid }));
      return data as unknown as { likes: number; isliked: boolean };
    },

    async uploadPicture(input) {
      const body = parseInput(forumPictureUploadBody, input);
      return invokeFunction<{ filename: string }>(supabase, 'forum-pictures', body);
    },

    async uploadPictureFile(input) {
      const user = await currentUser(supabase);
      if (!Object.values(FORUM_IMAGE_TYPES).includes(input.contentType)) {
        throw new MarqueeError({ status: 400, code: 'invalid_mime_type', detail: 'Not a forum picture type.', fields: { contentType: ['Not a forum picture type.'] } });
      }
      const bytes = await bytesOf(input.file);
      if (bytes.byteLength > FORUM_PICTURE_MAX_BYTES) {
        throw new MarqueeError({ status: 400, code: 'invalid', detail: FORUM_MESSAGES.imageTooLarge, fields: { file: [FORUM_MESSAGES.imageTooLarge] } });
      }
      const filename = forumPictureName(await sha256Hex(bytes), input.contentType);
      await unwrap(
        supabase.storage.from(FORUM_PICTURES_BUCKET).upload(`${user.id}/${filename}`, bytes, { contentType: input.contentType, upsert: false }),
      );
      return invokeFunction<{ filename: string }>(supabase, 'forum-pictures/verify', { filename });
    },

    async picture(input) {
      const { postid, picture_index } = parseInput(forumPictureRef, input);
      return invokeFunction(supabase, `forum-pictures/${postid}/${picture_index}`);
    },
  };
}
