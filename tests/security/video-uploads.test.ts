import { beforeAll, describe, expect, it } from 'vitest';
import { call, sql } from '../functions/accounts.ts';
import { rawRest } from '../helpers/raw-rest.ts';
import { member, readable, stored, upload, type Member } from '../helpers/posts.ts';
import { CHUNK, makeMp4, startUpload, tusCreate, tusOffset, tusPatch, tusUpload } from '../helpers/video-uploads.ts';
import { stackEnv } from '../helpers/env.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Creator video uploads as a hostile client would try them: only creators and admins reserve an
 * upload, and storage itself accepts only the object a creator reserved, from that creator, by any
 * door (the plain upload, TUS); another user cannot read, append to or cancel someone's upload;
 * oversize and non-video files are refused with nothing kept; the state and measured columns are
 * the server's; the service steps are not the client's; a finished video is readable exactly when
 * its post is.
 */
let creator: Member;
let admin: Member;
let visitor: Member;
let otherCreator: Member;
let mp4: Buffer;

beforeAll(async () => {
  [creator, admin, visitor, otherCreator] = await Promise.all([member('creator'), member('admin'), member('visitor'), member('creator')]);
  mp4 = await makeMp4({ width: 320, height: 240, seconds: 1 });
});


const postCount = async (who: Member) =>
  Number((await sql<{ n: string }>('select count(*) as n from public.posts where created_by = $1', [who.user.id]))[0]!.n);
const statusOf = async (id: number) =>
  (await sql<{ upload_status: string }>('select upload_status from public.posts where id = $1', [id]))[0]!.upload_status;

describe('who may upload', { timeout: 60_000 }, () => {
  it('a visitor cannot reserve an upload (403) and no post is made; anon gets 401', async () => {
    const before = await postCount(visitor);
    const reply = await startUpload(visitor, {});
    expect(reply.status).toBe(403);
    expect(reply.body).toMatchObject({ message: 'Only creators and admins can upload reels and videos.' });
    expect(await postCount(visitor)).toBe(before);
    const anon = await rawRest('POST', 'rpc/start_video_upload', null, { p_title: 't', p_post_type: 'reel', p_mime_type: 'video/mp4', p_size_bytes: 10 });
    expect(anon.status).toBe(401);
  });

  it('an admin and a creator can; a creator cannot reserve anything but a reel or video', async () => {
    expect((await startUpload(admin, { p_post_type: 'video' })).status).toBe(200);
    const post = await startUpload(creator, { p_post_type: 'post' });
    expect(post).toMatchObject({ status: 400, body: { code: '23514', details: '{"post_type": ["post_type must be reel or video."]}' } });
  });

  it('a visitor cannot put a video in creator-videos by the plain upload or by TUS, even in their own folder', async () => {
    const name = `${visitor.user.id}/sneaky.mp4`;
    expect(await upload(visitor, 'creator-videos', name, mp4, 'video/mp4')).toMatchObject({ statusCode: '403' });
    expect((await tusCreate(visitor.token, 'creator-videos', name, mp4.byteLength)).status).toBe(403);
    expect(await stored('creator-videos', name)).toBe(false);
  });

  it('a creator cannot fill a name nobody reserved, nor another creator\'s reserved name', async () => {
    const unreserved = `${creator.user.id}/unreserved.mp4`;
    expect(await upload(creator, 'creator-videos', unreserved, mp4, 'video/mp4')).toMatchObject({ statusCode: '403' });
    const theirs = await startUpload(otherCreator, { p_size_bytes: mp4.byteLength });
    expect((await tusCreate(creator.token, 'creator-videos', theirs.body.object_name, mp4.byteLength)).status).toBe(403);
    expect(await stored('creator-videos', unreserved)).toBe(false);
    expect(await stored('creator-videos', theirs.body.object_name)).toBe(false);
  });

  it('a creator demoted after reserving can no longer upload (the live role decides)', async () => {
    const demoted = await member('creator');
    const started = await startUpload(demoted, { p_size_bytes: mp4.byteLength });
    await sql("update public.user_roles set role = 'visitor' where user_id = $1", [demoted.user.id]);
    expect(await tusUpload(demoted.token, 'creator-videos', started.body.object_name, mp4)).toBe(403);
    expect(await stored('creator-videos', started.body.object_name)).toBe(false);
  });

  it('a suspended creator cannot reserve or process an upload', async () => {
    const suspended = await member('creator');
    const started = await startUpload(suspended, { p_size_bytes: mp4.byteLength });
    expect(await tusUpload(suspended.token, 'creator-videos', started.body.object_name, mp4)).toBe(204);
    await sql("update public.profiles set status = 'suspended' where id = $1", [suspended.user.id]);
    const reserve = await startUpload(suspended, {});
    const process = await call('video-process', { id: started.body.id }, { token: suspended.token });
    expect(reserve).toMatchObject({ status: 403, body: { code: '42501' } });
    // Leaving active revoked the account's sessions: the function's Auth check refuses the token.
    expect(process).toMatchObject({ status: 401, body: { detail: 'Invalid or expired token.' } });
    expect(await statusOf(started.body.id)).toBe('uploading');
  });
});

