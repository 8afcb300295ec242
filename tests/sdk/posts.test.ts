import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import type pg from 'pg';
import { createMarquee } from '../../sdk/src/index.ts';
import { sql, type TestUser } from '../functions/accounts.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { GIF, HTML, JPEG, PDF, PNG } from '../helpers/media-samples.ts';
import { stored } from '../helpers/posts.ts';
import { refusal, signedIn, type Signed } from './signed-in.ts';

/** User journeys through `marquee.posts`: every type, files, edits, deletes, and bad input that changes nothing. */
let db: pg.Client;
let author: Signed;
let reader: Signed;
const signedOut = () => {
  const stack = stackEnv();
  return createMarquee({ url: stack.url, key: stack.anonKey, options: { auth: { persistSession: false }, realtime: { transport: ws as never } } });
};

beforeAll(async () => {
  db = await connectAsPostgres();
  [author, reader] = await Promise.all([signedIn(), signedIn()]);
});
afterAll(async () => db?.end());

/** What the author has written: posts, media rows and objects in their folders. */
async function footprint(user: TestUser) {
  const { rows } = await db.query(
    `select (select count(*) from public.posts where created_by = $1)::int as posts,
            (select count(*) from public.post_media where created_by = $1)::int as media,
            (select count(*) from storage.objects where bucket_id like 'post-%' and name like $1 || '/%')::int as objects`,
    [user.id],
  );
  return rows[0] as { posts: number; media: number; objects: number };
}

describe('marquee.posts journeys', { timeout: 90_000 }, () => {
  it('a post with a banner and media: readers open it by signed URL, the author edits and deletes it, files go too', async () => {
    const post = await author.marquee.posts.create({
      post_title: 'Holiday',
      post_description: 'Sun and sea',
      banner: { file: new Blob([JPEG]), contentType: 'image/jpeg' },
      media: [
        { file: new Blob([PNG]), contentType: 'image/png' },
        { file: PDF, contentType: 'application/pdf' },
      ],
    });
    expect(post).toMatchObject({ post_type: 'post', post_title: 'Holiday', visibility: 'public' });
    expect(post.post_banner).toMatch(new RegExp(`^${author.user.id}/${post.id}/banner-.+\\.jpg$`));

    const urls = await reader.marquee.posts.fileUrls({ id: post.id });
    expect(urls.media.map((m) => [m.position, m.kind, m.mime_type])).toEqual([[1, 'image', 'image/png'], [2, 'document', 'application/pdf']]);
    expect(Buffer.from(await (await fetch(urls.media[0]!.signed_url)).arrayBuffer())).toEqual(PNG);
    expect(Buffer.from(await (await fetch(urls.banner!)).arrayBuffer())).toEqual(JPEG);
    expect((await signedOut().posts.listMedia({ id: post.id })).length).toBe(2);

    const edited = await author.marquee.posts.update({ id: post.id, post_description: 'Edited caption', visibility: 'private' });
    expect(edited).toMatchObject({ post_description: 'Edited caption', visibility: 'private' });
    expect(await reader.marquee.posts.listMedia({ id: post.id })).toEqual([]);
    expect(await refusal(reader.marquee.posts.fileUrls({ id: post.id }))).toMatchObject({ status: 404 });

    const [image, document] = await author.marquee.posts.listMedia({ id: post.id });
    await author.marquee.posts.removeMedia({ id: document!.id });
    expect(await stored('post-documents', document!.object_name)).toBe(false);

    await author.marquee.posts.remove({ id: post.id });
    expect(await stored('post-images', image!.object_name)).toBe(false);
    expect(await stored('post-banners', post.post_banner!)).toBe(false);
    expect(await footprint(author.user)).toMatchObject({ media: 0, objects: 0 });
  });

  it('banners can be replaced and removed; the old files go', async () => {
    const post = await author.marquee.posts.create({ post_title: 'Banner swap' });
    const first = await author.marquee.posts.setBanner({ post_id: post.id, file: PNG, contentType: 'image/png' });
    const second = await author.marquee.posts.setBanner({ post_id: post.id, file: GIF, contentType: 'image/gif' });
    expect(await stored('post-banners', first.post_banner!)).toBe(false);
    const cleared = await author.marquee.posts.removeBanner({ id: post.id });
    expect(cleared.post_banner).toBeNull();
    expect(await stored('post-banners', second.post_banner!)).toBe(false);
  });

  it('YouTube posts take an id or a link; reels and videos are for creators', async () => {
    const byId = await author.marquee.posts.create({ post_type: 'youtube_video', post_title: 'Talk', youtube_id: 'dQw4w9WgXcQ' });
    const byLink = await author.marquee.posts.create({ post_type: 'youtube_reel', post_title: 'Short', youtube_id: 'https://www.youtube.com/shorts/aBcDeFgHi_-' });
    expect([byId.youtube_id, byLink.youtube_id]).toEqual(['dQw4w9WgXcQ', 'aBcDeFgHi_-']);
    expect(await refusal(author.marquee.posts.create({ post_type: 'reel', post_title: 'Mine', media_path: `${author.user.id}/r.mp4` })))
      .toEqual({ status: 403, fields: undefined, detail: 'Only creators and admins can create reels and videos.' });
    const creator = await signedIn('creator');
    for (const post_type of ['reel', 'video'] as const) {
      const made = await creator.marquee.posts.create({ post_type, post_title: `A ${post_type}`, media_path: `${creator.user.id}/${post_type}.mp4` });
      expect(made.post_type).toBe(post_type);
    }
  });

  it("someone else's post cannot be edited, deleted or given files", async () => {
    const post = await author.marquee.posts.create({ post_title: 'Mine' });
    expect(await refusal(reader.marquee.posts.update({ id: post.id, post_title: 'Theirs now' }))).toMatchObject({ status: 404 });
    expect(await refusal(reader.marquee.posts.remove({ id: post.id }))).toMatchObject({ status: 404 });
    expect(await refusal(reader.marquee.posts.addMedia({ post_id: post.id, file: PNG, contentType: 'image/png' })))
      .toMatchObject({ status: 403, detail: 'You do not have permission to perform this action.' });
    expect(await sql('select post_title from public.posts where id = $1', [post.id])).toEqual([{ post_title: 'Mine' }]);
    expect(await footprint(reader.user)).toMatchObject({ media: 0, objects: 0 });
  });
});

