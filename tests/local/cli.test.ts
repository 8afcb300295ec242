import { execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/config/index.ts';
import { DEFAULT_ANON_KEY } from '../../local/config/keys.ts';
import { findFreePort } from '../../local/shared/ports.ts';
import { stackEnv } from '../helpers/env.ts';
import { isAlive } from '../helpers/processes.ts';

/**
 * `npm start`'s entry point as a user runs it: it prints the status, serves, and on Ctrl-C stops
 * Postgres and every Deno worker with it. Runs its own stack beside the suite's.
 */
const runsLocally = stackEnv().local;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'marquee-cli-'));
  await chmod(root, 0o755);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Every process below `pid` (ps works on Linux and macOS alike). */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid='])
    .toString()
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const pending = [pid];
  while (pending.length) {
    const parent = pending.pop()!;
    for (const [child, ppid] of rows) {
      if (ppid !== parent) continue;
      found.push(child);
      pending.push(child);
    }
  }
  return found;
}

describe.runIf(runsLocally)('npm start', () => {
  // A second whole stack runs beside the suite's: a port found free can be taken by another
  // file's worker before this stack binds it, so one retry is allowed.
  it('prints the status, serves, and stops everything on SIGINT', { timeout: 120_000, retry: 1 }, async () => {
    const [api, db, mail, smtp] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
    const child = spawn(process.execPath, ['--import', 'tsx', 'local/cli.ts', 'start', '--quiet'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        MARQUEE_DATA_DIR: path.join(root, 'data'),
        MARQUEE_API_PORT: String(api),
        MARQUEE_DB_PORT: String(db),
        MARQUEE_MAIL_PORT: String(mail),
        MARQUEE_SMTP_PORT: String(smtp),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('service_role key:')) resolve();
      });
      void exited.then(() => reject(new Error(`start exited early:\n${output}`)));
    });

    for (const line of ['API URL: http://127.0.0.1:' + api, `DB URL: postgresql://postgres:postgres@127.0.0.1:${db}/postgres`, `anon key: ${DEFAULT_ANON_KEY}`]) {
      expect(output).toContain(line);
    }
    const hello = await fetch(`http://127.0.0.1:${api}/functions/v1/hello`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEFAULT_ANON_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'cli' }),
    });
    const answer = await hello.text();
    expect(answer, `hello answered ${hello.status}; stack output:\n${output}`).toBe(JSON.stringify({ message: 'Hello cli!' }));

    const processes = descendants(child.pid!);
    expect(processes.length).toBeGreaterThan(2); // postgres and its workers, the deno worker
    child.kill('SIGINT');
    const code = await exited;
    expect(code, `npm start exited with ${code}:\n${output}`).toBe(0);
    await expect.poll(() => processes.filter(isAlive), { timeout: 10_000 }).toEqual([]);
  });
});