describe('resumable uploads belong to their uploader', { timeout: 60_000 }, () => {
  it('another user can neither read the offset of, append to, nor cancel an upload; the owner then finishes it', async () => {
    const started = await startUpload(creator, { p_size_bytes: mp4.byteLength });
    const created = await tusCreate(creator.token, 'creator-videos', started.body.object_name, mp4.byteLength);
    expect(created.status).toBe(201);
    const location = created.location!;
    const half = Math.floor(mp4.byteLength / 2);
    expect((await tusPatch(creator.token, location, 0, mp4.subarray(0, half))).status).toBe(204);

    for (const intruder of [otherCreator, visitor]) {
      expect((await tusPatch(intruder.token, location, half, mp4.subarray(half))).status).toBe(403);
      expect((await fetch(location, { method: 'HEAD', headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${intruder.token}`, 'Tus-Resumable': '1.0.0' } })).status).toBe(403);
      expect((await fetch(location, { method: 'DELETE', headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${intruder.token}`, 'Tus-Resumable': '1.0.0' } })).status).toBe(403);
    }
    expect(await tusOffset(creator.token, location)).toBe(half);
    expect((await tusPatch(creator.token, location, half, mp4.subarray(half))).status).toBe(204);
    expect(await stored('creator-videos', started.body.object_name)).toBe(true);
  });
});

describe('sizes and types', { timeout: 60_000 }, () => {
  it('a file over 1 GiB is refused when reserving (400) and by storage at TUS creation (413)', async () => {
    const tooBig = 1073741824 + 1;
    const reserved = await startUpload(creator, { p_size_bytes: tooBig });
    expect(reserved).toMatchObject({ status: 400, body: { details: '{"video": ["The video is larger than 1 GiB."]}' } });
    const started = await startUpload(creator, { p_size_bytes: 10 });
    expect((await tusCreate(creator.token, 'creator-videos', started.body.object_name, tooBig)).status).toBe(413);
  });

  it('a chunk past the declared length is refused (413) and keeps none of its bytes', async () => {
    const started = await startUpload(creator, { p_size_bytes: mp4.byteLength });
    const created = await tusCreate(creator.token, 'creator-videos', started.body.object_name, 1000);
    const reply = await tusPatch(creator.token, created.location!, 0, new Uint8Array(Math.min(CHUNK, 5000)));
    expect(reply.status).toBe(413);
    expect(await tusOffset(creator.token, created.location!)).toBe(0);
    expect(await stored('creator-videos', started.body.object_name)).toBe(false);
  });

  it('a type that is not video/* is refused when reserving and by the bucket', async () => {
    const reserved = await startUpload(creator, { p_mime_type: 'text/html' });
    expect(reserved).toMatchObject({ status: 400, body: { details: '{"video": ["The file is not a video."]}' } });
    const started = await startUpload(creator, {});
    expect((await tusCreate(creator.token, 'creator-videos', started.body.object_name, 100, 'text/html')).status).toBe(415);
    expect((await startUpload(creator, { p_size_bytes: 0 })).body).toMatchObject({ details: '{"video": ["No video file provided"]}' });
  });
});

