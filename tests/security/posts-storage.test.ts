import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCX, DOCX_TYPE, GIF, HTML, JPEG, MOV, MP3, MP4, PDF, PNG, WAV } from '../helpers/media-samples.ts';
import { attach, drain, mediaRows, member, newPost, pathFor, readable, stored, upload, type Member } from '../helpers/posts.ts';
import { connectAsPostgres, sqlstateOf } from '../helpers/db.ts';
import { sql } from '../functions/accounts.ts';
import { waitFor } from '../helpers/wait-for.ts';
import type pg from 'pg';

/**
 * Post files through the storage door and the post-media function, as a hostile client would use
 * them: buckets refuse wrong types and sizes, folders belong to their user, bytes must be the
 * declared type, files are readable exactly when their post is, and they leave storage with their
 * post through every door (the dashboard included).
 */
let author: Member;
let reader: Member;
let blocked: Member;
let db: pg.Client;

beforeAll(async () => {
  [author, reader, blocked] = await Promise.all([member(), member(), member()]);
  db = await connectAsPostgres();
  await db.query('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocked.user.id, author.user.id]);
});
afterAll(async () => db?.end());

/** Uploads `bytes` and attaches them to `postId`; the function's reply. */
async function uploadAndAttach(who: Member, postId: number, bucket: string, bytes: Uint8Array, type: string, ext: string) {
  const path = pathFor(who, ext);
  const error = await upload(who, bucket, path, bytes, type);
  if (error) throw error;
  return { path, reply: await attach(who, { post_id: postId, bucket, path }) };
}

describe('every 004 media kind is accepted when its bytes are its type', { timeout: 60_000 }, () => {
  it.each([
    ['PNG', 'post-images', PNG, 'image/png', 'png', 'image'],
    ['JPEG', 'post-images', JPEG, 'image/jpeg', 'jpg', 'image'],
    ['GIF', 'post-images', GIF, 'image/gif', 'gif', 'image'],
    ['MP4', 'post-videos', MP4, 'video/mp4', 'mp4', 'video'],
    ['MOV', 'post-videos', MOV, 'video/quicktime', 'mov', 'video'],
    ['MP3', 'post-audio', MP3, 'audio/mpeg', 'mp3', 'audio'],
    ['WAV', 'post-audio', WAV, 'audio/wav', 'wav', 'audio'],
    ['PDF', 'post-documents', PDF, 'application/pdf', 'pdf', 'document'],
    ['DOCX', 'post-documents', DOCX, DOCX_TYPE, 'docx', 'document'],
  ] as const)('%s in %s', async (_, bucket, bytes, type, ext, kind) => {
    const postId = await newPost(author);
    const { path, reply } = await uploadAndAttach(author, postId, bucket, bytes, type, ext);
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ post_id: postId, kind, bucket_id: bucket, object_name: path, mime_type: type, position: 1 });
    expect(await mediaRows(postId)).toEqual([{ bucket_id: bucket, object_name: path, kind, position: 1 }]);
  });
});

