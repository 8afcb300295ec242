import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../local/config/index.ts';
import { checkFunctions } from '../../local/functions/check.ts';

/** CI runs every check the README promises, and `check:functions` really type-checks every function. */
const projectRoot = path.resolve(import.meta.dirname, '../..');

describe('.ci/run', () => {
  it('installs from the lockfile, then runs typecheck, lint, deno check of the functions, and the tests, in order', () => {
    const commands = readFileSync(path.join(projectRoot, '.ci/run'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('npm '));
    expect(commands).toEqual(['npm ci', 'npm run typecheck', 'npm run lint', 'npm run check:functions', 'npm test']);
    const scripts = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['check:functions']).toBe('tsx local/cli.ts check-functions');
  });
});

describe('checkFunctions', { timeout: 120_000 }, () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'marquee-check-'));
    for (const [file, source] of Object.entries({
      'good/index.ts': `Deno.serve(() => new Response('ok'));`,
      'bad/index.ts': `const port: number = 'not a number'; Deno.serve({ port }, () => new Response('no'));`,
    })) {
      await mkdir(path.dirname(path.join(root, file)), { recursive: true });
      await writeFile(path.join(root, file), source);
    }
  });
  afterAll(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('fails when any function has a type error, and passes when all check', async () => {
    const config = loadConfig({ quiet: true });
    expect(await checkFunctions(config, { functionsDir: root, functions: {}, stdio: 'ignore' })).not.toBe(0);
    await rm(path.join(root, 'bad'), { recursive: true });
    expect(await checkFunctions(config, { functionsDir: root, functions: {}, stdio: 'ignore' })).toBe(0);
  });
});
