import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../local/config/index.ts';

export interface StackProcess {
  child: ChildProcess;
  /** Milliseconds from spawn to the "ready" line. */
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * Runs `npm start`'s entry point as a separate process, so its memory and CPU are its own. With
 * BENCH_PROFILE=<dir> the stack writes a V8 CPU profile there when it stops.
 */
export async function spawnStack(env: Record<string, string>): Promise<StackProcess> {
  const started = performance.now();
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'local/cli.ts', 'start', '--quiet'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready in')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output}`)));
  });
  const readyMs = Math.round(performance.now() - started);
  return {
    child,
    readyMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

interface ProcessInfo {
  ppid: number;
  command: string;
  rssKiB: number;
  /** User + system CPU time in clock ticks (100 a second on Linux). */
  cpuTicks: number;
}

/** Every process of the tree rooted at `pid` (Linux /proc). */
function processTree(pid: number): ProcessInfo[] {
  const all = new Map<number, ProcessInfo>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(path.join('/proc', entry, 'stat'), 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(path.join('/proc', entry, 'status'), 'utf8');
      all.set(Number(entry), {
        ppid: Number(fields[1]),
        command,
        rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0),
        cpuTicks: Number(fields[11]) + Number(fields[12]),
      });
    } catch {
      // the process ended while we looked
    }
  }
  const tree: ProcessInfo[] = [];
  const pending = [pid];
  while (pending.length) {
    const next = pending.pop()!;
    const info = all.get(next);
    if (info) tree.push(info);
    for (const [child, childInfo] of all) if (childInfo.ppid === next) pending.push(child);
  }
  return tree;
}

/** Resident memory of a process and all its descendants, in MiB. */
export function treeRssMiB(pid: number): number {
  return Math.round(processTree(pid).reduce((sum, p) => sum + p.rssKiB, 0) / 1024);
}

/** CPU seconds used so far by the stack's Node process and by its Postgres processes. */
export function treeCpuSeconds(pid: number): { node: number; postgres: number } {
  const tree = processTree(pid);
  const seconds = (filter: (p: ProcessInfo) => boolean) => tree.filter(filter).reduce((sum, p) => sum + p.cpuTicks, 0) / 100;
  return { node: seconds((p) => p.command !== 'postgres'), postgres: seconds((p) => p.command === 'postgres') };
}
