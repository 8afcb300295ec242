/** Latency summary of one benchmark run. */
export interface RunStats {
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

/**
 * Calls `once` (with the loop's index) from `concurrency` loops for `seconds` and summarises latencies in milliseconds.
 * A warm-up of one second is run first and not counted.
 */
export async function measure(once: (worker: number) => Promise<unknown>, concurrency: number, seconds: number): Promise<RunStats> {
  await loop(once, concurrency, 1, []);
  const latencies: number[] = [];
  const started = performance.now();
  const errors = await loop(once, concurrency, seconds, latencies);
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN);
  return {
    requests: latencies.length,
    seconds: round(elapsed),
    rps: Math.round(latencies.length / elapsed),
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    errors,
  };
}

async function loop(once: (worker: number) => Promise<unknown>, concurrency: number, seconds: number, latencies: number[]) {
  const deadline = performance.now() + seconds * 1000;
  let errors = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          await once(worker);
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  return errors;
}

export const round = (n: number) => Math.round(n * 100) / 100;
