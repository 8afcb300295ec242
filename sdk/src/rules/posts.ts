/**
 * Rules for posts and their files: the fields a client writes (title 1–150 characters, description
 * up to 5000, type, visibility, YouTube id), and the media kinds with their buckets, types and size
 * limits. The database holds the same limits (posts' checks, post_media's kind rule, the buckets);
 * these give the SDK and the functions the field-level message first.
 */
import { z } from 'zod';
import { NOT_A_STRING, REQUIRED, invalidChoice, maxLength } from './messages.ts';
import { body, id, text } from './fields.ts';

export const POST_TITLE_MAX = 150;
export const POST_DESCRIPTION_MAX = 5000;
export const POST_TYPES = ['post', 'reel', 'video', 'youtube_video', 'youtube_reel'] as const;
export const POST_VISIBILITIES = ['public', 'unlisted', 'private'] as const;
export const INVALID_YOUTUBE_ID = 'Enter a valid YouTube video id (11 letters, digits, - or _) or a YouTube link.';

/** A post's type (000 §13). */
export type PostType = (typeof POST_TYPES)[number];
/** Who may read a post: everyone, whoever has its id, or only its author. */
export type PostVisibility = (typeof POST_VISIBILITIES)[number];

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = new Set(['youtube.com', 'www.youtube.com', 'm.youtube.com', 'music.youtube.com', 'youtube-nocookie.com', 'www.youtube-nocookie.com']);

/**
 * The 11-character id in a YouTube id or link (`watch?v=`, `youtu.be/`, `/shorts/`, `/embed/`,
 * `/live/`, `/v/`), or null when the text is neither.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.youtubeIdOf('https://youtu.be/dQw4w9WgXcQ'); // 'dQw4w9WgXcQ'
 * rules.youtubeIdOf('https://vimeo.com/1');          // null
 * ```
 */
export function youtubeIdOf(value: string): string | null {
  const trimmed = value.trim();
  if (YOUTUBE_ID.test(trimmed)) return trimmed;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.toLowerCase();
  let candidate: string | null = null;
  if (host === 'youtu.be') candidate = url.pathname.split('/')[1] ?? null;
  else if (YOUTUBE_HOSTS.has(host)) {
    const [first, second] = url.pathname.split('/').slice(1);
    if (first === 'watch') candidate = url.searchParams.get('v');
    else if (first && ['shorts', 'embed', 'live', 'v'].includes(first)) candidate = second ?? null;
  }
  return candidate && YOUTUBE_ID.test(candidate) ? candidate : null;
}

/** A YouTube id, or a YouTube link reduced to its id. */
export const youtubeId = z
  .string({ error: (issue) => (issue.input === undefined ? REQUIRED : NOT_A_STRING) })
  .transform((value, ctx) => {
    const found = youtubeIdOf(value);
    if (!found) {
      ctx.addIssue({ code: 'custom', message: INVALID_YOUTUBE_ID });
      return z.NEVER;
    }
    return found;
  });

export const postTitle = text().max(POST_TITLE_MAX, { error: maxLength(POST_TITLE_MAX), abort: true });
export const postDescription = z
  .string({ error: NOT_A_STRING })
  .trim()
  .max(POST_DESCRIPTION_MAX, maxLength(POST_DESCRIPTION_MAX));
export const postType = z.enum(POST_TYPES, { error: (issue) => invalidChoice(issue.input) });
export const postVisibility = z.enum(POST_VISIBILITIES, { error: (issue) => invalidChoice(issue.input) });
/** A storage object path (reels' and videos' media), never a URL or a `..` step. */
export const objectPath = text()
  .max(300, maxLength(300))
  .refine((v) => !/^[a-z][a-z0-9+.-]*:/i.test(v) && !v.split('/').includes('..'), 'Enter a storage object path.');

export const YOUTUBE_ID_REQUIRED = 'A YouTube id is required for YouTube posts.';
export const YOUTUBE_ID_NOT_ALLOWED = 'Only YouTube posts carry a YouTube id.';
export const MEDIA_PATH_REQUIRED = 'Reels and videos need the storage path of their video.';

/**
 * `post_type` ↔ `youtube_id` / `media_path`, as the database's checks pair them: field errors.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.postTypeChecks({ post_type: 'youtube_video' }); // { youtube_id: ['A YouTube id is required for YouTube posts.'] }
 * ```
 */
export function postTypeChecks(raw: Record<string, unknown>): Record<string, string[]> {
  const type = raw.post_type ?? 'post';
  const errors: Record<string, string[]> = {};
  const isYoutube = type === 'youtube_video' || type === 'youtube_reel';
  if (isYoutube && (raw.youtube_id === undefined || raw.youtube_id === null)) errors.youtube_id = [YOUTUBE_ID_REQUIRED];
  if (!isYoutube && raw.youtube_id !== undefined && raw.youtube_id !== null) errors.youtube_id = [YOUTUBE_ID_NOT_ALLOWED];
  if ((type === 'reel' || type === 'video') && (raw.media_path === undefined || raw.media_path === null)) errors.media_path = [MEDIA_PATH_REQUIRED];
  return errors;
}

