import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../shared/logger.ts';

/** Printed by worker.ts once the function's module is loaded and the port is open. */
const READY_MARKER = 'MARQUEE_WORKER_READY ';

/** The worker exited or timed out before it was ready. */
export class WorkerBootError extends Error {}

export interface WorkerProcessOptions {
  name: string;
  denoPath: string;
  /** Arguments after `deno`, ending with the bootstrap script and the entrypoint URL. */
  args: string[];
  cwd: string;
  /** Built anew for every start, so `functions/.env` edits apply on restart. */
  env: () => Record<string, string>;
  bootTimeoutMs: number;
  log: Logger;
}

/** Every worker still alive, killed synchronously if the host process exits without `close()`. */
const liveProcesses = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of liveProcesses) killGroup(child, 'SIGKILL');
  });
}

/**
 * One long-lived Deno process serving one function. Started on first use; if it dies, the next
 * `port()` call starts a new one. Its stdout/stderr lines go to the log with the function's name.
 */
export class WorkerProcess {
  private child: ChildProcess | undefined;
  private ready: Promise<number> | undefined;
  private readyPort: number | undefined;
  private closed = false;
  private spawnedAt: number | undefined;

  constructor(private readonly options: WorkerProcessOptions) {}

  /** The worker's port, starting the worker (and waiting for it) when it is not running. */
  port(): Promise<number> {
    if (this.closed) return Promise.reject(new WorkerBootError('functions host is closed'));
    this.ready ??= this.start();
    return this.ready;
  }

  /** True while a worker process exists (starting or ready). */
  get running(): boolean {
    return this.child !== undefined;
  }

  /** Epoch ms when the running process was spawned (it read its files after that). */
  get startedAt(): number | undefined {
    return this.child ? this.spawnedAt : undefined;
  }

  /** The worker's pid, for tests and logs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Marks the process serving `port` as unusable (it reset a connection); the next request starts
   * a new one. A port of an older, already replaced process is ignored.
   */
  discard(port: number): void {
    const child = this.child;
    if (port !== this.readyPort) return;
    this.forget(child);
    if (child) killGroup(child, 'SIGKILL');
  }

  /** Stops the worker: SIGTERM to its process group, SIGKILL after a grace period. */
  async stop(graceMs = 2000): Promise<void> {
    this.closed = true;
    const child = this.child;
    this.forget(child);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  private forget(child: ChildProcess | undefined): void {
    if (child && this.child === child) {
      this.child = undefined;
      this.ready = undefined;
      this.readyPort = undefined;
    }
  }

  private start(): Promise<number> {
    const { name, denoPath, args, cwd, bootTimeoutMs, log } = this.options;
    installExitHook();
    const child = spawn(denoPath, args, {
      cwd,
      env: this.options.env(),
      // Own process group, so stop() reaches anything Deno itself starts.
      detached: true,
      // stdin stays open: worker.ts exits when it closes, i.e. when this process dies.
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.spawnedAt = Date.now();
    liveProcesses.add(child);
    log.info('starting function worker', { function: name, pid: child.pid });

    return new Promise<number>((resolve, reject) => {
      let settled = false;
      const recentErrors: string[] = [];
      const settle = (error: Error | undefined, port?: number) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) {
          this.forget(child);
          killGroup(child, 'SIGKILL');
          reject(error);
        } else {
          resolve(port!);
        }
      };
      const timer = setTimeout(
        () => settle(new WorkerBootError(`function ${name} was not ready after ${bootTimeoutMs} ms`)),
        bootTimeoutMs,
      );

      createInterface({ input: child.stdout! }).on('line', (line) => {
        if (!settled && line.startsWith(READY_MARKER)) {
          const port = Number((JSON.parse(line.slice(READY_MARKER.length)) as { port: number }).port);
          log.info('function worker ready', { function: name, pid: child.pid, port });
          if (this.child === child) this.readyPort = port;
          settle(undefined, port);
          return;
        }
        log.info(line, { function: name, stream: 'stdout' });
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        if (!settled) recentErrors.push(line);
        if (recentErrors.length > 20) recentErrors.shift();
        log.warn(line, { function: name, stream: 'stderr' });
      });
      child.stdin!.on('error', () => {
        // EPIPE when the worker is gone; exit is handled below
      });

      child.once('error', (error) => settle(new WorkerBootError(`cannot start deno for ${name}: ${error.message}`)));
      child.once('exit', (code, signal) => {
        liveProcesses.delete(child);
        this.forget(child);
        if (!settled) {
          settle(new WorkerBootError(`function ${name} exited during boot (code ${code ?? signal}): ${recentErrors.join('\n')}`));
        } else if (!this.closed) {
          log.warn('function worker exited; the next request restarts it', { function: name, code, signal });
        }
      });
    });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}
