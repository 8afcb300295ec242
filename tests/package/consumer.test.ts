/**
 * Consumer checks (issue 13, item 2): the SDK as an app developer gets it. `npm pack` makes the
 * tarball npm would publish; a temporary app installs it with its peers, and then each runtime imports
 * the built package (never the repository's source), signs up, signs in and reads real rows from the
 * suite's running stack: plain Node ESM and CommonJS, a strict TypeScript app, a Vite bundle in headless
 * Chromium, and Deno through an `npm:` import.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type pg from 'pg';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ws from 'ws';
import { bundleSize, PEERS } from '../../bench/sdk-bundle.ts';
import { denoBinaryPath } from '../../local/functions/deno-binary.ts';
import { createMarquee } from '../../sdk/src/index.ts';
import { connectAsPostgres } from '../helpers/db.ts';
import { stackEnv } from '../helpers/env.ts';
import { CHROMIUM_MISSING, exec, findChromium, installApp, packSdk, REPO, startApp } from './consumer-app.ts';

let work: string;
let app: string;
/** A word only the post this file publishes carries: each app must find that post. */
const search = `consumer${Math.random().toString(36).slice(2, 10)}`;
const title = `Consumer check ${search}`;

const appEnv = () => ({ ...process.env, MARQUEE_URL: stackEnv().url, MARQUEE_KEY: stackEnv().anonKey, MARQUEE_SEARCH: search });
const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').filter((line) => line.startsWith('{')).at(-1)!) as Record<string, unknown>;

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'marquee-consumer-'));
  app = path.join(work, 'app');
  const [tarball] = await Promise.all([packSdk(work), publishPost()]);
  await installApp(app, tarball);
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

async function publishPost(): Promise<void> {
  const author = createMarquee({ url: stackEnv().url, key: stackEnv().anonKey, webSocket: ws, options: { auth: { persistSession: false } } });
  const username = `author_${search.slice(-8)}`;
  await author.auth.register({ username, email: `${username}@example.com`, password: 'Consumer-app-1!' });
  await author.auth.signIn({ username, password: 'Consumer-app-1!' });
  await author.posts.create({ post_title: title });
}

/** What every app must have read: its own profile, and the post published above. */
function expectJourney(result: Record<string, unknown>) {
  expect(result.me).toBe(result.username);
  expect(result.titles).toEqual([title]);
}

describe('the packed @marquee/sdk in a fresh app', () => {
  it('installs the built package, not the source: dist/cjs for require, dist/esm for import', async () => {
    const required = await exec('node', ['-p', "require.resolve('@marquee/sdk')"], { cwd: app });
    const imported = await exec('node', ['--input-type=module', '-e', "console.log(import.meta.resolve('@marquee/sdk'))"], { cwd: app });
    expect(required.stdout.trim()).toBe(path.join(app, 'node_modules/@marquee/sdk/dist/cjs/index.js'));
    expect(imported.stdout.trim()).toBe(pathToFileURL(path.join(app, 'node_modules/@marquee/sdk/dist/esm/index.js')).href);
  });

  it('bundles for the browser with no Node built-in: only the peers stay outside', async () => {
    const { externals } = await bundleSize("export * from '@marquee/sdk';", app);
    expect(externals).toEqual(PEERS);
    // The control: a Node built-in does not resolve on the browser platform.
    await expect(bundleSize("export * from 'node:fs';", app)).rejects.toThrow(/node:fs/);
  });

  it('plain Node ESM: signs in, reads, and gets a live notification over the ws it passed', async () => {
    const running = startApp('node', ['esm.mjs'], { cwd: app, env: appEnv() });
    try {
      const result = await running.line('me');
      expectJourney(result);
      await running.line('subscribed');
      const db: pg.Client = await connectAsPostgres();
      try {
        const { rows } = await db.query<{ id: string }>('select id from public.profiles where username = $1', [result.username]);
        await db.query(`select private.notify($1, 'general', $2, 'profile')`, [rows[0]!.id, `hello ${search}`]);
      } finally {
        await db.end();
      }
      expect(await running.line('notification')).toEqual({ notification: `hello ${search}` });
    } finally {
      running.stop();
    }
  }, 60_000);

  it('plain Node CommonJS: signs in and reads; without a WebSocket, Realtime says to pass ws', async () => {
    const { stdout } = await exec('node', ['--no-experimental-websocket', 'cjs.cjs'], { cwd: app, env: appEnv() });
    const result = lastJson(stdout);
    expectJourney(result);
    expect(result.realtime).toMatchObject({ isMarqueeError: true, code: 'websocket_unavailable' });
    expect((result.realtime as { message: string }).message).toContain("import WebSocket from 'ws'");
  }, 60_000);

  it('strict TypeScript: the app type-checks and runs; one that misuses the SDK does not compile', async () => {
    const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
    await exec('node', [tsc, '-p', 'tsconfig.json'], { cwd: app });
    const { stdout } = await exec('node', ['build/app.js'], { cwd: app, env: appEnv() });
    const result = lastJson(stdout);
    expectJourney(result);
    expect(result).toMatchObject({ signedIn: true, missing: 404 });

    const broken = await exec('node', [tsc, '--noEmit', '--strict', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', 'broken.ts'], { cwd: app }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(broken).toMatch(/broken\.ts\(5,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
    expect(broken).toMatch(/broken\.ts\(6,\d+\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'ProfileLookup'/);
  }, 120_000);

  it('a Vite bundle in headless Chromium: signs in, reads and subscribes over the browser WebSocket', async () => {
    const executablePath = findChromium();
    if (!executablePath) throw new Error(CHROMIUM_MISSING);
    const root = path.join(app, 'browser');
    const outDir = path.join(app, 'browser-dist');
    await build({ root, logLevel: 'warn', configFile: false, build: { outDir, emptyOutDir: true } });
    const server = await preview({ root, logLevel: 'warn', configFile: false, build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--headless=new'] });
    try {
      const page = await browser.newPage();
      const query = new URLSearchParams({ url: stackEnv().url, key: stackEnv().anonKey, search });
      await page.goto(`${server.resolvedUrls!.local[0]}?${query}`);
      // A string: it runs in the page, whose DOM types this Node project does not load.
      const handle = await page.waitForFunction('document.body.dataset.result', undefined, { timeout: 30_000 });
      const result = JSON.parse((await handle.jsonValue()) as string) as Record<string, unknown>;
      expect(result.error).toBeUndefined();
      expectJourney(result);
      expect(result).toMatchObject({ subscribed: true, userAgent: expect.stringContaining('Chrome') });
    } finally {
      await browser.close();
      await server.close();
    }
  }, 120_000);

  it('Deno with an npm: import: signs in, reads and subscribes', async () => {
    const env = { ...appEnv(), DENO_DIR: path.join(work, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1' };
    const { stdout } = await exec(denoBinaryPath(), ['run', '--allow-env', '--allow-net', '--allow-read', 'deno.ts'], { cwd: app, env });
    const result = lastJson(stdout);
    expectJourney(result);
    expect(result.subscribed).toBe(true);
  }, 120_000);
});