describe('bad files are refused and change nothing', { timeout: 60_000 }, () => {
  it('a 6 MB picture is refused by the bucket (413), and nothing is stored', async () => {
    const path = pathFor(author, 'png');
    const big = new Uint8Array(6 * 1024 * 1024);
    big.set(PNG);
    const error = await upload(author, 'post-images', path, big, 'image/png');
    expect(error).toMatchObject({ statusCode: '413' });
    expect(await stored('post-images', path)).toBe(false);
  });

  it('a type outside the kind is refused by the bucket', async () => {
    const path = pathFor(author, 'html');
    const error = await upload(author, 'post-images', path, HTML, 'text/html');
    expect(error).toMatchObject({ statusCode: '415' });
    expect(await stored('post-images', path)).toBe(false);
  });

  it.each([
    ['an HTML page', 'post-images', HTML, 'image/png', 'png'],
    ['a PNG', 'post-images', PNG, 'image/gif', 'gif'],
    ['an HTML page', 'post-documents', HTML, 'application/pdf', 'pdf'],
    ['a PDF', 'post-documents', PDF, DOCX_TYPE, 'docx'],
    ['a PNG', 'post-videos', PNG, 'video/mp4', 'mp4'],
    ['a PDF', 'post-audio', PDF, 'audio/mpeg', 'mp3'],
    ['an HTML page', 'post-banners', HTML, 'image/jpeg', 'jpg'],
  ] as const)('%s in %s declared %s: 400 {"file"}, the file is removed, no row', async (_, bucket, bytes, type, ext) => {
    const postId = await newPost(author);
    const { path, reply } = await uploadAndAttach(author, postId, bucket, bytes, type, ext);
    expect(reply).toMatchObject({ status: 400, body: { file: ["The file's contents are not of its declared type."] } });
    expect(await stored(bucket, path)).toBe(false);
    expect(await mediaRows(postId)).toEqual([]);
    expect(await sql('select post_banner from public.posts where id = $1', [postId])).toEqual([{ post_banner: null }]);
  });

  it("a file in someone else's folder: storage refuses the upload, the function refuses the path", async () => {
    const path = `${reader.user.id}/intruder.png`;
    const error = await upload(author, 'post-images', path, PNG, 'image/png');
    expect(error).toMatchObject({ statusCode: '403' });
    expect(await stored('post-images', path)).toBe(false);

    const theirs = pathFor(reader, 'png');
    expect(await upload(reader, 'post-images', theirs, PNG, 'image/png')).toBeNull();
    const postId = await newPost(author);
    const reply = await attach(author, { post_id: postId, bucket: 'post-images', path: theirs });
    expect(reply).toMatchObject({ status: 400, body: { path: ['You can only attach files from your own folder.'] } });
    expect(await mediaRows(postId)).toEqual([]);
    expect(await stored('post-images', theirs)).toBe(true);
  });

  it("a file attached to someone else's post: 403, nothing attached", async () => {
    const theirPost = await newPost(reader);
    const path = pathFor(author, 'png');
    expect(await upload(author, 'post-images', path, PNG, 'image/png')).toBeNull();
    const reply = await attach(author, { post_id: theirPost, bucket: 'post-images', path });
    expect(reply).toMatchObject({ status: 403, body: { detail: 'You do not have permission to perform this action.' } });
    expect(await mediaRows(theirPost)).toEqual([]);
  });

  it('signed-out callers and suspended accounts (whose sessions end) get 401 from the function; nothing attached', async () => {
    const { call } = await import('../functions/accounts.ts');
    const postId = await newPost(author);
    const path = pathFor(author, 'png');
    expect(await upload(author, 'post-images', path, PNG, 'image/png')).toBeNull();
    expect((await call('post-media', { post_id: postId, bucket: 'post-images', path })).status).toBe(401);
    const suspended = await member();
    const theirPost = await newPost(suspended);
    const theirPath = pathFor(suspended, 'png');
    expect(await upload(suspended, 'post-images', theirPath, PNG, 'image/png')).toBeNull();
    await sql(`update public.profiles set status = 'suspended' where id = $1`, [suspended.user.id]);
    expect(await attach(suspended, { post_id: theirPost, bucket: 'post-images', path: theirPath }))
      .toMatchObject({ status: 401, body: { detail: 'Invalid or expired token.' } });
    expect([...(await mediaRows(postId)), ...(await mediaRows(theirPost))]).toEqual([]);
  });

  it('bad input to the function is a field error', async () => {
    const reply = await attach(author, { post_id: 'x', bucket: 'avatars', path: '../etc/passwd', extra: 1 });
    expect(reply.status).toBe(400);
    expect(Object.keys(reply.body).sort()).toEqual(['bucket', 'extra', 'path', 'post_id']);
  });

  it('a post holds at most ten media items', async () => {
    const postId = await newPost(author);
    for (let i = 0; i < 10; i++) expect((await uploadAndAttach(author, postId, 'post-images', GIF, 'image/gif', 'gif')).reply.status).toBe(201);
    const { reply } = await uploadAndAttach(author, postId, 'post-images', GIF, 'image/gif', 'gif');
    expect(reply).toMatchObject({ status: 400, body: { file: ['A post can have at most 10 media items.'] } });
    expect(await mediaRows(postId)).toHaveLength(10);
  });

  it('an attached file cannot be overwritten, moved or removed through storage', async () => {
    const postId = await newPost(author);
    const { path } = await uploadAndAttach(author, postId, 'post-images', PNG, 'image/png', 'png');
    const overwrite = await author.client.storage.from('post-images').upload(path, new Blob([HTML]), { contentType: 'image/png', upsert: true });
    expect(overwrite.error).not.toBeNull();
    const moved = await author.client.storage.from('post-images').move(path, `${author.user.id}/moved.png`);
    expect(moved.error).not.toBeNull();
    const removed = await author.client.storage.from('post-images').remove([path]);
    expect(removed.data).toEqual([]);
    expect(await stored('post-images', path)).toBe(true);
    const { data } = await author.client.storage.from('post-images').download(path);
    expect(Buffer.from(await data!.arrayBuffer())).toEqual(PNG);
  });

  it('an unattached file of your own can be removed', async () => {
    const path = pathFor(author, 'png');
    expect(await upload(author, 'post-images', path, PNG, 'image/png')).toBeNull();
    const removed = await author.client.storage.from('post-images').remove([path]);
    expect(removed.data).toHaveLength(1);
    expect(await stored('post-images', path)).toBe(false);
  });
});

