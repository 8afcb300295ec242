import { existsSync } from 'node:fs';
import path from 'node:path';

/** The function's own deno.json when it has one (as Supabase prefers), else the functions folder's. */
export function denoConfigArgs(functionDir: string, functionsDir: string): string[] {
  for (const dir of [functionDir, functionsDir]) {
    for (const file of ['deno.json', 'deno.jsonc']) {
      if (existsSync(path.join(dir, file))) return ['--config', path.join(dir, file)];
    }
  }
  return ['--no-config'];
}

/** Where Deno caches the npm packages functions import (`DENO_DIR`), shared by the host and checks. */
export function denoCacheDir(projectRoot: string): string {
  return path.join(projectRoot, '.marquee', 'deno');
}
