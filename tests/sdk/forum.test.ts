import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import ws from 'ws';
import { createMarquee, isMarqueeError, type Marquee } from '../../sdk/src/index.ts';
import { stackEnv } from '../helpers/env.ts';
import { createAccount, sql } from '../functions/accounts.ts';
import { GIF, PNG } from '../functions/forum-images.ts';

/** `marquee.forum`: 001's forum end to end through the SDK, and its input checks before any request. */
async function signedIn(): Promise<{ marquee: Marquee; id: string; username: string }> {
  const stack = stackEnv();
  const user = await createAccount();
  const marquee = createMarquee({
    url: stack.url,
    key: stack.anonKey,
    options: {
      auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      realtime: { transport: ws as never },
      global: { headers: { 'X-Forwarded-For': `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 254)}` } },
    },
  });
  const { error } = await marquee.supabase.auth.signInWithPassword({ email: user.email, password: user.password });
  if (error) throw error;
  return { marquee, id: user.id, username: user.username };
}

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!isMarqueeError(error)) throw new Error(`expected a MarqueeError, got ${String(error)}`);
  return { status: error.status, detail: error.detail, fields: error.fields };
}

describe('marquee.forum', { timeout: 90_000 }, () => {
  it('uploads pictures both ways, posts, pages the feed, replies, toggles likes, fetches a picture, deletes', async () => {
    const alice = await signedIn();
    const bob = await signedIn();

    const base64 = await alice.marquee.forum.uploadPicture({ image_type: 'png', image_data: PNG.toString('base64') });
    const file = await alice.marquee.forum.uploadPictureFile({ file: new Blob([GIF], { type: 'image/gif' }), contentType: 'image/gif' });
    expect([base64.filename, file.filename]).toEqual([expect.stringMatching(/\.png$/), expect.stringMatching(/\.gif$/)]);

    const created = await alice.marquee.forum.create({ content: 'Hello, forum', picture_names: [base64.filename, file.filename], picture_count: 2 });
    expect(created).toEqual({ postid: expect.any(Number), created_at: expect.any(String) });

    expect(await bob.marquee.forum.toggleLike({ postid: created.postid })).toEqual({ likes: 1, isliked: true });
    const { replies } = await bob.marquee.forum.reply({ postid: created.postid, reply_content: 'Welcome!' });
    expect(replies).toEqual([expect.objectContaining({ username: bob.username, content: 'Welcome!' })]);

    const { posts } = await bob.marquee.forum.feed({ last_post_id: created.postid + 1 });
    expect(posts[0]).toMatchObject({
      postid: created.postid,
      username: alice.username,
      content: 'Hello, forum',
      picture_count: 2,
      likes: 1,
      replies: 1,
      isliked: true,
      reply_content: [expect.objectContaining({ content: 'Welcome!' })],
    });

    const picture = await bob.marquee.forum.picture({ postid: created.postid, picture_index: 1 });
    expect(picture).toEqual({ image: GIF.toString('base64'), content_type: 'image/gif', filename: file.filename });
    expect(await failure(bob.marquee.forum.picture({ postid: created.postid, picture_index: 2 }))).toMatchObject({ status: 404, detail: 'Picture not found' });

    expect(await bob.marquee.forum.toggleLike({ postid: created.postid })).toEqual({ likes: 0, isliked: false });
    expect(await failure(bob.marquee.forum.remove({ postid: created.postid }))).toMatchObject({ status: 404, detail: 'Post not found' });
    await alice.marquee.forum.remove({ postid: created.postid });
    expect(await sql('select 1 from public.forum_posts where id = $1', [created.postid])).toEqual([]);
    // The pictures left storage with the post: remove() drains the removal queue.
    const names = [base64.filename, file.filename];
    expect(await sql(`select name from storage.objects where bucket_id = 'forum-pictures' and storage.filename(name) = any ($1)`, [names])).toEqual([]);
  });

  it('refuses bad input with 001\'s messages before sending', async () => {
    const { marquee } = await signedIn();
    expect(await failure(marquee.forum.create({ content: '  ' }))).toMatchObject({ status: 400, fields: { content: ['Content is required'] } });
    expect(await failure(marquee.forum.create({} as never))).toMatchObject({ fields: { content: ['Content is required'] } });
    expect(await failure(marquee.forum.create({ content: 'x', picture_names: [], picture_count: 1 }))).toMatchObject({
      fields: { picture_count: ['picture_count must equal the number of picture_names.'] },
    });
    expect(await failure(marquee.forum.reply({} as never))).toMatchObject({
      fields: { postid: ['Postid is required'], reply_content: ['Reply content is required'] },
    });
    expect(await failure(marquee.forum.uploadPicture({} as never))).toMatchObject({
      fields: { image_type: ['Image type is required'], image_data: ['Image data is required'] },
    });
  });

  it('a signed-out client gets 401 "Access token is required" from the database', async () => {
    const stack = stackEnv();
    const anon = createMarquee({ url: stack.url, key: stack.anonKey, options: { auth: { persistSession: false }, realtime: { transport: ws as never } } });
    expect(await failure(anon.forum.feed())).toMatchObject({ status: 401, detail: 'Access token is required' });
  });
});