describe('a file is readable exactly when its post is', { timeout: 60_000 }, () => {
  it.each([
    ['public', { author: true, reader: true, anon: true, blocked: false }],
    ['unlisted', { author: true, reader: true, anon: true, blocked: false }],
    ['private', { author: true, reader: false, anon: false, blocked: false }],
  ] as const)('%s post', async (visibility, expected) => {
    const postId = await newPost(author, { visibility });
    const { path } = await uploadAndAttach(author, postId, 'post-images', PNG, 'image/png', 'png');
    const { path: banner } = await uploadAndAttach(author, postId, 'post-banners', JPEG, 'image/jpeg', 'jpg');
    for (const [bucket, object] of [['post-images', path], ['post-banners', banner]] as const) {
      expect({
        bucket,
        author: await readable(author, bucket, object),
        reader: await readable(reader, bucket, object),
        anon: await readable(null, bucket, object),
        blocked: await readable(blocked, bucket, object),
      }).toEqual({ bucket, ...expected });
    }
  });

  it('the blocker side cannot read either (blocks are symmetric)', async () => {
    const postId = await newPost(blocked);
    const { path } = await uploadAndAttach(blocked, postId, 'post-images', PNG, 'image/png', 'png');
    expect(await readable(author, 'post-images', path)).toBe(false);
    expect(await readable(reader, 'post-images', path)).toBe(true);
  });

  it('signed URLs are issued only to readers, and open the file', async () => {
    const postId = await newPost(author);
    const { path } = await uploadAndAttach(author, postId, 'post-images', PNG, 'image/png', 'png');
    const signed = await reader.client.storage.from('post-images').createSignedUrl(path, 60);
    expect(signed.error).toBeNull();
    const response = await fetch(signed.data!.signedUrl);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
    const refused = await blocked.client.storage.from('post-images').createSignedUrl(path, 60);
    expect(refused.data).toBeNull();
  });

  it('an uploaded file not yet attached is its uploader\'s only', async () => {
    const path = pathFor(author, 'png');
    expect(await upload(author, 'post-images', path, PNG, 'image/png')).toBeNull();
    expect({ author: await readable(author, 'post-images', path), reader: await readable(reader, 'post-images', path), anon: await readable(null, 'post-images', path) })
      .toEqual({ author: true, reader: false, anon: false });
  });

  it('a suspended author\'s files are hidden with their posts', async () => {
    const gone = await member();
    const postId = await newPost(gone);
    const { path } = await uploadAndAttach(gone, postId, 'post-images', PNG, 'image/png', 'png');
    expect(await readable(reader, 'post-images', path)).toBe(true);
    await sql(`update public.profiles set status = 'suspended' where id = $1`, [gone.user.id]);
    expect(await readable(reader, 'post-images', path)).toBe(false);
    expect(await readable(null, 'post-images', path)).toBe(false);
  });
});

