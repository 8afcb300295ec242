import type { WorkerProcess } from './worker-process.ts';

/** A request's hold on a worker: the port to send it to; `release()` once its response is over. */
export interface WorkerLease {
  port: number;
  worker: WorkerProcess;
  /** Idempotent. */
  release(): void;
}

/** Requests waiting for a worker that is replaced while it boots move to the newer one at most this often. */
const MAX_HANDOVERS = 3;

/**
 * The worker of one function across hot reloads. `reload()` puts a fresh worker in place for new
 * requests; the replaced one keeps serving the requests it already has (counted by leases, until
 * their responses end) and is stopped when the last one ends, or after `drainMs` at the latest.
 */
export class WorkerSlot {
  private current: WorkerProcess;
  private readonly inflight = new Map<WorkerProcess, number>();
  /** Replaced workers still serving, with the timer that stops them anyway. */
  private readonly draining = new Map<WorkerProcess, NodeJS.Timeout>();
  private readonly stopping = new Set<Promise<void>>();

  constructor(
    private readonly create: () => WorkerProcess,
    private readonly drainMs: number,
  ) {
    this.current = create();
  }

  /** The worker new requests go to. */
  get worker(): WorkerProcess {
    return this.current;
  }

  /** Replaced workers that have not stopped yet. */
  get drainingWorkers(): WorkerProcess[] {
    return [...this.draining.keys()];
  }

  /**
   * Leases the current worker, starting it if needed. A request still waiting for a worker's boot
   * when that worker is replaced has not been sent yet, so it goes to the replacement instead.
   */
  async acquire(): Promise<WorkerLease> {
    for (let handovers = 0; ; handovers++) {
      const worker = this.current;
      const lease = this.lease(worker);
      const lastChance = handovers >= MAX_HANDOVERS;
      try {
        const port = await worker.port();
        if (worker === this.current || lastChance) return { port, worker, release: lease };
      } catch (error) {
        if (worker === this.current || lastChance) {
          lease();
          throw error;
        }
      }
      lease();
    }
  }

  /**
   * Replaces the worker: new requests go to a fresh process (booted now when `warm`, else on first
   * request), while the old one drains.
   */
  reload(warm: boolean): void {
    const old = this.current;
    this.current = this.create();
    if (warm) {
      // A boot failure is logged by the worker and answered 503 to the next request, which retries.
      this.current.port().catch(() => {});
    }
    if ((this.inflight.get(old) ?? 0) === 0) {
      this.stop(old);
      return;
    }
    const deadline = setTimeout(() => {
      this.draining.delete(old);
      this.stop(old);
    }, this.drainMs);
    deadline.unref();
    this.draining.set(old, deadline);
  }

  /** Stops every worker of this slot, draining or not, and resolves once all have exited. */
  async close(): Promise<void> {
    for (const [worker, deadline] of this.draining) {
      clearTimeout(deadline);
      this.stop(worker);
    }
    this.draining.clear();
    this.stop(this.current);
    while (this.stopping.size > 0) await Promise.all([...this.stopping]);
  }

  private lease(worker: WorkerProcess): () => void {
    this.inflight.set(worker, (this.inflight.get(worker) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inflight.get(worker) ?? 1) - 1;
      if (left > 0) {
        this.inflight.set(worker, left);
        return;
      }
      this.inflight.delete(worker);
      const deadline = this.draining.get(worker);
      if (deadline) {
        clearTimeout(deadline);
        this.draining.delete(worker);
        this.stop(worker);
      }
    };
  }

  private stop(worker: WorkerProcess): void {
    const stopped = worker.stop().finally(() => this.stopping.delete(stopped));
    this.stopping.add(stopped);
  }
}
