import { describe, expect, it } from 'vitest';
import { rules } from '../../sdk/src/index.ts';
import { GIF, HTML, JPEG, PNG, WEBP } from '../functions/forum-images.ts';

/** The forum's shared rules (sdk/src/rules/forum.ts), which the SDK and the forum-pictures function both run. */
describe('forum rules', () => {
  it.each([
    [PNG, 'image/png'],
    [JPEG, 'image/jpeg'],
    [GIF, 'image/gif'],
    [WEBP, 'image/webp'],
    [HTML, null],
    [Buffer.from('RIFF\0\0\0\0WAVE'), null],
    [Buffer.alloc(0), null],
  ])('sniffImageType(%#) → %s', (bytes, expected) => {
    expect(rules.sniffImageType(new Uint8Array(bytes))).toBe(expected);
  });

  it('decodeForumImage decodes base64, ignores line breaks, and answers 001\'s messages', () => {
    const encoded = PNG.toString('base64');
    expect(Buffer.from(rules.decodeForumImage(encoded).bytes!)).toEqual(PNG);
    expect(Buffer.from(rules.decodeForumImage(encoded.replace(/(.{20})/g, '$1\n')).bytes!)).toEqual(PNG);
    for (const bad of ['abc', 'ab=c', '****', 'data:image/png;base64,' + encoded]) {
      expect(rules.decodeForumImage(bad)).toEqual({ error: 'Invalid base64 data' });
    }
    const limit = rules.FORUM_PICTURE_MAX_BYTES;
    expect(rules.decodeForumImage(Buffer.alloc(limit).toString('base64')).bytes?.byteLength).toBe(limit);
    expect(rules.decodeForumImage(Buffer.alloc(limit + 1).toString('base64'))).toEqual({ error: 'Image size exceeds 5MB' });
  });

  it('encodeBase64 round-trips large pictures', () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    expect(rules.encodeBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('forumPictureName is <sha256>-<YYYYMMDDTHHMMSSmmmZ>.<ext> and matches FORUM_PICTURE_NAME', () => {
    const name = rules.forumPictureName('a'.repeat(64), 'image/jpeg', new Date('2026-11-29T17:31:42.123Z'));
    expect(name).toBe(`${'a'.repeat(64)}-20261129T173142123Z.jpg`);
    expect(rules.FORUM_PICTURE_NAME.test(name)).toBe(true);
    expect(rules.mimeOfPictureName(name)).toBe('image/jpeg');
    expect(rules.FORUM_PICTURE_NAME.test(`../${name}`)).toBe(false);
  });
});