describe('banners are set only after the byte check', { timeout: 60_000 }, () => {
  it('a client cannot point post_banner at a file itself (insert or update)', async () => {
    const path = pathFor(author, 'png');
    expect(await upload(author, 'post-banners', path, HTML, 'image/png')).toBeNull();
    const inserted = await author.client.from('posts').insert({ post_title: 'banner by hand', post_banner: path });
    expect(inserted.error).toMatchObject({ code: '42501' });
    const postId = await newPost(author);
    const updated = await author.client.from('posts').update({ post_banner: path }).eq('id', postId).select();
    expect(updated.error).toMatchObject({ code: '42501' });
    expect(await sql('select post_banner from public.posts where id = $1', [postId])).toEqual([{ post_banner: null }]);
  });

  it('a replaced banner leaves storage; a cleared one too', async () => {
    const postId = await newPost(author);
    const first = await uploadAndAttach(author, postId, 'post-banners', PNG, 'image/png', 'png');
    const second = await uploadAndAttach(author, postId, 'post-banners', JPEG, 'image/jpeg', 'jpg');
    expect(second.reply).toMatchObject({ status: 201, body: { post_id: postId, post_banner: second.path } });
    await drain();
    expect({ first: await stored('post-banners', first.path), second: await stored('post-banners', second.path) }).toEqual({ first: false, second: true });
    const cleared = await author.client.from('posts').update({ post_banner: null }).eq('id', postId).select('post_banner');
    expect(cleared.data).toEqual([{ post_banner: null }]);
    await drain();
    expect(await stored('post-banners', second.path)).toBe(false);
  });
});

describe('files leave storage with their post, through every door', { timeout: 90_000 }, () => {
  async function postWithFiles(who: Member) {
    const postId = await newPost(who);
    const image = (await uploadAndAttach(who, postId, 'post-images', PNG, 'image/png', 'png')).path;
    const doc = (await uploadAndAttach(who, postId, 'post-documents', PDF, 'application/pdf', 'pdf')).path;
    const banner = (await uploadAndAttach(who, postId, 'post-banners', GIF, 'image/gif', 'gif')).path;
    return { postId, files: [['post-images', image], ['post-documents', doc], ['post-banners', banner]] as const };
  }
  const allGone = async (files: readonly (readonly [string, string])[]) => {
    for (const [bucket, path] of files) if (await stored(bucket, path)) return false;
    return true;
  };

  it('storage refuses a direct delete of its rows, even as postgres (storage.protect_delete)', async () => {
    const { files } = await postWithFiles(author);
    const [bucket, path] = files[0];
    expect(await sqlstateOf(db.query('delete from storage.objects where bucket_id = $1 and name = $2', [bucket, path]))).toBe('42501');
    expect(await stored(bucket, path)).toBe(true);
  });

  it.each([
    ['the author through raw REST', async (postId: number) => {
      const { error } = await author.client.from('posts').delete().eq('id', postId);
      if (error) throw error;
    }],
    ['an admin through raw REST', async (postId: number) => {
      const admin = await member('admin');
      const { data, error } = await admin.client.from('posts').delete().eq('id', postId).select('id');
      if (error) throw error;
      expect(data).toEqual([{ id: postId }]);
    }],
    ['the dashboard (postgres)', async (postId: number) => {
      await db.query('delete from public.posts where id = $1', [postId]);
    }],
  ])('deleted by %s: rows go at once, files after the queue is drained', async (_, remove) => {
    const { postId, files } = await postWithFiles(author);
    await remove(postId);
    expect(await mediaRows(postId)).toEqual([]);
    for (const [bucket, path] of files) expect(await readable(reader, bucket, path)).toBe(false);
    const drained = await drain();
    expect(drained.status).toBe(200);
    expect(await allGone(files)).toBe(true);
  });

  it('a media item deleted on its own leaves storage, the rest stays', async () => {
    const { postId, files } = await postWithFiles(author);
    const { error } = await author.client.from('post_media').delete().eq('post_id', postId).eq('kind', 'document');
    expect(error).toBeNull();
    await drain();
    expect(await stored(...files[1])).toBe(false);
    expect(await stored(...files[0])).toBe(true);
    expect(await stored(...files[2])).toBe(true);
  });

  it('an account deleted through the admin API takes its files along', async () => {
    const leaving = await member();
    const { files } = await postWithFiles(leaving);
    const { serviceClient } = await import('../helpers/clients.ts');
    const deleted = await serviceClient().auth.admin.deleteUser(leaving.user.id);
    expect(deleted.error).toBeNull();
    await waitFor(async () => (await drain()).status === 200 && (await allGone(files)), { what: 'the deleted account\'s files to leave storage' });
  });

  it('any signed-in user may drain; signed-out callers may not', async () => {
    const { call } = await import('../functions/accounts.ts');
    expect((await call('storage-cleanup', {}, { token: reader.token })).status).toBe(200);
    expect((await call('storage-cleanup', {})).status).toBe(401);
  });
});