describe('bad input is refused with a field error and changes nothing', { timeout: 90_000 }, () => {
  const sixMegabytes = () => {
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set(PNG);
    return big;
  };
  it.each([
    ['an empty title', { post_title: '  ' }, { post_title: ['This field may not be blank.'] }],
    ['a missing title', { post_description: 'x' }, { post_title: ['This field is required.'] }],
    ['a 151-character title', { post_title: 'x'.repeat(151) }, { post_title: ['Ensure this field has no more than 150 characters.'] }],
    ['a 5001-character caption', { post_title: 't', post_description: 'x'.repeat(5001) }, { post_description: ['Ensure this field has no more than 5000 characters.'] }],
    ['an unknown type', { post_title: 't', post_type: 'story' }, { post_type: ['"story" is not a valid choice.'] }],
    ['a bad YouTube id', { post_title: 't', post_type: 'youtube_video', youtube_id: 'not-an-id' },
      { youtube_id: ['Enter a valid YouTube video id (11 letters, digits, - or _) or a YouTube link.'] }],
    ['a link to another site', { post_title: 't', post_type: 'youtube_video', youtube_id: 'https://vimeo.com/watch?v=dQw4w9WgXcQ' },
      { youtube_id: ['Enter a valid YouTube video id (11 letters, digits, - or _) or a YouTube link.'] }],
    ['a YouTube post without an id', { post_title: 't', post_type: 'youtube_reel' }, { youtube_id: ['A YouTube id is required for YouTube posts.'] }],
    ['a YouTube id on a plain post', { post_title: 't', youtube_id: 'dQw4w9WgXcQ' }, { youtube_id: ['Only YouTube posts carry a YouTube id.'] }],
    ['a 6 MB picture', { post_title: 't', media: [{ file: sixMegabytes(), contentType: 'image/png' }] }, { 'media.0.file': ['The file is larger than 5 MB.'] }],
    ['a file type outside the kinds', { post_title: 't', media: [{ file: HTML, contentType: 'text/html' }] },
      { 'media.0.contentType': [expect.stringMatching(/^Upload a file of one of these types: image\/jpeg, /)] }],
    ['bytes that are not the declared type', { post_title: 't', media: [{ file: PNG, contentType: 'image/png' }, { file: HTML, contentType: 'image/gif' }] },
      { file: ["The file's contents are not of its declared type."] }],
    ['a banner whose bytes are not an image', { post_title: 't', banner: { file: HTML, contentType: 'image/png' } },
      { file: ["The file's contents are not of its declared type."] }],
  ])('%s', async (_, input, fields) => {
    const before = await footprint(author.user);
    const error = await refusal(author.marquee.posts.create(input as never));
    expect(error).toMatchObject({ status: 400, fields });
    expect(await footprint(author.user)).toEqual(before);
  });

  it('edits with bad fields change nothing', async () => {
    const post = await author.marquee.posts.create({ post_title: 'Keep me' });
    expect(await refusal(author.marquee.posts.update({ id: post.id, post_title: '' }))).toMatchObject({ status: 400, fields: { post_title: ['This field may not be blank.'] } });
    expect(await refusal(author.marquee.posts.update({ id: post.id, visibility: 'friends' as never }))).toMatchObject({ status: 400, fields: { visibility: ['"friends" is not a valid choice.'] } });
    expect(await refusal(author.marquee.posts.update({ id: post.id, post_type: 'reel' } as never))).toMatchObject({ status: 400, fields: { post_type: ['This field is not allowed.'] } });
    expect(await sql('select post_title, visibility::text from public.posts where id = $1', [post.id])).toEqual([{ post_title: 'Keep me', visibility: 'public' }]);
  });
});
