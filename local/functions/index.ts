import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Hono, type Context } from 'hono';
import { basePath } from 'hono/route';
import type { Service, ServiceContext } from '../shared/context.ts';
import { denoBinaryPath } from './deno-binary.ts';
import { denoCacheDir, denoConfigArgs } from './deno-config.ts';
import { functionsToReload, hotReloadFromConfig } from './hot-reload.ts';
import { importedDirsOutside } from './imported-dirs.ts';
import { workerPermissions } from './permissions.ts';
import { proxyToWorker, WorkerConnectionError } from './proxy.ts';
import { configuredFunctions, FunctionRegistry, type FunctionConfigEntry, type FunctionDefinition } from './registry.ts';
import { bootError, functionNotFound, workerError } from './responses.ts';
import { checkJwt } from './verify-jwt.ts';
import { buildWorkerEnv } from './worker-env.ts';
import { WorkerBootError, WorkerProcess } from './worker-process.ts';
import { WorkerSlot } from './worker-slot.ts';
import { watchTree, type TreeWatcher } from './watch.ts';

export type { FunctionConfigEntry, FunctionDefinition } from './registry.ts';

const WORKER_SCRIPT = fileURLToPath(new URL('./worker.ts', import.meta.url));

export interface FunctionsServiceOptions {
  /** Folder of function folders and `.env`; default `<projectRoot>/functions`. */
  functionsDir?: string;
  /** Replaces config.toml's `[functions]` table (entrypoints relative to `supabase/`). */
  functions?: Record<string, FunctionConfigEntry>;
  /** Extra environment for every function, applied last. */
  env?: Record<string, string>;
  /** How long a worker may take to load its module (npm downloads included); default 60 s. */
  bootTimeoutMs?: number;
  /**
   * Restart a function's worker when its files change, as `supabase functions serve` does; default
   * from config.toml's `[edge_runtime] policy` (`per_worker` and `oneshot` both reload: on).
   */
  hotReload?: boolean;
  /** Quiet time after the last file event before workers restart (editors write in bursts); default 100 ms. */
  reloadDebounceMs?: number;
  /**
   * How long a replaced worker may keep serving requests it had before the reload; default 150 s,
   * the edge runtime's request idle timeout.
   */
  reloadDrainMs?: number;
}

export interface FunctionsService extends Service {
  /** Starts the named functions' workers now instead of on first request; resolves when they are ready. */
  warm(names: string[]): Promise<void>;
  /** The worker process new requests of a function go to, if one was created (tests use it to crash a worker). */
  worker(name: string): WorkerProcess | undefined;
  /** Replaced worker processes still finishing their requests after a hot reload. */
  drainingWorkers(name: string): WorkerProcess[];
}

/**
 * The edge functions host, mounted by the gateway at `/functions/v1`. Each function runs in its own
 * long-lived Deno process (the real `deno` binary) started on first request; `/functions/v1/<name>/…`
 * is proxied to it as `/<name>/…`, as Supabase's edge runtime presents the path. verify_jwt comes
 * from config.toml (default on). With hot reload, an edit under a function's folder restarts that
 * function's worker, one under `_shared/` (or `.env`, `deno.json`) restarts all of them; the old
 * process finishes the requests it is serving before it stops.
 */
