/**
 * What an upload request carries, read as storage-api reads it: multipart form-data (the file part,
 * plus `cacheControl`, `contentType` and `metadata` fields) or a raw body (Content-Type,
 * Cache-Control and base64 JSON `x-metadata` headers).
 */
import { ERRORS } from './errors.ts';

export interface UploadSource {
  body: AsyncIterable<Uint8Array>;
  mimeType: string;
  cacheControl: string;
  userMetadata: Record<string, unknown> | undefined;
  /** The size the client announced (Content-Length, or the form file's size), when known. */
  declaredSize: number | undefined;
}

/** Slack allowed for multipart framing before a Content-Length is refused outright. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function readUploadSource(request: Request, maxBytes: number): Promise<UploadSource> {
  const contentType = request.headers.get('content-type') ?? '';
  const contentLength = Number(request.headers.get('content-length') ?? Number.NaN);
  const isMultipart = contentType.toLowerCase().startsWith('multipart/form-data');
  if (Number.isFinite(contentLength) && contentLength > maxBytes + (isMultipart ? MULTIPART_OVERHEAD : 0)) {
    throw ERRORS.entityTooLarge();
  }

  if (isMultipart) {
    const form = await request.formData();
    let file: Blob | undefined;
    for (const [, value] of form.entries()) {
      if (typeof value !== 'string') {
        file = value;
        break;
      }
    }
    if (!file) throw ERRORS.noContentProvided();
    const field = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' && value !== '' ? value : undefined;
    };
    const cacheTime = field('cacheControl');
    return {
      body: file.stream() as unknown as AsyncIterable<Uint8Array>,
      mimeType: field('contentType') ?? (file.type || 'text/plain'),
      cacheControl: cacheTime ? `max-age=${cacheTime}` : 'no-cache',
      userMetadata: parseUserMetadata(field('metadata')),
      declaredSize: file.size,
    };
  }

  const metadataHeader = request.headers.get('x-metadata');
  return {
    body: (request.body ?? emptyBody()) as unknown as AsyncIterable<Uint8Array>,
    mimeType: contentType || 'application/octet-stream',
    cacheControl: request.headers.get('cache-control') ?? 'no-cache',
    userMetadata: metadataHeader ? parseUserMetadata(Buffer.from(metadataHeader, 'base64').toString('utf8')) : undefined,
    declaredSize: Number.isFinite(contentLength) ? contentLength : undefined,
  };
}

export function parseUserMetadata(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw ERRORS.invalidParameter('metadata', 'Invalid metadata');
}

async function* emptyBody(): AsyncIterable<Uint8Array> {
  // no bytes
}
