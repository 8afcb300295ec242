import path from 'node:path';

export interface WorkerPermissionsOptions {
  /** The functions folder (`_shared/`, `.env`, every function's own files). */
  functionsDir: string;
  /** Deno's cache (`DENO_DIR`): npm packages a function imports are read from there. */
  denoDir: string;
  /** The function's entrypoint, whose folder may lie outside the functions folder (config.toml). */
  entrypoint: string;
  /** Folders outside the functions folder that function code imports (imported-dirs.ts). */
  importedDirs?: string[];
}

/**
 * Deno permission flags of one function's worker: network and its (already filtered) environment,
 * and reading only the function's code and Deno's cache — never the rest of the disk, where the
 * Postgres data directory and the project's secrets live. No writes, subprocesses or FFI.
 */
export function workerPermissions(options: WorkerPermissionsOptions): string[] {
  const readable = new Set([path.resolve(options.functionsDir), path.resolve(options.denoDir), ...(options.importedDirs ?? [])]);
  const entryDir = path.dirname(path.resolve(options.entrypoint));
  if (![...readable].some((dir) => entryDir === dir || entryDir.startsWith(dir + path.sep))) readable.add(entryDir);
  return ['--allow-net', '--allow-env', `--allow-read=${[...readable].join(',')}`];
}
