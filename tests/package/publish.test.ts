/**
 * The SDK publishes cleanly (issue 13, item 5): `npm publish --dry-run` builds it through `prepack`,
 * exits 0 without a single `npm warn`, and the tarball it would send holds what an app needs (both
 * builds' JavaScript and declarations, the README, the changelog) and nothing else (no tests, tsconfig,
 * build scripts or API report). publint then lints that same tarball.
 *
 * The run works on a copy of sdk/ so its build never replaces sdk/dist/ under another check that is
 * packing it; the copy packs byte for byte the tarball `npm publish -w sdk` gives (same shasum).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sdkDir = path.join(root, 'sdk');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface PackedPackage {
  filename: string;
  shasum: string;
  files: { path: string }[];
}

/** Runs npm in `cwd`, resolving with its exit code and output whatever the code. */
function npm(args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`could not run npm ${args.join(' ')} (is npm on PATH?): ${error.message}`, { cause: error }));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** npm's `--json` answer for one package: pack gives a list, publish an object keyed by name. */
function packedPackage(run: Run, what: string): PackedPackage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(run.stdout);
  } catch (error) {
    throw new Error(`${what} did not answer JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`, { cause: error });
  }
  const one = Array.isArray(parsed) ? parsed[0] : (parsed as Record<string, unknown>);
  return (one && 'files' in one ? one : Object.values(one ?? {})[0]) as PackedPackage;
}

/**
 * Credentials for the configured registry, given on the command line. A dry run sends nothing, but
 * without any credentials npm warns that publishing needs a login: a fact about this machine, not the
 * package. `--offline` keeps npm from asking the registry which versions exist.
 */
async function placeholderCredentials(cwd: string): Promise<string> {
  const scoped = (await npm(['config', 'get', '@marquee:registry'], cwd)).stdout.trim();
  const registry = scoped && scoped !== 'undefined' ? scoped : (await npm(['config', 'get', 'registry'], cwd)).stdout.trim();
  const nerfDart = registry.replace(/^https?:/, '').replace(/\/?$/, '/');
  return `--${nerfDart}:_authToken=dry-run-placeholder`;
}

