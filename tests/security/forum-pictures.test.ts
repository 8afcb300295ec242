import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, userClient } from '../helpers/clients.ts';
import { stackEnv } from '../helpers/env.ts';
import { signUserToken } from '../helpers/tokens.ts';
import { accessToken, call, createAccount, sql, type TestUser } from '../functions/accounts.ts';
import { HTML, JPEG, PNG, pictureName, pngOfSize } from '../functions/forum-images.ts';

/**
 * Forum pictures against a hostile client using raw supabase.storage: the bucket's size and type
 * limits, `<uid>/` folders, reads only of pictures on posts the reader may read (so blocks hide
 * them), and bytes that are not the declared type never reaching a post or another user.
 */
const stack = stackEnv();
const BUCKET = 'forum-pictures';
type Member = TestUser & { token: string; db: SupabaseClient };
async function member(): Promise<Member> {
  const user = await createAccount();
  const token = await accessToken(user);
  return { ...user, token, db: userClient(token) };
}
const bucket = (user: Member) => user.db.storage.from(BUCKET);
const objects = (prefix: string) =>
  sql<{ name: string }>(`select name from storage.objects where bucket_id = $1 and name like $2 order by name`, [BUCKET, `${prefix}%`]);

let author: Member;
let reader: Member;
let blocker: Member;
let postId: number;
let postedPath: string;

beforeAll(async () => {
  [author, reader, blocker] = await Promise.all([member(), member(), member()]);
  const up = await call<{ filename: string }>('forum-pictures', { image_type: 'png', image_data: PNG.toString('base64') }, { token: author.token });
  postedPath = `${author.id}/${up.body.filename}`;
  const created = await author.db.rpc('create_forum_post', { p_content: 'A picture', p_picture_names: [up.body.filename] });
  if (created.error) throw created.error;
  postId = (created.data as { postid: number }).postid;
  await sql('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, author.id]);
}, 60_000);

describe('uploads', { timeout: 60_000 }, () => {
  it('a 6 MB picture is refused by the bucket (413) and not stored', async () => {
    const name = pictureName(pngOfSize(6 * 1024 * 1024), 'png');
    const { error } = await bucket(author).upload(`${author.id}/${name}`, pngOfSize(6 * 1024 * 1024), { contentType: 'image/png' });
    expect(error).toMatchObject({ statusCode: '413' });
    expect(await objects(`${author.id}/${name}`)).toEqual([]);
  });

  it('a type the bucket does not take (text/html) is refused', async () => {
    const { error } = await bucket(author).upload(`${author.id}/page.html`, HTML, { contentType: 'text/html' });
    expect(error).toMatchObject({ statusCode: '415' });
    expect(await objects(`${author.id}/page.html`)).toEqual([]);
  });

  it('nobody writes into another user\'s folder, or at the bucket\'s root', async () => {
    const name = pictureName(PNG, 'png');
    for (const path of [`${reader.id}/${name}`, name]) {
      const { error } = await bucket(author).upload(path, PNG, { contentType: 'image/png' });
      expect(error).toMatchObject({ statusCode: '403' });
    }
    expect(await objects(`${reader.id}/`)).toEqual([]);
    expect(await objects(name)).toEqual([]);
  });

  it('anon and a suspended account upload nothing', async () => {
    const name = pictureName(JPEG, 'jpg');
    const anonUpload = await anonClient().storage.from(BUCKET).upload(`${reader.id}/${name}`, JPEG, { contentType: 'image/jpeg' });
    expect(anonUpload.error).not.toBeNull();
    const suspended = userClient(await signUserToken(reader.id, { user_role: 'visitor', account_status: 'suspended' }));
    const suspendedUpload = await suspended.storage.from(BUCKET).upload(`${reader.id}/${name}`, JPEG, { contentType: 'image/jpeg' });
    expect(suspendedUpload.error).toMatchObject({ statusCode: '403' });
    expect(await objects(`${reader.id}/`)).toEqual([]);
  });

  it('nobody removes or overwrites another user\'s picture', async () => {
    const removed = await bucket(reader).remove([postedPath]);
    expect(removed.data).toEqual([]);
    const overwritten = await bucket(reader).upload(postedPath, JPEG, { contentType: 'image/jpeg', upsert: true });
    expect(overwritten.error).not.toBeNull();
    expect(await objects(postedPath)).toEqual([{ name: postedPath }]);
    expect((await bucket(author).download(postedPath)).data?.size).toBe(PNG.byteLength);
  });
});

describe('reads', { timeout: 60_000 }, () => {
  it('a picture on a post is readable by a signed-in reader, not across a block, not by anon, not by public URL', async () => {
    expect((await bucket(reader).download(postedPath)).error).toBeNull();
    expect((await bucket(blocker).download(postedPath)).error).not.toBeNull();
    expect((await anonClient().storage.from(BUCKET).download(postedPath)).error).not.toBeNull();
    const publicUrl = anonClient().storage.from(BUCKET).getPublicUrl(postedPath).data.publicUrl;
    const response = await fetch(publicUrl);
    await response.body?.cancel();
    expect(response.status).toBeGreaterThanOrEqual(400);
    // The same through the function route.
    expect(await call(`forum-pictures/${postId}/0`, undefined, { token: blocker.token })).toMatchObject({ status: 404, body: { detail: 'Picture not found' } });
  });

  it('a picture on no post is its uploader\'s alone', async () => {
    const up = await call<{ filename: string }>('forum-pictures', { image_type: 'jpg', image_data: JPEG.toString('base64') }, { token: author.token });
    const path = `${author.id}/${up.body.filename}`;
    expect((await bucket(author).download(path)).error).toBeNull();
    expect((await bucket(reader).download(path)).error).not.toBeNull();
    // Listing the folder shows the reader only the picture that is on a post.
    const listed = await bucket(reader).list(author.id);
    expect((listed.data ?? []).map((o) => o.name)).toEqual([postedPath.split('/')[1]]);
  });

  it('the raw storage endpoint answers no other bucket\'s rules for it: an authenticated GET across a block is refused', async () => {
    const response = await fetch(`${stack.url}/storage/v1/object/authenticated/${BUCKET}/${postedPath}`, {
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${blocker.token}` },
    });
    await response.body?.cancel();
    expect(response.status).toBeGreaterThanOrEqual(400);
  });
});

describe('bytes that are not the declared type', { timeout: 60_000 }, () => {
  it('an HTML page uploaded as image/png can be put on no post, reaches no other user, and verification removes it', async () => {
    const name = pictureName(HTML, 'png');
    const path = `${author.id}/${name}`;
    expect((await bucket(author).upload(path, HTML, { contentType: 'image/png' })).error).toBeNull();
    expect(await author.db.rpc('create_forum_post', { p_content: 'x', p_picture_names: [name] })).toMatchObject({
      status: 400,
      error: { message: 'Picture not found' },
    });
    expect((await author.db.from('forum_posts').insert({ content: 'x', picture_names: [name] })).status).toBe(400);
    expect((await bucket(reader).download(path)).error).not.toBeNull();
    expect(await call('forum-pictures/verify', { filename: name }, { token: author.token })).toMatchObject({
      status: 400,
      body: { filename: ['Image data is not a png image.'] },
    });
    expect(await objects(path)).toEqual([]);
  });

  it('a picture registered to one user cannot be named on another user\'s post', async () => {
    const name = postedPath.split('/')[1]!;
    expect(await reader.db.rpc('create_forum_post', { p_content: 'stolen', p_picture_names: [name] })).toMatchObject({
      status: 400,
      error: { message: 'Picture not found' },
    });
  });
});