describe('the server keeps the state', { timeout: 60_000 }, () => {
  it('the uploader cannot set upload_status, duration or quality through REST, nor call the service steps', async () => {
    const started = await startUpload(creator, { p_size_bytes: mp4.byteLength });
    for (const change of [{ upload_status: 'ready' }, { duration_seconds: 5 }, { video_quality: '2160p' }]) {
      const reply = await rawRest('PATCH', `posts?id=eq.${started.body.id}`, creator.token, change);
      expect(reply).toMatchObject({ status: 403, body: { code: '42501' } });
    }
    const inserted = await rawRest('POST', 'posts', creator.token, { post_title: 'x', post_type: 'reel', media_path: 'x/y.mp4', upload_status: 'ready' });
    expect(inserted).toMatchObject({ status: 403, body: { code: '42501' } });
    const response = await fetch(`${stackEnv().url}/rest/v1/rpc/finish_video_processing`, {
      method: 'POST',
      headers: { apikey: stackEnv().anonKey, Authorization: `Bearer ${creator.token}`, 'Content-Type': 'application/json', 'Content-Profile': 'service' },
      body: JSON.stringify({ p_post_id: started.body.id, p_duration_seconds: 1, p_height: 2160, p_thumbnail_path: null }),
    });
    expect([401, 403, 406]).toContain(response.status);
    expect(await statusOf(started.body.id)).toBe('uploading');
  });
});

describe('reading a finished video', { timeout: 60_000 }, () => {
  it('is readable exactly when its post is: private → only its author and admins; a blocked user never', async () => {
    const started = await startUpload(creator, { p_size_bytes: mp4.byteLength, p_visibility: 'private' });
    expect(await tusUpload(creator.token, 'creator-videos', started.body.object_name, mp4)).toBe(204);
    expect((await call('video-process', { id: started.body.id }, { token: creator.token })).status).toBe(202);
    await waitFor(async () => (await statusOf(started.body.id)) === 'ready' || null, { timeoutMs: 30_000 });
    const thumbnail = `${creator.user.id}/${started.body.id}.jpg`;
    expect(await readable(creator, 'creator-videos', started.body.object_name)).toBe(true);
    expect(await readable(creator, 'video-thumbnails', thumbnail)).toBe(true);
    expect(await readable(admin, 'creator-videos', started.body.object_name)).toBe(true);
    expect(await readable(visitor, 'creator-videos', started.body.object_name)).toBe(false);
    expect(await readable(null, 'video-thumbnails', thumbnail)).toBe(false);

    await sql("update public.posts set visibility = 'public' where id = $1", [started.body.id]);
    expect(await readable(visitor, 'creator-videos', started.body.object_name)).toBe(true);
    expect(await readable(null, 'video-thumbnails', thumbnail)).toBe(true);
    const blocked = await member();
    await sql('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [creator.user.id, blocked.user.id]);
    expect(await readable(blocked, 'creator-videos', started.body.object_name)).toBe(false);
  });

  it('an author cannot point a post at another creator\'s video to read it', async () => {
    const theirs = await startUpload(otherCreator, { p_size_bytes: mp4.byteLength, p_visibility: 'private' });
    expect(await tusUpload(otherCreator.token, 'creator-videos', theirs.body.object_name, mp4)).toBe(204);
    const mine = await startUpload(creator, {});
    const edit = await rawRest('PATCH', `posts?id=eq.${mine.body.id}`, creator.token, { media_path: theirs.body.object_name, visibility: 'public' });
    expect(edit.status).toBe(200);
    expect(await readable(creator, 'creator-videos', theirs.body.object_name)).toBe(false);
    expect(await readable(null, 'creator-videos', theirs.body.object_name)).toBe(false);
  });
});
