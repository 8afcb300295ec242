import { describe, expect, it } from 'vitest';
import { rules } from '../../sdk/src/index.ts';

/** The post rules the SDK and the functions share (sdk/src/rules/posts.ts), without a stack. */
describe('YouTube ids', () => {
  it.each([
    ['dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['  aBcDeFgHi_-  ', 'aBcDeFgHi_-'],
    ['https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42', 'dQw4w9WgXcQ'],
    ['youtube.com/watch?v=dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://m.youtube.com/watch?v=dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://youtu.be/dQw4w9WgXcQ?si=abc', 'dQw4w9WgXcQ'],
    ['https://www.youtube.com/shorts/aBcDeFgHi_-', 'aBcDeFgHi_-'],
    ['https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
    ['https://www.youtube.com/live/dQw4w9WgXcQ', 'dQw4w9WgXcQ'],
  ])('%s → %s', (input, id) => {
    expect(rules.youtubeIdOf(input)).toBe(id);
  });

  it.each([
    'dQw4w9WgXc',
    'dQw4w9WgXcQQ',
    'dQw4w9WgX!Q',
    'https://vimeo.com/watch?v=dQw4w9WgXcQ',
    'https://youtube.com.evil.test/watch?v=dQw4w9WgXcQ',
    'https://www.youtube.com/watch?v=short',
    'https://www.youtube.com/channel/dQw4w9WgXcQ',
    'javascript:alert(1)//youtu.be/dQw4w9WgXcQ',
    '',
  ])('%s is not one', (input) => {
    expect(rules.youtubeIdOf(input)).toBeNull();
  });
});

describe('media kinds', () => {
  it('each type belongs to one kind, with the limits the buckets carry', () => {
    expect(Object.fromEntries(Object.entries(rules.MEDIA_KINDS).map(([kind, rule]) => [kind, [rule.bucket, rule.maxBytes / 1024 / 1024]]))).toEqual({
      image: ['post-images', 5],
      video: ['post-videos', 50],
      audio: ['post-audio', 20],
      document: ['post-documents', 10],
    });
    expect(['image/gif', 'video/quicktime', 'audio/wav', rules.DOCX_CONTENT_TYPE, 'text/html'].map(rules.mediaKindOf)).toEqual(['image', 'video', 'audio', 'document', null]);
  });

  it('sniffed types match only their declared type', () => {
    expect(rules.contentMatches('image/png', 'image/png')).toBe(true);
    expect(rules.contentMatches('image/png', 'image/apng')).toBe(true);
    expect(rules.contentMatches('image/png', 'image/jpeg')).toBe(false);
    expect(rules.contentMatches('application/pdf', undefined)).toBe(false);
    expect(rules.contentMatches('text/html', 'text/html')).toBe(false);
  });
});
