import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionsToReload } from './hot-reload.ts';
import { importedDirsOutside } from './imported-dirs.ts';

let root: string;
const at = (...parts: string[]) => path.join(root, ...parts);

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'imported-dirs-'));
  for (const dir of ['functions/_shared', 'functions/hello', 'sdk/src/rules', 'sdk/src/other', 'secrets']) await mkdir(at(dir), { recursive: true });
  await writeFile(at('functions/_shared/rules.ts'), "export * from '../../sdk/src/rules/index.ts';\n");
  await writeFile(at('functions/hello/index.ts'), "import { z } from 'zod';\nimport { rules } from '../_shared/rules.ts';\nconst later = () => import('./local.ts');\n");
  await writeFile(at('sdk/src/rules/index.ts'), "export { a } from './a.ts';\nimport '../other/side-effect.ts';\n");
  await writeFile(at('sdk/src/rules/a.ts'), 'export const a = 1;\n');
  await writeFile(at('sdk/src/other/side-effect.ts'), 'export {};\n');
  await writeFile(at('secrets/key.ts'), 'export const key = 1;\n');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('importedDirsOutside', () => {
  it('finds the folders outside the functions folder that function code reaches by relative import, and nothing else', () => {
    expect(importedDirsOutside(at('functions'))).toEqual([at('sdk/src/other'), at('sdk/src/rules')]);
  });

  it('makes a change in an imported folder reload every running function', () => {
    const running = [{ name: 'hello', entrypoint: at('functions/hello/index.ts') }] as Parameters<typeof functionsToReload>[1];
    const dirs = importedDirsOutside(at('functions'));
    expect(functionsToReload([at('sdk/src/rules/a.ts')], running, at('functions'), dirs)).toEqual(running);
    expect(functionsToReload([at('secrets/key.ts')], running, at('functions'), dirs)).toEqual([]);
  });
});