export async function createFunctionsService(
  ctx: ServiceContext,
  options: FunctionsServiceOptions = {},
): Promise<FunctionsService> {
  const { config } = ctx;
  const log = ctx.log.child({ service: 'functions' });
  const functionsDir = options.functionsDir ?? path.join(config.projectRoot, 'functions');
  const registry = new FunctionRegistry(functionsDir, options.functions ?? configuredFunctions(config), config.supabaseDir);
  const denoPath = denoBinaryPath();
  const denoDir = denoCacheDir(config.projectRoot);
  const importedDirs = existsSync(functionsDir) ? importedDirsOutside(functionsDir) : [];
  const slots = new Map<string, { fn: FunctionDefinition; slot: WorkerSlot }>();
  let closed = false;
  const warnedEnvNames = new Set<string>();

  const slotFor = (fn: FunctionDefinition): WorkerSlot => {
    const existing = slots.get(fn.name);
    if (existing) return existing.slot;
    const create = () =>
      new WorkerProcess({
        name: fn.name,
        denoPath,
        args: [
          'run',
          ...workerPermissions({ functionsDir, denoDir, entrypoint: fn.entrypoint, importedDirs }),
          '--no-prompt',
          '--no-lock',
          ...denoConfigArgs(path.dirname(fn.entrypoint), functionsDir),
          WORKER_SCRIPT,
          pathToFileURL(fn.entrypoint).href,
        ],
        cwd: existsSync(functionsDir) ? functionsDir : config.projectRoot,
        env: () => buildWorkerEnv({ config, functionsDir, denoDir, log, extra: options.env, warned: warnedEnvNames }),
        bootTimeoutMs: options.bootTimeoutMs ?? 60_000,
        log,
      });
    const slot = new WorkerSlot(create, options.reloadDrainMs ?? 150_000);
    slots.set(fn.name, { fn, slot });
    return slot;
  };

  const reload = (changed: string[], _lastEventAt: number, changedAt: ReadonlyMap<string, number>) => {
    if (closed) return;
    // A worker spawned after a file changed already loaded it: each worker meets only the files
    // changed since it started (a function created and first served within the burst is not reloaded).
    const affected = [...slots.values()]
      .filter(({ slot }) => slot.worker.running)
      .filter(({ fn, slot }) => {
        const since = changed.filter((file) => (changedAt.get(file) ?? Infinity) >= (slot.worker.startedAt ?? Infinity));
        return functionsToReload(since, [fn], functionsDir, importedDirs).length > 0;
      })
      .map(({ fn }) => fn);
    if (affected.length === 0) return;
    for (const fn of affected) {
      // A deleted function is not booted again; its next request answers 404.
      const stillThere = registry.find(fn.name) !== undefined && existsSync(fn.entrypoint);
      slots.get(fn.name)!.slot.reload(stillThere);
    }
    const files = changed.map((file) => path.relative(functionsDir, file) || '.').sort();
    log.info('functions reloaded', {
      functions: affected.map((fn) => fn.name),
      changed: files.slice(0, 20),
      ...(files.length > 20 ? { more: files.length - 20 } : {}),
    });
  };

  let watcher: TreeWatcher | undefined;
  if (options.hotReload ?? hotReloadFromConfig(config)) {
    watcher = watchTree(watchRoots(functionsDir, [...registry.configuredEntrypoints().map((entrypoint) => path.dirname(entrypoint)), ...importedDirs]), reload, {
      debounceMs: options.reloadDebounceMs ?? 100,
      onError: (error) => log.warn('function file watch failed', { error: error.message }),
    });
    await watcher.ready;
    log.info('watching functions for changes', { dir: functionsDir });
  }

  const app = new Hono();
  app.all('/:name/*', async (c) => {
    const fn = registry.find(c.req.param('name'));
    if (!fn) return functionNotFound();
    if (closed) return bootError();
    if (fn.verifyJwt) {
      const rejected = await checkJwt(c.req.raw, ctx.jwt);
      if (rejected) return rejected;
    }

    if (!existsSync(fn.entrypoint)) {
      log.error('function entrypoint not found', { function: fn.name, entrypoint: fn.entrypoint });
      return bootError();
    }
    let lease;
    try {
      lease = await slotFor(fn).acquire();
    } catch (error) {
      log.error('function worker failed to boot', { function: fn.name, error: (error as Error).message });
      return bootError();
    }

    try {
      return await proxyToWorker(c.req.raw, lease.port, functionPath(c), lease.release);
    } catch (error) {
      lease.release();
      if (!(error instanceof WorkerConnectionError)) throw error;
      log.error('function worker failed during a request', { function: fn.name, error: error.message });
      lease.worker.discard(lease.port);
      return workerError();
    }
  });
  // `/functions/v1` with no name
  app.all('/', () => functionNotFound());

  return {
    app,
    async warm(names) {
      await Promise.all(
        names.map(async (name) => {
          const fn = registry.find(name);
          if (!fn) throw new Error(`no function named ${name}`);
          await slotFor(fn).worker.port();
        }),
      );
    },
    worker: (name) => slots.get(name)?.slot.worker,
    drainingWorkers: (name) => slots.get(name)?.slot.drainingWorkers ?? [],
    async close() {
      closed = true;
      watcher?.close();
      await Promise.all([...slots.values()].map(({ slot }) => slot.close()));
      slots.clear();
    },
  };
}

/** The path (and query) the function sees: the request's, without the gateway's mount prefix. */
function functionPath(c: Context): string {
  const url = new URL(c.req.url);
  const prefix = basePath(c);
  const pathname = prefix !== '/' && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
  return pathname + url.search;
}

/** The functions folder, plus the given folders (entrypoints' and imported ones) that lie outside it. */
function watchRoots(functionsDir: string, folders: string[]): string[] {
  const roots = [path.resolve(functionsDir)];
  for (const dir of folders.map((folder) => path.resolve(folder))) {
    if (!roots.some((root) => dir === root || dir.startsWith(root + path.sep))) roots.push(dir);
  }
  return roots;
}

export { WorkerBootError };
