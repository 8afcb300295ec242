/**
 * The consumer checks' scaffolding: pack @marquee/sdk as npm would publish it, install the tarball
 * with its peers into a temporary app made from tests/package/app/, run commands there, and find a
 * Chromium for the browser check.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
const APP_SOURCE = fileURLToPath(new URL('./app', import.meta.url));
const run = promisify(execFile);

export interface Output {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; a non-zero exit rejects with its output in the error. */
export function exec(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeout?: number }): Promise<Output> {
  return run(command, args, { ...options, env: options.env ?? process.env, maxBuffer: 16 * 1024 * 1024, timeout: options.timeout ?? 120_000 });
}

/** `npm pack`s the SDK workspace (its prepack script builds dist/) into `dir`; returns the tarball's path. */
export async function packSdk(dir: string): Promise<string> {
  const { stdout } = await exec('npm', ['pack', '--workspace', 'sdk', '--pack-destination', dir, '--json'], { cwd: REPO, timeout: 180_000 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
  return path.join(dir, packed!.filename);
}

/**
 * Makes the consumer app in `dir`: the files of tests/package/app/ and an `npm install` of the
 * tarball with the peers it asks for (at the ranges the SDK declares), `ws` and the Node types.
 */
export async function installApp(dir: string, tarball: string): Promise<void> {
  await cp(APP_SOURCE, dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'marquee-consumer', private: true, type: 'module' }, null, 2));
  const sdk = JSON.parse(await readFile(path.join(REPO, 'sdk/package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
  const root = JSON.parse(await readFile(path.join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const wanted = {
    ...sdk.peerDependencies,
    ws: root.dependencies.ws!,
    '@types/ws': root.devDependencies['@types/ws']!,
    '@types/node': root.devDependencies['@types/node']!,
  };
  const specs = Object.entries(wanted).map(([name, range]) => `${name}@${range}`);
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...specs], { cwd: dir, timeout: 300_000 });
}

const MAC_BROWSERS = ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];

/** Chromium for the browser check: MARQUEE_CHROMIUM, else the first browser of that family on PATH or in macOS's Applications. */
export function findChromium(): string | undefined {
  if (process.env.MARQUEE_CHROMIUM) return process.env.MARQUEE_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
    if (found.status === 0 && found.stdout.trim()) return found.stdout.trim();
  }
  return MAC_BROWSERS.find((candidate) => existsSync(candidate));
}

export const CHROMIUM_MISSING =
  'Chromium not found: the SDK browser check needs it. On Debian: sudo apt-get install chromium ' +
  '(.ci/run does this); elsewhere install Chromium or Google Chrome, or set MARQUEE_CHROMIUM to its executable.';

/** A running app whose stdout is read as JSON lines, for checks that talk to it while it runs. */
export interface RunningApp {
  /** Resolves with the first JSON line that has `key`; rejects if the app exits first. */
  line(key: string): Promise<Record<string, unknown>>;
  stop(): void;
}

export function startApp(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): RunningApp {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: Array<Record<string, unknown>> = [];
  const waiting = new Set<() => void>();
  let stderr = '';
  let exit: string | undefined;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (text) => {
    if (!text.startsWith('{')) return;
    seen.push(JSON.parse(text) as Record<string, unknown>);
    for (const wake of waiting) wake();
  });
  child.once('exit', (code, signal) => {
    exit = `exited (${code ?? signal}) before printing it; stderr:\n${stderr}`;
    for (const wake of waiting) wake();
  });
  return {
    line: (key) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = seen.find((entry) => key in entry);
          if (found) resolve(found);
          else if (exit) reject(new Error(`${command} ${args.join(' ')}: no "${key}": ${exit}`));
          else return;
          waiting.delete(check);
        };
        waiting.add(check);
        check();
      }),
    stop: () => void child.kill(),
  };
}