/** The modules of sdk/src, as paths without extension (`rules/index`, `client`, …). */
function sourceModules(): string[] {
  return readdirSync(path.join(sdkDir, 'src'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
    .map((file) => file.split(path.sep).join('/').replace(/\.ts$/, ''));
}

/** Every file the exports map and main/module/types point an app at, except the repo-only source condition. */
function entryFiles(manifest: Record<string, unknown>): string[] {
  const targets: string[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'string') targets.push(node.replace(/^\.\//, ''));
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) if (key !== '@marquee/source') walk(value);
    }
  };
  walk(manifest.exports);
  walk([manifest.main, manifest.module, manifest.types]);
  return [...new Set(targets)];
}

const ALLOWED = /^(dist\/(esm|cjs)\/|src\/)|^(package\.json|README\.md|CHANGELOG\.md)$/;
const FORBIDDEN: [string, RegExp][] = [
  ['a test', /(^|\/)(tests?|__tests__)\/|\.(test|spec)\.[cm]?[jt]sx?$/],
  ['a tsconfig', /(^|\/)tsconfig[^/]*\.json$/],
  ['a build script', /^scripts\//],
  ['the API report or its config', /^etc\/|(^|\/)api-extractor\.json$/],
  ['node_modules', /(^|\/)node_modules\//],
];

/** What an app needs from the tarball: both builds of every module with declarations, the entry points, README, CHANGELOG. */
function neededFiles(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(sdkDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  return [
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'dist/cjs/package.json',
    ...entryFiles(manifest),
    ...sourceModules().flatMap((module) =>
      ['esm', 'cjs'].flatMap((format) => [`dist/${format}/${module}.js`, `dist/${format}/${module}.d.ts`]),
    ),
  ];
}

/** Each packed path an app has no use for, with the reason. */
function unwantedFiles(paths: string[]): string[] {
  return paths.flatMap((file) => {
    const what = FORBIDDEN.find(([, pattern]) => pattern.test(file))?.[0];
    if (what) return [`${file}: ${what}`];
    return ALLOWED.test(file) ? [] : [`${file}: outside dist/, src/ and the three top-level files`];
  });
}

const warnLines = (run: Run): string[] => run.stderr.split('\n').filter((line) => /^npm warn/i.test(line));

describe('npm publish --dry-run of @marquee/sdk', () => {
  let work: string;
  let publish: Run;
  let published: PackedPackage;
  let tarballShasum: string;
  let tarball: Buffer;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'marquee-publish-'));
    const copy = path.join(work, 'sdk');
    const leftOut = new Set([path.join(sdkDir, 'dist'), path.join(sdkDir, 'node_modules')]);
    cpSync(sdkDir, copy, { recursive: true, filter: (source) => !leftOut.has(source) });
    // The build (typescript) and the declarations' imports resolve from the repository's packages.
    symlinkSync(path.join(root, 'node_modules'), path.join(copy, 'node_modules'), 'dir');

    const credentials = await placeholderCredentials(copy);
    publish = await npm(['publish', '--dry-run', '--json', '--offline', '--foreground-scripts=false', credentials], copy);
    published = packedPackage(publish, 'npm publish --dry-run');

    // The tarball itself, for publint: packed from the dist/ the dry run just built.
    const pack = packedPackage(await npm(['pack', '--json', '--ignore-scripts', '--pack-destination', work], copy), 'npm pack');
    tarballShasum = pack.shasum;
    tarball = readFileSync(path.join(work, pack.filename));
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('exits 0 and prints no npm warn line', () => {
    expect(publish.code, publish.stderr).toBe(0);
    expect(warnLines(publish)).toEqual([]);
  });

  it('control: the same dry run without credentials prints the warn line the check looks for', async () => {
    // An empty user config: no login this machine may have. --ignore-scripts: the first run's dist/ is there.
    const emptyConfig = path.join(work, 'empty-npmrc');
    writeFileSync(emptyConfig, '');
    const bare = await npm(['publish', '--dry-run', '--offline', '--ignore-scripts', `--userconfig=${emptyConfig}`], path.join(work, 'sdk'));
    expect(bare.code, bare.stderr).toBe(0);
    expect(warnLines(bare)).toEqual([expect.stringMatching(/^npm warn (publish )?This command requires you to be logged in/)]);
  }, 60_000);

  it('packs what an app needs: both builds of every module with declarations, the entry points, README and CHANGELOG', () => {
    const packed = new Set(published.files.map((file) => file.path));
    const needed = neededFiles();
    expect(needed.length).toBeGreaterThan(100);
    expect(needed.filter((file) => !packed.has(file)), 'missing from the tarball').toEqual([]);
  });

  it('packs nothing an app does not need', () => {
    expect(unwantedFiles(published.files.map((file) => file.path))).toEqual([]);
  });

  it('control: the file checks flag what they should', () => {
    const strays = ['tests/sdk/client.test.ts', 'src/x.test.ts', 'tsconfig.build.json', 'scripts/build.mjs', 'etc/marquee-sdk.api.md', 'api-extractor.json', 'docs/x.md'];
    expect(unwantedFiles(strays)).toHaveLength(strays.length);
    expect(unwantedFiles(['dist/esm/index.js', 'src/index.ts', 'README.md'])).toEqual([]);
    expect(neededFiles()).toEqual(expect.arrayContaining(['dist/esm/index.d.ts', 'dist/cjs/rules/index.js', 'dist/esm/database.types.js']));
  });

  it('publint finds no error or warning in the packed tarball', async () => {
    expect(tarballShasum, 'npm pack gave another tarball than the dry run').toBe(published.shasum);
    const { messages, pkg } = await publint({ pack: { tarball: new Uint8Array(tarball).buffer }, level: 'warning' });
    expect(messages.map((message) => `${message.type}: ${formatMessage(message, pkg, { color: false }) ?? message.code}`)).toEqual([]);
  });
});
