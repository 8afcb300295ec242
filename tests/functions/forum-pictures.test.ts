import { beforeAll, describe, expect, it } from 'vitest';
import { userClient } from '../helpers/clients.ts';
import { accessToken, call, createAccount, sql, type TestUser } from './accounts.ts';
import { GIF, HTML, JPEG, PNG, WEBP, pictureName, pngOfSize, sha256 } from './forum-images.ts';

/**
 * functions/forum-pictures: 001's base64 picture upload with its messages, the check of plain
 * storage uploads, and fetching a post's picture by index.
 */
const NAME = /^([0-9a-f]{64})-\d{8}T\d{9}Z\.(jpg|png|gif|webp)$/;
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

type Member = TestUser & { token: string };
async function member(): Promise<Member> {
  const user = await createAccount();
  return { ...user, token: await accessToken(user) };
}

/** The user's objects in the forum-pictures bucket and their registered pictures. */
async function stored(user: { id: string }) {
  const objects = await sql<{ name: string; mimetype: string }>(
    `select name, metadata->>'mimetype' as mimetype from storage.objects where bucket_id = 'forum-pictures' and name like $1 order by name`,
    [`${user.id}/%`],
  );
  const registered = await sql<{ name: string }>('select name from private.forum_pictures where owner_id = $1 order by name', [user.id]);
  return { objects, registered: registered.map((r) => r.name) };
}

let alice: Member;
beforeAll(async () => {
  alice = await member();
}, 60_000);

describe('POST /forum-pictures (base64)', { timeout: 90_000 }, () => {
  it.each([
    ['png', PNG, 'image/png'],
    ['JPG', JPEG, 'image/jpeg'],
    ['jpeg', JPEG, 'image/jpeg'],
    ['gif', GIF, 'image/gif'],
    ['webp', WEBP, 'image/webp'],
  ])('stores a %s picture as <sha256>-<timestamp>.<ext> in the caller\'s folder and answers 201 {filename}', async (type, bytes, mime) => {
    const user = await member();
    const reply = await call<{ filename: string }>('forum-pictures', { image_type: type, image_data: b64(bytes) }, { token: user.token });
    expect(reply.status).toBe(201);
    const match = NAME.exec(reply.body.filename);
    expect(match?.[1]).toBe(sha256(bytes));
    expect(await stored(user)).toEqual({ objects: [{ name: `${user.id}/${reply.body.filename}`, mimetype: mime }], registered: [reply.body.filename] });
  });

  it.each([
    ['no fields', {}, { image_type: ['Image type is required'], image_data: ['Image data is required'] }],
    ['no image_type', { image_data: b64(PNG) }, { image_type: ['Image type is required'] }],
    ['a blank image_type', { image_type: ' ', image_data: b64(PNG) }, { image_type: ['Image type is required'] }],
    ['no image_data', { image_type: 'png' }, { image_data: ['Image data is required'] }],
    ['empty image_data', { image_type: 'png', image_data: '' }, { image_data: ['Image data is required'] }],
    ['base64 that is not', { image_type: 'png', image_data: 'not base64!!' }, { image_data: ['Invalid base64 data'] }],
    ['base64 cut short', { image_type: 'png', image_data: b64(PNG).slice(0, -3) }, { image_data: ['Invalid base64 data'] }],
    ['an unknown type', { image_type: 'bmp', image_data: b64(PNG) }, { image_type: ['Image type must be one of jpg, jpeg, png, gif, webp.'] }],
    ['JPEG bytes declared png', { image_type: 'png', image_data: b64(JPEG) }, { image_data: ['Image data is not a png image.'] }],
    ['an HTML page declared jpg', { image_type: 'jpg', image_data: b64(HTML) }, { image_data: ['Image data is not a jpg image.'] }],
    ['a 5 MB + 1 byte picture', { image_type: 'png', image_data: b64(pngOfSize(5 * 1024 * 1024 + 1)) }, { image_data: ['Image size exceeds 5MB'] }],
    ['a 6 MB picture', { image_type: 'png', image_data: b64(pngOfSize(6 * 1024 * 1024)) }, { image_data: ['Image size exceeds 5MB'] }],
  ])('refuses %s with 400 and 001\'s message, storing nothing', async (_, body, errors) => {
    const before = await stored(alice);
    const reply = await call('forum-pictures', body, { token: alice.token });
    expect({ status: reply.status, body: reply.body }).toEqual({ status: 400, body: errors });
    expect(await stored(alice)).toEqual(before);
  });

  it('takes exactly 5 MB', async () => {
    const user = await member();
    const reply = await call<{ filename: string }>('forum-pictures', { image_type: 'png', image_data: b64(pngOfSize(5 * 1024 * 1024)) }, { token: user.token });
    expect(reply.status).toBe(201);
    expect((await stored(user)).registered).toEqual([reply.body.filename]);
  });

  it('answers 401 "Access token is required" without a user token, 401 for a suspended account, 405 for GET', async () => {
    expect(await call('forum-pictures', { image_type: 'png', image_data: b64(PNG) })).toMatchObject({ status: 401, body: { detail: 'Access token is required' } });
    const user = await member();
    await sql(`update public.profiles set status = 'suspended' where id = $1`, [user.id]);
    // Suspension signs the account out everywhere, so its token is no longer one Auth accepts.
    expect(await call('forum-pictures', { image_type: 'png', image_data: b64(PNG) }, { token: user.token })).toMatchObject({
      status: 401,
      body: { detail: 'Invalid or expired token.' },
    });
    expect((await stored(user)).objects).toEqual([]);
    expect((await call('forum-pictures', undefined, { token: alice.token, method: 'GET' })).status).toBe(405);
  });
});