/** What a new post carries (the banner and media files are attached after it exists). */
export const createPostBody = body({
  post_type: postType.optional(),
  post_title: postTitle,
  post_description: postDescription.optional(),
  youtube_id: youtubeId.nullish(),
  media_path: objectPath.nullish(),
  thumbnail_path: objectPath.nullish(),
  visibility: postVisibility.optional(),
});

/** An edit of a post: any of its content fields (the type is chosen once). */
export const updatePostBody = body({
  id,
  post_title: postTitle.optional(),
  post_description: postDescription.optional(),
  youtube_id: youtubeId.optional(),
  visibility: postVisibility.optional(),
});

// --- files -----------------------------------------------------------------------------------------

/** A post media kind (004) and what it accepts: its bucket, its types and their largest size. */
export interface MediaKindRule {
  bucket: string;
  types: readonly string[];
  maxBytes: number;
}

const MiB = 1024 * 1024;
export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const MEDIA_KINDS = {
  image: { bucket: 'post-images', types: ['image/jpeg', 'image/png', 'image/gif'], maxBytes: 5 * MiB },
  video: { bucket: 'post-videos', types: ['video/mp4', 'video/quicktime'], maxBytes: 50 * MiB },
  audio: { bucket: 'post-audio', types: ['audio/mpeg', 'audio/wav'], maxBytes: 20 * MiB },
  document: { bucket: 'post-documents', types: ['application/pdf', DOCX_CONTENT_TYPE], maxBytes: 10 * MiB },
} as const satisfies Record<string, MediaKindRule>;
export type MediaKind = keyof typeof MEDIA_KINDS;

/** Banners: one image per post. */
export const BANNER_RULE = { bucket: 'post-banners', types: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'], maxBytes: 5 * MiB } as const satisfies MediaKindRule;
export const POST_BUCKETS = [BANNER_RULE.bucket, ...Object.values(MEDIA_KINDS).map((rule) => rule.bucket)] as const;

/** File extension each accepted type is stored under. */
export const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'application/pdf': 'pdf',
  [DOCX_CONTENT_TYPE]: 'docx',
};

/**
 * The media kind whose types include `contentType`, or null.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.mediaKindOf('audio/mpeg'); // 'audio'
 * rules.MEDIA_KINDS.audio.maxBytes; // 20 MiB
 * ```
 */
export function mediaKindOf(contentType: string): MediaKind | null {
  for (const [kind, rule] of Object.entries(MEDIA_KINDS)) if ((rule.types as readonly string[]).includes(contentType)) return kind as MediaKind;
  return null;
}

/** `1 MB`-style size for messages. */
const megabytes = (bytes: number) => `${Math.round(bytes / MiB)} MB`;
/**
 * The message for a file over its kind's size limit.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.fileTooLarge(rules.MEDIA_KINDS.audio); // 'The file is larger than 20 MB.'
 * ```
 */
export const fileTooLarge = (rule: MediaKindRule) => `The file is larger than ${megabytes(rule.maxBytes)}.`;
/**
 * The message for a file whose type is not among `types`.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.unsupportedType(rules.BANNER_RULE.types); // 'Upload a file of one of these types: image/jpeg, image/png, image/gif, image/webp.'
 * ```
 */
export const unsupportedType = (types: readonly string[]) => `Upload a file of one of these types: ${types.join(', ')}.`;
export const CONTENT_MISMATCH = "The file's contents are not of its declared type.";
export const NOT_OWN_FOLDER = 'You can only attach files from your own folder.';

/** The types a sniffer may report for bytes of a declared type (an animated PNG is still a PNG). */
export const SNIFFED_TYPES: Record<string, readonly string[]> = {
  'image/jpeg': ['image/jpeg'],
  'image/png': ['image/png', 'image/apng'],
  'image/gif': ['image/gif'],
  'image/webp': ['image/webp'],
  'video/mp4': ['video/mp4'],
  'video/quicktime': ['video/quicktime'],
  'audio/mpeg': ['audio/mpeg'],
  'audio/wav': ['audio/wav', 'audio/vnd.wave', 'audio/x-wav'],
  'application/pdf': ['application/pdf'],
  [DOCX_CONTENT_TYPE]: [DOCX_CONTENT_TYPE],
};

/**
 * Whether bytes sniffed as `sniffed` (undefined: unrecognised) may be stored as `declared`.
 *
 * @example
 * ```ts
 * import { rules } from '@marquee/sdk';
 *
 * rules.contentMatches('image/png', 'image/png'); // true
 * rules.contentMatches('image/png', undefined);   // false: an HTML page declared as a PNG
 * ```
 */
export function contentMatches(declared: string, sniffed: string | undefined): boolean {
  return sniffed !== undefined && (SNIFFED_TYPES[declared.split(';')[0]!.trim().toLowerCase()] ?? []).includes(sniffed);
}

/** What the post-media function takes: an uploaded object to attach to one of the caller's posts. */
export const attachPostFileBody = body({
  post_id: id,
  bucket: z.enum(POST_BUCKETS, { error: (issue) => invalidChoice(issue.input) }),
  path: objectPath,
});
