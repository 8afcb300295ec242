import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.ts';
import { functionsToReload, hotReloadFromConfig } from './hot-reload.ts';
import type { FunctionDefinition } from './registry.ts';

const root = path.resolve('/project/functions');
const fn = (name: string, entrypoint = path.join(root, name, 'index.ts')): FunctionDefinition => ({ name, entrypoint, verifyJwt: true });
const hello = fn('hello');
const mail = fn('mail');
const outside = fn('outside', path.resolve('/elsewhere/outside/main.ts'));
const running = [hello, mail, outside];
const names = (changed: string[]) => functionsToReload(changed, running, root).map((f) => f.name);

describe('functionsToReload', () => {
  it.each([
    { changed: ['hello/index.ts'], expected: ['hello'] },
    { changed: ['hello/lib/deep.ts', 'hello/deno.json'], expected: ['hello'] },
    { changed: ['hello'], expected: ['hello'] },
    { changed: ['_shared/cors.ts'], expected: ['hello', 'mail', 'outside'] },
    { changed: ['_shared'], expected: ['hello', 'mail', 'outside'] },
    { changed: ['.env'], expected: ['hello', 'mail', 'outside'] },
    { changed: ['deno.json'], expected: ['hello', 'mail', 'outside'] },
    { changed: ['import_map.json'], expected: ['hello', 'mail', 'outside'] },
    // a new function folder is discovered on first request; a stopped one starts with fresh code
    { changed: ['brand-new/index.ts'], expected: [] },
    { changed: ['README.md'], expected: [] },
    { changed: ['hello/index.ts', 'mail/index.ts'], expected: ['hello', 'mail'] },
  ])('$changed → $expected', ({ changed, expected }) => {
    expect(names(changed.map((file) => path.join(root, file)))).toEqual(expected);
  });

  it("follows a configured entrypoint's own folder", () => {
    expect(names([path.resolve('/elsewhere/outside/helper.ts')])).toEqual(['outside']);
    expect(names([path.resolve('/elsewhere/other.ts')])).toEqual([]);
  });

  it('only considers running functions', () => {
    expect(functionsToReload([path.join(root, '_shared/x.ts')], [mail], root)).toEqual([mail]);
    expect(functionsToReload([path.join(root, 'hello/index.ts')], [mail], root)).toEqual([]);
  });
});

describe('hotReloadFromConfig', () => {
  const withPolicy = (policy: unknown) => {
    const config = loadConfig({ quiet: true });
    return { ...config, toml: { ...config.toml, edge_runtime: policy === undefined ? {} : { policy } } };
  };

  it('is on for per_worker (the CLI default), oneshot and an absent policy; off otherwise', () => {
    expect(hotReloadFromConfig(loadConfig({ quiet: true }))).toBe(true);
    expect(hotReloadFromConfig(withPolicy('per_worker'))).toBe(true);
    expect(hotReloadFromConfig(withPolicy('oneshot'))).toBe(true);
    expect(hotReloadFromConfig(withPolicy(undefined))).toBe(true);
    expect(hotReloadFromConfig(withPolicy('none'))).toBe(false);
  });
});
