/** An object's bytes as storage-api's asset renderer answers: ETag, ranges, cache and download headers. */
import type { FileStore } from './backend/file-store.ts';
import { ERRORS } from './errors.ts';
import type { ObjectRow } from './objects.ts';

export interface ServeOptions {
  head: boolean;
  /** `?download` (attachment) or `?download=name`. */
  download?: string;
  /** Expiry of a signed URL, sent as `Expires`. */
  expires?: Date;
}

/** storage-api's parseRangeHeader: `bytes=a-b`, `bytes=a-`, `bytes=-n`. */
export function parseRange(header: string, size: number): { start: number; end: number } {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || size <= 0 || (!match[1] && !match[2])) throw ERRORS.invalidRange();
  if (!match[1]) {
    const suffix = Number(match[2]);
    if (!Number.isSafeInteger(suffix) || suffix <= 0) throw ERRORS.invalidRange();
    return { start: Math.max(size - suffix, 0), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] ? Number(match[2]) : size - 1;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start > end || start >= size) throw ERRORS.invalidRange();
  return { start, end: Math.min(end, size - 1) };
}

/** storage-api's normalizeContentType: an uploaded HTML page is served as text, never rendered. */
export function servedContentType(mimetype: string | undefined): string {
  if (!mimetype) return 'application/octet-stream';
  return mimetype.toLowerCase().includes('text/html') ? 'text/plain' : mimetype;
}

export function serveObject(request: Request, files: FileStore, object: ObjectRow, options: ServeOptions): Response {
  const metadata = object.metadata;
  const size = Number(metadata?.size ?? 0);
  const headers = new Headers({
    'Accept-Ranges': 'bytes',
    'Content-Type': servedContentType(metadata?.mimetype),
    // Browsers must not sniff an upload into something else than its declared type (HTML in a .png).
    'X-Content-Type-Options': 'nosniff',
  });
  if (metadata?.eTag) headers.set('ETag', metadata.eTag);
  if (metadata?.cacheControl) headers.set('Cache-Control', metadata.cacheControl);
  if (metadata?.lastModified) headers.set('Last-Modified', new Date(metadata.lastModified).toUTCString());
  if (options.expires) headers.set('Expires', options.expires.toUTCString());
  if (options.download !== undefined) {
    headers.set('Content-Disposition', options.download === ''
      ? 'attachment;'
      : `attachment; filename=${encodeURIComponent(options.download)}; filename*=UTF-8''${encodeURIComponent(options.download)};`);
  }

  const ifNoneMatch = request.headers.get('if-none-match');
  if (ifNoneMatch && metadata?.eTag && ifNoneMatch.split(',').map((t) => t.trim()).includes(metadata.eTag)) {
    return new Response(null, { status: 304, headers });
  }

  const rangeHeader = request.headers.get('range');
  const range = rangeHeader ? parseRange(rangeHeader, size) : undefined;
  if (range) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
  headers.set('Content-Length', String(range ? range.end - range.start + 1 : size));
  const status = range ? 206 : 200;
  if (options.head) return new Response(null, { status, headers });
  const body = size === 0 ? null : files.read(object.bucket_id, object.name, object.version ?? '', range);
  return new Response(body, { status, headers });
}

/** `/object/info/...`: storage-api's InfoRenderer body. */
export function objectInfo(object: ObjectRow) {
  const metadata = object.metadata;
  return {
    id: object.id,
    name: object.name,
    version: object.version,
    bucket_id: object.bucket_id,
    size: metadata?.size ?? null,
    content_type: metadata?.mimetype ?? null,
    cache_control: metadata?.cacheControl ?? null,
    etag: metadata?.eTag ?? null,
    metadata: object.user_metadata,
    last_modified: object.updated_at,
    created_at: object.created_at,
  };
}
