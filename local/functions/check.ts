import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LocalConfig } from '../config/index.ts';
import { denoBinaryPath } from './deno-binary.ts';
import { denoCacheDir, denoConfigArgs } from './deno-config.ts';
import { configuredFunctions, FunctionRegistry, type FunctionConfigEntry } from './registry.ts';

export interface CheckFunctionsOptions {
  /** Folder of function folders; default `<projectRoot>/functions`. */
  functionsDir?: string;
  /** Replaces config.toml's `[functions]` table. */
  functions?: Record<string, FunctionConfigEntry>;
  /** Where deno's output goes; default this process's. */
  stdio?: 'inherit' | 'ignore';
}

/**
 * Type-checks every function the host would serve with `deno check`, each with the deno.json the
 * host runs it with (its own, else the functions folder's) and the host's Deno cache. Resolves to
 * deno's exit code (0 when every function checks); its output goes to this process's.
 */
export async function checkFunctions(config: LocalConfig, options: CheckFunctionsOptions = {}): Promise<number> {
  const functionsDir = options.functionsDir ?? path.join(config.projectRoot, 'functions');
  const registry = new FunctionRegistry(functionsDir, options.functions ?? configuredFunctions(config), config.supabaseDir);
  const byConfig = new Map<string, { args: string[]; entrypoints: string[] }>();
  for (const fn of registry.list()) {
    const args = denoConfigArgs(path.dirname(fn.entrypoint), functionsDir);
    const key = args.join('\0');
    const group = byConfig.get(key) ?? { args, entrypoints: [] };
    group.entrypoints.push(fn.entrypoint);
    byConfig.set(key, group);
  }
  if (byConfig.size === 0) throw new Error(`no functions found in ${functionsDir}`);
  let status = 0;
  for (const { args, entrypoints } of byConfig.values()) {
    status ||= await run(denoBinaryPath(), ['check', ...args, ...entrypoints], options.stdio ?? 'inherit', {
      ...process.env,
      DENO_DIR: denoCacheDir(config.projectRoot),
      // The repository root's package.json (an npm workspace) is not the functions' config.
      DENO_NO_PACKAGE_JSON: '1',
    });
  }
  return status;
}

function run(command: string, args: string[], stdio: 'inherit' | 'ignore', env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
