import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Hono, type Context } from 'hono';
import { basePath } from 'hono/route';
import type { Service, ServiceContext } from '../shared/context.ts';
import { denoBinaryPath } from './deno-binary.ts';
import { proxyToWorker, WorkerConnectionError } from './proxy.ts';
import { configuredFunctions, FunctionRegistry, type FunctionConfigEntry, type FunctionDefinition } from './registry.ts';
import { bootError, functionNotFound, workerError } from './responses.ts';
import { checkJwt } from './verify-jwt.ts';
import { buildWorkerEnv } from './worker-env.ts';
import { WorkerBootError, WorkerProcess } from './worker-process.ts';

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
}

export interface FunctionsService extends Service {
  /** Starts the named functions' workers now instead of on first request; resolves when they are ready. */
  warm(names: string[]): Promise<void>;
  /** The worker process of a function, if one was created (tests use it to crash a worker). */
  worker(name: string): WorkerProcess | undefined;
}

/**
 * The edge functions host, mounted by the gateway at `/functions/v1`. Each function runs in its own
 * long-lived Deno process (the real `deno` binary) started on first request; `/functions/v1/<name>/…`
 * is proxied to it as `/<name>/…`, as Supabase's edge runtime presents the path. verify_jwt comes
 * from config.toml (default on).
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
  const denoDir = path.join(config.projectRoot, '.marquee', 'deno');
  const workers = new Map<string, WorkerProcess>();
  let closed = false;
  const warnedEnvNames = new Set<string>();

  const workerFor = (fn: FunctionDefinition): WorkerProcess => {
    let worker = workers.get(fn.name);
    if (!worker) {
      worker = new WorkerProcess({
        name: fn.name,
        denoPath,
        args: [
          'run',
          '--allow-net',
          '--allow-env',
          '--allow-read',
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
      workers.set(fn.name, worker);
    }
    return worker;
  };

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
    const worker = workerFor(fn);
    let port: number;
    try {
      port = await worker.port();
    } catch (error) {
      log.error('function worker failed to boot', { function: fn.name, error: (error as Error).message });
      return bootError();
    }

    try {
      return await proxyToWorker(c.req.raw, port, functionPath(c));
    } catch (error) {
      if (!(error instanceof WorkerConnectionError)) throw error;
      log.error('function worker failed during a request', { function: fn.name, error: error.message });
      worker.discard(port);
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
          await workerFor(fn).port();
        }),
      );
    },
    worker: (name) => workers.get(name),
    async close() {
      closed = true;
      await Promise.all([...workers.values()].map((worker) => worker.stop()));
      workers.clear();
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

/** The function's own deno.json when it has one (as Supabase prefers), else the functions folder's. */
function denoConfigArgs(functionDir: string, functionsDir: string): string[] {
  for (const dir of [functionDir, functionsDir]) {
    for (const file of ['deno.json', 'deno.jsonc']) {
      if (existsSync(path.join(dir, file))) return ['--config', path.join(dir, file)];
    }
  }
  return ['--no-config'];
}

export { WorkerBootError };
