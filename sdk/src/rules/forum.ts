/**
 * The forum's input rules (001): post and reply bodies, picture names, the base64 picture upload, and
 * the picture byte check. The forum-pictures edge function and `marquee.forum` both use them, and the
 * database checks the same limits (supabase/migrations/*_forum_*.sql).
 */
import { z } from 'zod';
import { body, text } from './fields.ts';
import { NOT_AN_INTEGER, REQUIRED, maxLength } from './messages.ts';

/** 001's messages. */
export const FORUM_MESSAGES = {
  accessTokenRequired: 'Access token is required',
  contentRequired: 'Content is required',
  postidRequired: 'Postid is required',
  replyContentRequired: 'Reply content is required',
  postNotFound: 'Post not found',
  pictureNotFound: 'Picture not found',
  imageTypeRequired: 'Image type is required',
  imageDataRequired: 'Image data is required',
  invalidBase64: 'Invalid base64 data',
  imageTooLarge: 'Image size exceeds 5MB',
} as const;

/** Longest forum post, in characters. */
export const FORUM_CONTENT_MAX = 5000;
/** Longest reply, in characters. */
export const FORUM_REPLY_MAX = 2000;
/** Most pictures on one post. */
export const FORUM_PICTURES_MAX = 10;
/** Largest picture: 5 MB (5 × 1024 × 1024 bytes), as the bucket's limit. */
export const FORUM_PICTURE_MAX_BYTES = 5 * 1024 * 1024;
/** The storage bucket forum pictures live in, each under its owner's `<uid>/` folder. */
export const FORUM_PICTURES_BUCKET = 'forum-pictures';

/** The picture types the forum takes: `image_type` (001: "jpg", "png", …) → MIME type. */
export const FORUM_IMAGE_TYPES = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
} as const;
export type ForumImageType = keyof typeof FORUM_IMAGE_TYPES;
export type ForumImageMime = (typeof FORUM_IMAGE_TYPES)[ForumImageType];

/** The file extension a stored picture of this MIME type gets. */
export const FORUM_IMAGE_EXTENSIONS: Record<ForumImageMime, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
};

/**
 * The message for an `image_type` the forum does not take.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.unsupportedImageType(); // 'Image type must be one of jpg, jpeg, png, gif, webp.'
 * ```
 */
export const unsupportedImageType = () => `Image type must be one of ${Object.keys(FORUM_IMAGE_TYPES).join(', ')}.`;
/**
 * The message for bytes that are not the declared `image_type`.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.imageDataMismatch('png'); // 'Image data is not a png image.'
 * ```
 */
export const imageDataMismatch = (type: string) => `Image data is not a ${type} image.`;

/**
 * A stored picture's name: `<sha256 of the bytes, hex>-<UTC time YYYYMMDDTHHMMSSmmmZ>.<ext>`
 * (001's `<hash>-<timestamp>.<ext>`, without characters object keys handle badly).
 */
export const FORUM_PICTURE_NAME = /^[0-9a-f]{64}-[0-9]{8}T[0-9]{9}Z\.(jpg|png|gif|webp)$/;

/**
 * The name a picture with this hash, uploaded at `at`, is stored under.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.forumPictureName('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'image/png', new Date('2026-11-29T17:31:42.123Z'));
 * // '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08-20261129T173142123Z.png'
 * ```
 */
export function forumPictureName(sha256Hex: string, mime: ForumImageMime, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/[-:.]/g, ''); // 20261129T173142123Z
  return `${sha256Hex}-${stamp}.${FORUM_IMAGE_EXTENSIONS[mime]}`;
}

/**
 * The MIME type a picture name's extension stands for.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.mimeOfPictureName('9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08-20261129T173142123Z.png'); // 'image/png'
 * rules.mimeOfPictureName('holiday.png'); // null: not a stored picture name
 * ```
 */
export function mimeOfPictureName(name: string): ForumImageMime | null {
  const match = FORUM_PICTURE_NAME.exec(name);
  return match ? FORUM_IMAGE_TYPES[match[1] as ForumImageType] : null;
}

/**
 * What the bytes are, from their signature (the first bytes every such file starts with): JPEG
 * `FF D8 FF`, PNG's 8-byte signature, GIF87a/GIF89a, WebP's `RIFF….WEBP`; null for anything else.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * const bytes = new Uint8Array(await file.arrayBuffer());
 * if (rules.sniffImageType(bytes) !== 'image/png') console.log(rules.imageDataMismatch('png'));
 * ```
 */
