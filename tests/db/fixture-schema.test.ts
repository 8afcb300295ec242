import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE_SCHEMA } from '../helpers/fixture-schema.ts';

/**
 * The lint test checks `public` and `private` while other test files run: a fixture committed there
 * races with it. Test files create their objects in the fixture schema; the one exception is an
 * object that must be in `public` to test `public` itself, created in a transaction that is rolled
 * back (no other session ever sees it), marked with "rolled back" in a comment just above.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const DDL_IN_PRODUCT_SCHEMAS =
  /create\s+(?:or\s+replace\s+)?(?:unique\s+)?(?:table|view|materialized\s+view|function|procedure|policy|trigger|type|sequence|index)\b[^;]*?\b(?:on\s+)?"?(public|private)"?\s*\./gi;

function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testSources(full);
    return full.endsWith('.ts') && (full.includes(`${path.sep}tests${path.sep}`) || full.endsWith('.test.ts')) ? [full] : [];
  });
}

/** Each DDL statement in `source` that creates an object in public or private, with its line. */
export function fixturesInProductSchemas(source: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  for (const match of source.matchAll(DDL_IN_PRODUCT_SCHEMAS)) {
    const line = source.slice(0, match.index).split('\n').length;
    const above = source.split('\n').slice(Math.max(0, line - 4), line - 1).join('\n');
    if (/rolled back/i.test(above)) continue;
    found.push({ line, text: match[0].replace(/\s+/g, ' ').slice(0, 80) });
  }
  return found;
}

describe('test fixtures', () => {
  it(`are created in ${FIXTURE_SCHEMA}, never committed to public or private`, () => {
    const offenders = [...testSources(path.join(ROOT, 'tests')), ...testSources(path.join(ROOT, 'local'))]
      .filter((file) => file !== import.meta.filename)
      .flatMap((file) => fixturesInProductSchemas(readFileSync(file, 'utf8')).map((f) => `${path.relative(ROOT, file)}:${f.line}: ${f.text}`));
    expect(offenders).toEqual([]);
  });

  it('the scan finds a fixture table, policy and function in public, and accepts a rolled-back one', () => {
    const source = [
      'create table public.notes (id int);',
      'create policy "p" on public.notes for select using (true);',
      'create or replace function private.f() returns int language sql as $$ select 1 $$;',
      `create table ${FIXTURE_SCHEMA}.fine (id int);`,
      '// created in a transaction that is rolled back',
      'create table public.checked (id int);',
    ].join('\n');
    expect(fixturesInProductSchemas(source).map((f) => f.line)).toEqual([1, 2, 3]);
  });
});
