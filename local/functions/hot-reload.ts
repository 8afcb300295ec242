import path from 'node:path';
import { section, type LocalConfig } from '../config/index.ts';
import type { FunctionDefinition } from './registry.ts';

/** Files at the top of the functions folder that every function reads (env, Deno config, import map). */
const SHARED_ROOT_FILES = new Set(['.env', 'deno.json', 'deno.jsonc', 'import_map.json', 'deno.lock']);

/**
 * Whether workers restart when their files change. config.toml's `[edge_runtime] policy` is
 * `per_worker` (the CLI's hot-reload mode, its default) or `oneshot` (a fresh worker per request, so
 * edits apply too): both mean reload-on-change here. Any other value turns it off.
 */
export function hotReloadFromConfig(config: LocalConfig): boolean {
  const policy = section(config.toml, 'edge_runtime').policy;
  return policy === undefined || policy === 'per_worker' || policy === 'oneshot';
}

/**
 * Which of the `running` functions a batch of changed files affects: all of them when a file under
 * `_shared/`, a shared top-level file (`.env`, `deno.json`…) or a folder outside the functions folder
 * that functions import (`importedDirs`) changed, else those whose entrypoint's folder holds a
 * changed file. A new function folder affects nothing: it is found on first request.
 */
export function functionsToReload(
  changed: string[],
  running: FunctionDefinition[],
  functionsDir: string,
  importedDirs: string[] = [],
): FunctionDefinition[] {
  const root = path.resolve(functionsDir);
  const affected = new Set<FunctionDefinition>();
  for (const file of changed.map((changedFile) => path.resolve(changedFile))) {
    const relative = path.relative(root, file);
    const insideRoot = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
    if (insideRoot) {
      const [top] = relative.split(path.sep);
      const topLevelFile = !relative.includes(path.sep);
      if (top === '_shared' || (topLevelFile && SHARED_ROOT_FILES.has(relative))) return running;
    }
    if (importedDirs.some((dir) => isInside(file, dir))) return running;
    for (const fn of running) {
      if (isInside(file, path.dirname(path.resolve(fn.entrypoint)))) affected.add(fn);
    }
  }
  return running.filter((fn) => affected.has(fn));
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