export function sniffImageType(bytes: Uint8Array): ForumImageMime | null {
  const starts = (signature: number[], offset = 0) => signature.every((byte, i) => bytes[offset + i] === byte);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

// Character classes only: a grouped repetition over megabytes of input overflows the regex engine's stack.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decodes 001's `image_data` (standard base64; line breaks and spaces are ignored): the bytes, or the
 * message to answer — "Invalid base64 data", or "Image size exceeds 5MB" (judged from the length,
 * before decoding).
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * const decoded = rules.decodeForumImage('aGk=');
 * if (decoded.bytes) decoded.bytes.length; // 2
 * else console.log(decoded.error);         // e.g. 'Invalid base64 data'
 * ```
 */
export function decodeForumImage(data: string): { bytes: Uint8Array; error?: undefined } | { bytes?: undefined; error: string } {
  const compact = data.replace(/\s+/g, '');
  if (compact === '' || compact.length % 4 !== 0 || !BASE64.test(compact)) return { error: FORUM_MESSAGES.invalidBase64 };
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  if ((compact.length / 4) * 3 - padding > FORUM_PICTURE_MAX_BYTES) return { error: FORUM_MESSAGES.imageTooLarge };
  const binary = atob(compact);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { bytes };
}

/**
 * Standard base64 of `bytes` (in chunks, so large pictures do not overflow the call stack).
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.encodeBase64(new TextEncoder().encode('hi')); // 'aGk='
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A forum post id (`postid`), with 001's message when missing. */
export const forumPostId = z
  .number({ error: (issue) => (issue.input === undefined || issue.input === null ? FORUM_MESSAGES.postidRequired : NOT_AN_INTEGER) })
  .int(NOT_AN_INTEGER)
  .positive(NOT_AN_INTEGER);

/** A picture name as stored (see {@link FORUM_PICTURE_NAME}). */
export const forumPictureFilename = text().regex(FORUM_PICTURE_NAME, 'Not a forum picture name (<hash>-<timestamp>.<ext>).');

/** 001 "Create Forum Post": `content`, optional `picture_names` (and `picture_count`, which must match them). */
export const forumPostBody = body({
  content: text({ required: FORUM_MESSAGES.contentRequired, blank: FORUM_MESSAGES.contentRequired, trim: false })
    .refine((value) => value.trim() !== '', FORUM_MESSAGES.contentRequired)
    .refine((value) => value.length <= FORUM_CONTENT_MAX, maxLength(FORUM_CONTENT_MAX)),
  picture_names: z
    .array(forumPictureFilename, { error: 'Expected a list of picture names.' })
    .max(FORUM_PICTURES_MAX, `A forum post can have at most ${FORUM_PICTURES_MAX} pictures.`)
    .refine((names) => new Set(names).size === names.length, 'A picture can be on a post only once.')
    .optional(),
  picture_count: z.number({ error: NOT_AN_INTEGER }).int(NOT_AN_INTEGER).min(0, NOT_AN_INTEGER).optional(),
}).superRefine((value, ctx) => {
  if (value.picture_count !== undefined && value.picture_count !== (value.picture_names?.length ?? 0)) {
    ctx.addIssue({ code: 'custom', path: ['picture_count'], message: 'picture_count must equal the number of picture_names.' });
  }
});

/** 001 "Reply to Forum Post": `postid` and `reply_content`. */
export const forumReplyBody = body({
  postid: forumPostId,
  reply_content: text({ required: FORUM_MESSAGES.replyContentRequired, blank: FORUM_MESSAGES.replyContentRequired, trim: false })
    .refine((value) => value.trim() !== '', FORUM_MESSAGES.replyContentRequired)
    .refine((value) => value.length <= FORUM_REPLY_MAX, maxLength(FORUM_REPLY_MAX)),
});

/** 001 "Like Forum Post": `postid`. */
export const forumLikeBody = body({ postid: forumPostId });

/** 001 "Get Forum Posts": optional `last_post_id`. */
export const forumFeedParams = body({
  last_post_id: z
    .number({ error: NOT_AN_INTEGER })
    .int(NOT_AN_INTEGER)
    .positive(NOT_AN_INTEGER)
    .nullish(),
});

/** 001 "Get Forum Picture": `postid` and `picture_index` (from 0). */
export const forumPictureRef = body({
  postid: forumPostId,
  picture_index: z
    .number({ error: (issue) => (issue.input === undefined ? REQUIRED : NOT_AN_INTEGER) })
    .int(NOT_AN_INTEGER)
    .min(0, NOT_AN_INTEGER),
});

/** 001 "Create Forum Picture": `image_type` (jpg, jpeg, png, gif, webp, any case) and base64 `image_data`. */
export const forumPictureUploadBody = body({
  image_type: text({ required: FORUM_MESSAGES.imageTypeRequired, blank: FORUM_MESSAGES.imageTypeRequired })
    .transform((value) => value.toLowerCase())
    .refine((value) => Object.hasOwn(FORUM_IMAGE_TYPES, value), unsupportedImageType())
    .transform((value) => value as ForumImageType),
  image_data: text({ required: FORUM_MESSAGES.imageDataRequired, blank: FORUM_MESSAGES.imageDataRequired, trim: false }),
});

/** The plain-storage path: the name of a picture the caller uploaded to their folder, to be checked. */
export const forumPictureVerifyBody = body({ filename: forumPictureFilename });