describe('POST /forum-pictures/verify (plain storage uploads)', { timeout: 90_000 }, () => {
  const upload = (user: Member, name: string, bytes: Uint8Array, contentType: string) =>
    userClient(user.token).storage.from('forum-pictures').upload(`${user.id}/${name}`, bytes, { contentType });

  it('registers a picture whose bytes, type and hash match its name', async () => {
    const user = await member();
    const name = pictureName(PNG, 'png');
    expect((await upload(user, name, PNG, 'image/png')).error).toBeNull();
    expect(await call('forum-pictures/verify', { filename: name }, { token: user.token })).toMatchObject({ status: 200, body: { filename: name } });
    expect((await stored(user)).registered).toEqual([name]);
  });

  it.each([
    ['HTML uploaded as image/png', HTML, 'png', 'image/png', 'Image data is not a png image.'],
    ['JPEG bytes named .png', JPEG, 'png', 'image/png', 'Image data is not a png image.'],
    ['PNG bytes uploaded as image/gif under a .png name', PNG, 'png', 'image/gif', 'Image data is not a png image.'],
  ])('refuses %s, removes the object and registers nothing', async (_, bytes, ext, contentType, message) => {
    const user = await member();
    const name = pictureName(bytes, ext);
    expect((await upload(user, name, bytes, contentType)).error).toBeNull();
    expect(await call('forum-pictures/verify', { filename: name }, { token: user.token })).toEqual(
      expect.objectContaining({ status: 400, body: { filename: [message] } }),
    );
    expect(await stored(user)).toEqual({ objects: [], registered: [] });
  });

  it('refuses a name whose hash is not the bytes\', and a picture that is not there', async () => {
    const user = await member();
    const name = pictureName(GIF, 'png');
    expect((await upload(user, name, PNG, 'image/png')).error).toBeNull();
    expect(await call('forum-pictures/verify', { filename: name }, { token: user.token })).toMatchObject({
      status: 400,
      body: { filename: ['The name does not start with the SHA-256 of the picture.'] },
    });
    expect(await call('forum-pictures/verify', { filename: pictureName(WEBP, 'webp') }, { token: user.token })).toMatchObject({
      status: 404,
      body: { detail: 'Picture not found' },
    });
    expect(await call('forum-pictures/verify', { filename: '../x.png' }, { token: user.token })).toMatchObject({ status: 400 });
  });
});

describe('POST /forum-pictures/<postid>/<index>', { timeout: 90_000 }, () => {
  it('answers the picture as base64; 404 "Picture not found" past the last index, for a missing post, and across a block', async () => {
    const [author, reader, blocker] = [await member(), await member(), await member()];
    const names: string[] = [];
    for (const [type, bytes] of [['png', PNG], ['gif', GIF]] as const) {
      names.push((await call<{ filename: string }>('forum-pictures', { image_type: type, image_data: b64(bytes) }, { token: author.token })).body.filename);
    }
    const created = await userClient(author.token).rpc('create_forum_post', { p_content: 'Two pictures', p_picture_names: names });
    expect(created.error).toBeNull();
    const postid = (created.data as { postid: number }).postid;
    await sql('insert into public.blocks (blocker_id, blocked_id) values ($1, $2)', [blocker.id, author.id]);

    expect(await call(`forum-pictures/${postid}/1`, undefined, { token: reader.token })).toMatchObject({
      status: 200,
      body: { image: b64(GIF), content_type: 'image/gif', filename: names[1] },
    });
    expect((await call(`forum-pictures/${postid}/0`, undefined, { token: author.token })).body).toMatchObject({ image: b64(PNG) });
    const notFound = { status: 404, body: { detail: 'Picture not found' } };
    expect(await call(`forum-pictures/${postid}/2`, undefined, { token: reader.token })).toMatchObject(notFound);
    expect(await call(`forum-pictures/${postid + 1_000_000}/0`, undefined, { token: reader.token })).toMatchObject(notFound);
    expect(await call(`forum-pictures/${postid}/0`, undefined, { token: blocker.token })).toMatchObject(notFound);
    expect(await call(`forum-pictures/${postid}/0`)).toMatchObject({ status: 401, body: { detail: 'Access token is required' } });
  });
});
