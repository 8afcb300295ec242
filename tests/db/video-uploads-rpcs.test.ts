import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asAccount, asAnon, asServiceRole, connectAsPostgres, createUser, runAs, sqlstateOf } from '../helpers/db.ts';

/**
 * The upload RPCs in the database, as each role (each case rolled back): who may start an upload,
 * who reads its status, the quality a frame height gets, the processor's claim under concurrency, the
 * service steps' state checks, and the ready notification through the dashboard door.
 */
let db: pg.Client;
let db2: pg.Client;
let creator: { id: string };
let visitor: { id: string };
let admin: { id: string };

beforeAll(async () => {
  db = await connectAsPostgres();
  db2 = await connectAsPostgres();
  [creator, visitor, admin] = [await createUser(db), await createUser(db), await createUser(db)];
  await db.query(`update public.user_roles set role = 'creator' where user_id = $1`, [creator.id]);
  await db.query(`update public.user_roles set role = 'admin' where user_id = $1`, [admin.id]);
});
afterAll(async () => {
  await db?.end();
  await db2?.end();
});

const START = `select public.start_video_upload('t', 'reel', 'video/mp4', 100) as r`;

/** A post in `status`, with its upload row, made as the dashboard would (committed). */
async function upload(status: 'uploading' | 'processing', visibility = 'public'): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `insert into public.posts (created_by, post_type, post_title, media_path, upload_status, visibility)
     values ($1::uuid, 'reel', 'fixture reel', $1::text || '/' || gen_random_uuid() || '.mp4', $2::public.upload_status, $3::public.post_visibility) returning id`,
    [creator.id, status, visibility],
  );
  const id = Number(rows[0]!.id);
  await db.query(`insert into private.video_uploads (post_id, created_by, object_name, mime_type, size_bytes)
    select id, created_by, media_path, 'video/mp4', 100 from public.posts where id = $1`, [id]);
  return id;
}

describe('start_video_upload', () => {
  it('a creator and an admin may; the post is uploading with a reserved object in their folder', async () => {
    for (const who of [creator, admin]) {
      const row = await runAs(db, asAccount(who, 'active', who === creator ? 'creator' : 'admin'), async (c) => (await c.query(START)).rows[0].r);
      expect(row).toMatchObject({ bucket: 'creator-videos', upload_status: 'uploading', object_name: expect.stringMatching(new RegExp(`^${who.id}/.+\\.mp4$`)) });
    }
  });

  it('a visitor whose token claims creator is refused (the live role decides); anon and a suspended creator too', async () => {
    expect(await runAs(db, asAccount(visitor, 'active', 'creator'), (c) => sqlstateOf(c.query(START)))).toBe('42501');
    expect(await runAs(db, asAnon(), (c) => sqlstateOf(c.query(START)))).toBe('42501');
    expect(await runAs(db, asAccount(creator, 'suspended', 'creator'), (c) => sqlstateOf(c.query(START)))).toBe('42501');
  });
});

describe('video_upload_status', () => {
  it('the author, an admin and (for a public post) anyone read it; a private post is 404 to others', async () => {
    const shown = await upload('uploading');
    const hidden = await upload('uploading', 'private');
    const read = (actor: Parameters<typeof runAs>[1], id: number) =>
      runAs(db, actor, async (c) => (await c.query('select public.video_upload_status($1) as r', [id])).rows[0].r);
    expect(await read(asAnon(), shown)).toMatchObject({ id: shown, upload_status: 'uploading' });
    expect(await read(asAccount(creator, 'active', 'creator'), hidden)).toMatchObject({ upload_status: 'uploading' });
    expect(await read(asAccount(admin, 'active', 'admin'), hidden)).toMatchObject({ upload_status: 'uploading' });
    expect(await runAs(db, asAccount(visitor, 'active', 'visitor'), (c) => sqlstateOf(c.query('select public.video_upload_status($1)', [hidden])))).toBe('PT404');
  });
});

describe('processing steps', () => {
  it('frame heights map to quality labels', async () => {
    const { rows } = await db.query(`select h, private.video_quality_for_height(h) as q from unnest(array[144, 240, 360, 479, 480, 720, 1080, 1440, 2160, 4320]) h`);
    expect(rows.map((r) => r.q)).toEqual(['240p', '240p', '360p', '360p', '480p', '720p', '1080p', '1440p', '2160p', '2160p']);
  });

  it('two processors claiming at once never take the same upload', async () => {
    const ids = [await upload('processing'), await upload('processing')];
    await db.query('begin');
    await db2.query('begin');
    try {
      await db.query(`set local role service_role`);
      await db2.query(`set local role service_role`);
      const [a, b] = await Promise.all([
        db.query('select post_id from service.claim_video_processing(10)'),
        db2.query('select post_id from service.claim_video_processing(10)'),
      ]);
      const claimed = [...a.rows, ...b.rows].map((r) => Number(r.post_id)).filter((id) => ids.includes(id));
      expect(claimed.sort()).toEqual([...ids].sort());
    } finally {
      await db.query('rollback');
      await db2.query('rollback');
    }
  });

  it('finish and fail refuse an upload that is not processing (PT409) and change nothing', async () => {
    const id = await upload('uploading');
    await runAs(db, asServiceRole(), async (c) => {
      expect(await sqlstateOf(c.query(`select service.finish_video_processing($1, 1, 720, null)`, [id]))).toBe('PT409');
    });
    await runAs(db, asServiceRole(), async (c) => {
      expect(await sqlstateOf(c.query(`select service.fail_video_processing($1, 'x')`, [id]))).toBe('PT409');
    });
    expect((await db.query('select upload_status, video_quality from public.posts where id = $1', [id])).rows[0]).toEqual({ upload_status: 'uploading', video_quality: null });
  });

  it('the service steps are not a creator\'s to call', async () => {
    const id = await upload('processing');
    expect(await runAs(db, asAccount(creator, 'active', 'creator'), (c) => sqlstateOf(c.query(`select service.finish_video_processing($1, 1, 720, null)`, [id])))).toBe('42501');
  });

  it('a video made ready by any door (here the dashboard) notifies its uploader once', async () => {
    const id = await upload('processing');
    const count = async () => Number((await db.query(`select count(*) from public.notifications where user_id = $1 and page_item_id = $2`, [creator.id, id])).rows[0].count);
    await db.query(`update public.posts set upload_status = 'ready' where id = $1`, [id]);
    await db.query(`update public.posts set upload_status = 'ready', post_title = 'renamed' where id = $1`, [id]);
    expect(await count()).toBe(1);
  });
});
