import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchTree, type TreeWatcher } from './watch.ts';

/** Collects onChange batches; `next()` waits (bounded) for the next one. */
function recorder() {
  const batches: string[][] = [];
  const waiters: ((batch: string[]) => void)[] = [];
  return {
    batches,
    onChange(paths: string[]) {
      const waiter = waiters.shift();
      if (waiter) waiter(paths);
      else batches.push(paths);
    },
    next(timeoutMs = 5000): Promise<string[]> {
      const queued = batches.shift();
      if (queued) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no change reported within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((batch) => {
          clearTimeout(timer);
          resolve(batch);
        });
      });
    },
  };
}

let dir: string;
let watcher: TreeWatcher | undefined;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'marquee-watch-'));
  mkdirSync(path.join(dir, 'hello'));
  writeFileSync(path.join(dir, 'hello', 'index.ts'), 'v0');
});

afterEach(() => {
  watcher?.close();
  watcher = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('watchTree', () => {
  const start = async (onChange: (paths: string[]) => void) => {
    watcher = watchTree([dir], onChange, { debounceMs: 50 });
    await watcher.ready;
  };
  const file = (...parts: string[]) => path.join(dir, ...parts);

  it('reports in-place edits and edits after an atomic (rename) save', async () => {
    const changes = recorder();
    await start(changes.onChange);
    writeFileSync(file('hello', 'index.ts'), 'v1 in place');
    expect(await changes.next()).toContain(file('hello', 'index.ts'));

    writeFileSync(file('hello', 'index.ts.tmp'), 'v2 by rename');
    renameSync(file('hello', 'index.ts.tmp'), file('hello', 'index.ts'));
    expect(await changes.next()).toContain(file('hello', 'index.ts'));

    // Node 20's own recursive watch misses this one: the renamed-over file has a new inode.
    writeFileSync(file('hello', 'index.ts'), 'v3 in place, longer');
    expect(await changes.next()).toContain(file('hello', 'index.ts'));
  });

  it('reports files in folders created after the watch started', async () => {
    const changes = recorder();
    await start(changes.onChange);
    mkdirSync(file('later', 'deep'), { recursive: true });
    writeFileSync(file('later', 'deep', 'index.ts'), 'new');
    await expect.poll(async () => (await changes.next()).includes(file('later', 'deep', 'index.ts')), { timeout: 10_000 }).toBe(true);

    writeFileSync(file('later', 'deep', 'index.ts'), 'edited, longer');
    await expect.poll(async () => (await changes.next()).includes(file('later', 'deep', 'index.ts')), { timeout: 10_000 }).toBe(true);
  });

  it('debounces a burst of writes into one batch and ignores swap files', async () => {
    const changes = recorder();
    await start(changes.onChange);
    for (let i = 0; i < 5; i++) writeFileSync(file('hello', 'index.ts'), `burst ${i}`.repeat(i + 1));
    writeFileSync(file('hello', '.index.ts.swp'), 'swap');
    const batch = await changes.next();
    expect(batch).toContain(file('hello', 'index.ts'));
    expect(batch).not.toContain(file('hello', '.index.ts.swp'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes.batches).toEqual([]);
  });

  it('reports nothing after close()', async () => {
    const changes = recorder();
    await start(changes.onChange);
    watcher!.close();
    writeFileSync(file('hello', 'index.ts'), 'after close');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(changes.batches).toEqual([]);
  });
});

it('skips roots that do not exist', async () => {
  watcher = watchTree([path.join(dir, 'missing')], () => {}, { debounceMs: 50 });
  await expect(watcher.ready).resolves.toBeUndefined();
});
