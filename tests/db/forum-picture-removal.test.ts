import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asVisitor, connectAsPostgres } from '../helpers/db.ts';
import { createAccount, type Account } from './accounts-fixtures.ts';

/**
 * A deleted forum post queues its pictures for the storage-cleanup function, through every door,
 * unless another post of the author still shows them; the checked-upload record goes with them.
 */
let db: pg.Client;
let author: Account;

beforeAll(async () => {
  db = await connectAsPostgres();
  author = await createAccount(db);
});
afterAll(async () => {
  await db.end();
});

/** Records a checked upload, as the forum-pictures function does, and answers its name. */
async function picture(): Promise<string> {
  const name = `${randomBytes(32).toString('hex')}-20261129T120000000Z.png`;
  await db.query('insert into private.forum_pictures (owner_id, name, mime_type, size_bytes) values ($1, $2, $3, $4)', [author.id, name, 'image/png', 100]);
  return name;
}

async function post(names: string[]): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `insert into public.forum_posts (created_by, content, picture_names) values ($1, 'with pictures', $2) returning id`,
    [author.id, names],
  );
  return rows[0]!.id;
}

const queued = async (names: string[]) =>
  (
    await db.query<{ object_name: string }>(
      `select object_name from private.storage_removals where bucket_id = 'forum-pictures' and object_name = any ($1) order by object_name`,
      [names.map((n) => `${author.id}/${n}`)],
    )
  ).rows.map((r) => r.object_name.split('/')[1]);
const registered = async (names: string[]) =>
  (await db.query<{ name: string }>('select name from private.forum_pictures where owner_id = $1 and name = any ($2)', [author.id, names])).rows.map((r) => r.name);

describe('forum picture removal', () => {
  it('the author deleting a post queues the pictures no other post of theirs shows', async () => {
    const [only, shared] = [await picture(), await picture()];
    const first = await post([only, shared]);
    await post([shared]);
    await db.query('begin');
    try {
      await db.query('set local role authenticated');
      await db.query(`select set_config('request.jwt.claims', $1, true)`, [JSON.stringify(asVisitor(author).claims)]);
      expect((await db.query('delete from public.forum_posts where id = $1', [first])).rowCount).toBe(1);
      await db.query('commit');
    } catch (error) {
      await db.query('rollback');
      throw error;
    }
    expect(await queued([only, shared])).toEqual([only]);
    expect(await registered([only, shared])).toEqual([shared]);
  });

  it('the dashboard (postgres) deleting the last post that shows a picture queues it', async () => {
    const name = await picture();
    const id = await post([name]);
    await db.query('delete from public.forum_posts where id = $1', [id]);
    expect(await queued([name])).toEqual([name]);
    expect(await registered([name])).toEqual([]);
  });
});
