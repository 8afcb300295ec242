import { createHash } from 'node:crypto';

/**
 * Small pictures for the forum tests: real signatures (a 1×1 PNG, a JPEG/GIF/WebP header) so the
 * byte check passes, and bytes that are something else.
 */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0 a tiny jpeg body')]);
export const GIF = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
export const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x1a, 0, 0, 0]), Buffer.from('WEBPVP8 a tiny webp body')]);
export const HTML = Buffer.from('<!doctype html><script>alert(1)</script>');

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A picture name as the forum stores it, for these bytes. */
export const pictureName = (bytes: Uint8Array, ext: string) => `${sha256(bytes)}-20261129T120000000Z.${ext}`;

/** `size` bytes that start like a PNG. */
export function pngOfSize(size: number): Buffer {
  const bytes = Buffer.alloc(size, 0x41);
  PNG.copy(bytes, 0, 0, 8);
  return bytes;
}
