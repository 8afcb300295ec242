import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One writer of users (as GoTrue's models.User): only local/auth/user-writes.ts may insert, update
 * or delete auth.users rows, so what an operation must also clear (tokens, one-time tokens,
 * sessions) cannot be skipped by a route that writes the columns itself.
 */
const AUTH_DIR = path.resolve(import.meta.dirname, '../../../local/auth');
const WRITER = 'user-writes.ts';

/** A statement that changes auth.users, however it is spaced or quoted ("auth"."users", only, aliases). */
const WRITES_USERS = /\b(?:update(?:\s+only)?|insert\s+into|delete\s+from)\s+(?:"?auth"?\s*\.\s*"?users"?)(?![\w"])/i;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return Promise.resolve(entry.name.endsWith('.ts') ? [full] : []);
    }),
  );
  return nested.flat();
}

describe('local/auth has one writer of auth.users', () => {
  it('the pattern recognises the ways a statement can write the table', () => {
    for (const sql of [
      'update auth.users set role = $2',
      'UPDATE  "auth"."users" SET x = 1',
      'insert into auth.users (id) values ($1)',
      'delete from auth.users where id = $1',
      'update only auth.users set email = null',
    ]) {
      expect(WRITES_USERS.test(sql), sql).toBe(true);
    }
    for (const sql of ['select * from auth.users', 'update auth.users_archive set x = 1', 'delete from auth.identities']) {
      expect(WRITES_USERS.test(sql), sql).toBe(false);
    }
  });

  it('no file but user-writes.ts writes auth.users', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(AUTH_DIR)) {
      if (path.basename(file) === WRITER && path.dirname(file) === AUTH_DIR) continue;
      const lines = (await readFile(file, 'utf8')).split('\n');
      lines.forEach((line, index) => {
        if (WRITES_USERS.test(line)) offenders.push(`${path.relative(AUTH_DIR, file)}:${index + 1}: ${line.trim()}`);
      });
    }
    expect(offenders).toEqual([]);
  });

  it('the writer exists and holds the statements', async () => {
    const writer = await readFile(path.join(AUTH_DIR, WRITER), 'utf8');
    expect(writer.split('\n').filter((line) => WRITES_USERS.test(line)).length).toBeGreaterThan(10);
  });
});
