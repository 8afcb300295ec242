import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../local/config/index.ts';
import { createFunctionsService, type FunctionsService } from '../../local/functions/index.ts';
import type { ServiceContext } from '../../local/shared/context.ts';
import { createJwtKeys } from '../../local/shared/jwt.ts';
import type { Logger } from '../../local/shared/logger.ts';
import type { Mailer } from '../../local/shared/mailer.ts';
import { isAlive } from '../helpers/processes.ts';
import { waitFor } from '../helpers/wait-for.ts';

/**
 * Hot reload of the edge functions host, in-process over a temporary functions folder with real Deno
 * workers: edits restart the affected workers, requests already in flight finish on the old code,
 * and nothing outlives close(). Waits poll for the new answer (bounded) rather than sleeping.
 */

/** A function answering its version and pid; `/hold` waits for the gate to open, `/held` counts those waiting. */
const versioned = (version: string) => `
  import { greeting } from '../_shared/greeting.ts';
  const GATE = Deno.env.get('GATE_URL')!;
  let held = 0;
  async function gate() {
    for (;;) {
      const open = await fetch(GATE).then((r) => r.text()).catch(() => '');
      if (open === 'open') return;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  Deno.serve(async (req) => {
    const url = new URL(req.url);
    if (url.pathname.endsWith('/held')) return Response.json({ held });
    if (url.pathname.endsWith('/hold')) {
      held++;
      await gate();
      return Response.json({ version: '${version}', greeting, pid: Deno.pid });
    }
    if (url.pathname.endsWith('/stream')) {
      const encoder = new TextEncoder();
      const body = new ReadableStream({
        async start(controller) {
          controller.enqueue(encoder.encode('${version}:start;'));
          await gate();
          controller.enqueue(encoder.encode('${version}:end'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'x-pid': String(Deno.pid) } });
    }
    return Response.json({ version: '${version}', greeting, pid: Deno.pid });
  });`;

const standalone = (version: string) => `Deno.serve(() => Response.json({ version: '${version}', pid: Deno.pid }));`;

interface Answer {
  version: string;
  greeting?: string;
  pid: number;
}

let root: string;
let functionsDir: string;
/** The gate: a loopback endpoint (workers read no files outside their folder) answering `open` once opened. */
let gateServer: Server;
let gateOpen = false;
const gateEnv = () => ({ GATE_URL: `http://127.0.0.1:${(gateServer.address() as AddressInfo).port}/` });
let service: FunctionsService;
let ctx: ServiceContext;
const reloads: Record<string, unknown>[] = [];
/** Every worker pid any response reported, old and new. */
const seenPids = new Set<number>();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'marquee-hot-reload-'));
  functionsDir = path.join(root, 'functions');
  gateServer = createServer((_, res) => res.end(gateOpen ? 'open' : 'shut'));
  await new Promise<void>((resolve) => gateServer.listen(0, '127.0.0.1', resolve));
  const files: Record<string, string> = {
    '_shared/greeting.ts': `export const greeting = 'hello';`,
    'alpha/index.ts': versioned('alpha-1'),
    'beta/index.ts': versioned('beta-1'),
    'solo/index.ts': standalone('solo-1'),
    'slow/index.ts': versioned('slow-1'),
  };
  for (const [file, source] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(functionsDir, file)), { recursive: true });
    await writeFile(path.join(functionsDir, file), source);
  }
  const config = loadConfig({ ports: { api: 59531, db: 59532, mailHttp: 59524, mailSmtp: 59525 }, quiet: true });
  const mailer: Mailer = { send: async () => {}, close: () => {} };
  ctx = { config, jwt: await createJwtKeys(config), log: capturingLogger(), mailer };
  const open = { verify_jwt: false };
  service = await createFunctionsService(ctx, {
    functionsDir,
    functions: { alpha: open, beta: open, solo: open, slow: open },
    env: gateEnv(),
    bootTimeoutMs: 60_000,
    reloadDebounceMs: 100,
  });
});

afterAll(async () => {
  await service?.close();
  gateServer?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Keeps the host's reload lines (the functions' own output would flood the report). */
function capturingLogger(): Logger {
  const log: Logger = {
    info(message, fields) {
      if (message === 'functions reloaded') reloads.push({ msg: message, ...fields });
    },
    warn() {},
    error() {},
    child: () => log,
  };
  return log;
}

async function get(name: string): Promise<Answer> {
  const response = await service.app.request(`/${name}`);
  expect(response.status).toBe(200);
  const answer = (await response.json()) as Answer;
  seenPids.add(answer.pid);
  return answer;
}

/** Polls the function until `done(answer)` holds, for at most `timeoutMs`. */
async function until(name: string, done: (answer: Answer) => boolean, timeoutMs = 30_000): Promise<Answer> {
  return waitFor(
    async () => {
      const answer = await get(name);
      if (!done(answer)) throw new Error(`${name} answers ${JSON.stringify(answer)}`);
      return answer;
    },
    { timeoutMs, what: `${name} to answer as expected` },
  );
}

const write = (file: string, source: string) => writeFileSync(path.join(functionsDir, file), source);

/**
 * A sentinel for "no reload happened": a second, live functions service on `dir` with `name`'s worker
 * running. Once it has reloaded `name` after a write, a live watcher has seen that write and its
 * debounce has passed, so the service under test would have reloaded by then too.
 */
async function liveSentinel(dir: string, name: string) {
  let reloaded = 0;
  const log: Logger = {
    info(message, fields) {
      if (message === 'functions reloaded' && (fields?.functions as string[] | undefined)?.includes(name)) reloaded++;
    },
    warn() {},
    error() {},
    child: () => log,
  };
  const sentinel = await createFunctionsService(
    { ...ctx, log },
    { functionsDir: dir, functions: { [name]: { verify_jwt: false } }, env: gateEnv(), bootTimeoutMs: 60_000, reloadDebounceMs: 100 },
  );
  expect((await sentinel.app.request(`/${name}`)).status).toBe(200);
  return {
    reloaded: () => waitFor(() => reloaded > 0, { timeoutMs: 30_000, what: `the sentinel service to reload ${name}` }),
    close: () => sentinel.close(),
  };
}
describe('functions hot reload', { timeout: 90_000 }, () => {
  it("restarts only the edited function's worker, once per burst of writes", async () => {
    const alpha = await get('alpha');
    const beta = await get('beta');
    expect(alpha.version).toBe('alpha-1');
    const reloadsBefore = reloads.length;

    // an editor saving several times in a row
    for (let i = 0; i < 4; i++) write('alpha/index.ts', versioned('alpha-2') + `\n// save ${i}`);
    const reloaded = await until('alpha', (answer) => answer.version === 'alpha-2');
    expect(reloaded.pid).not.toBe(alpha.pid);

    // beta was not touched: same process, same code
    expect(await get('beta')).toEqual(beta);
    expect(reloads.slice(reloadsBefore)).toEqual([{ msg: 'functions reloaded', functions: ['alpha'], changed: ['alpha/index.ts'] }]);
    // the replaced worker had nothing in flight, so it is gone
    await expect.poll(() => isAlive(alpha.pid), { timeout: 10_000 }).toBe(false);
  });

  it('restarts every running worker when a _shared module changes', async () => {
    const before = { alpha: await get('alpha'), beta: await get('beta'), solo: await get('solo') };
    expect(before.alpha.greeting).toBe('hello');
    expect(before.beta.greeting).toBe('hello');

    write('_shared/greeting.ts', `export const greeting = 'bonjour';`);
    const alpha = await until('alpha', (answer) => answer.greeting === 'bonjour');
    const beta = await until('beta', (answer) => answer.greeting === 'bonjour');
    expect(alpha.pid).not.toBe(before.alpha.pid);
    expect(beta.pid).not.toBe(before.beta.pid);
    // every running worker restarts, even one that does not import the module
    await until('solo', (answer) => answer.pid !== before.solo.pid);
    expect(reloads.at(-1)).toMatchObject({ functions: expect.arrayContaining(['alpha', 'beta', 'solo']), changed: ['_shared/greeting.ts'] });
  });

  it('lets requests in flight before an edit finish on the old code, while new ones get the new code', async () => {
    const first = await get('slow');
    // a response already streaming from the old worker…
    const streaming = await service.app.request('/slow/stream');
    expect(streaming.status).toBe(200);
    const oldPid = Number(streaming.headers.get('x-pid'));
    const reader = streaming.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('slow-1:start;');
    // …and a request the old worker's handler is still working on (no headers yet)
    const holding = service.app.request('/slow/hold');
    await expect.poll(async () => ((await (await service.app.request('/slow/held')).json()) as { held: number }).held, { timeout: 10_000 }).toBe(1);
    expect(oldPid).toBe(first.pid);

    write('slow/index.ts', versioned('slow-2'));
    const fresh = await until('slow', (answer) => answer.version === 'slow-2');
    expect(fresh.pid).not.toBe(oldPid);

    // the old worker is still there, finishing its two requests
    expect(isAlive(oldPid)).toBe(true);
    expect(service.drainingWorkers('slow').map((worker) => worker.pid)).toEqual([oldPid]);

    gateOpen = true;
    expect(await (await holding).json()).toMatchObject({ version: 'slow-1', pid: oldPid });
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('slow-1:end');

    // with its last response over, the old worker stops
    await expect.poll(() => isAlive(oldPid), { timeout: 10_000 }).toBe(false);
    expect(service.drainingWorkers('slow')).toEqual([]);
    expect((await get('slow')).pid).toBe(fresh.pid);
  });

  it('serves a function folder created while running without any reload', async () => {
    const reloadsBefore = reloads.length;
    await mkdir(path.join(functionsDir, 'newcomer'));
    write('newcomer/index.ts', standalone('newcomer-1'));
    // verify_jwt defaults on for a discovered folder
    const response = await service.app.request('/newcomer', { headers: { authorization: `Bearer ${ctx.config.anonKey}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as Answer).version).toBe('newcomer-1');
    // Sentinel: an edit of alpha, whose worker runs, is reloaded; the newcomer must not be with it.
    write('alpha/index.ts', versioned('alpha-after-newcomer'));
    await waitFor(() => reloads.length > reloadsBefore, { timeoutMs: 30_000, what: "alpha's reload" });
    expect(reloads.slice(reloadsBefore).map((r) => r.functions)).toEqual([['alpha']]);
  });

  it('close() stops the watcher and leaves no deno process behind', async () => {
    for (const name of ['alpha', 'beta', 'solo', 'slow']) await get(name);
    const current = ['alpha', 'beta', 'solo', 'slow'].map((name) => service.worker(name)!.pid!);
    expect(current.every(isAlive)).toBe(true);
    const reloadsBefore = reloads.length;

    await service.close();
    for (const pid of [...seenPids, ...current]) expect(isAlive(pid), `deno worker ${pid} still running`).toBe(false);

    const sentinel = await liveSentinel(functionsDir, 'alpha');
    try {
      write('alpha/index.ts', versioned('alpha-3'));
      await sentinel.reloaded();
    } finally {
      await sentinel.close();
    }
    expect(reloads.length).toBe(reloadsBefore);
    expect((await service.app.request('/alpha')).status).toBe(503);
  });
});

describe('functions hot reload turned off', { timeout: 90_000 }, () => {
  it('keeps the running worker when hotReload is false', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'marquee-no-reload-'));
    const off = await createFunctionsService(ctx, {
      functionsDir: dir,
      functions: { fixed: { verify_jwt: false } },
      hotReload: false,
      reloadDebounceMs: 50,
    });
    try {
      await mkdir(path.join(dir, 'fixed'));
      writeFileSync(path.join(dir, 'fixed', 'index.ts'), standalone('fixed-1'));
      const before = (await (await off.app.request('/fixed')).json()) as Answer;
      const sentinel = await liveSentinel(dir, 'fixed');
      try {
        writeFileSync(path.join(dir, 'fixed', 'index.ts'), standalone('fixed-2'));
        await sentinel.reloaded();
      } finally {
        await sentinel.close();
      }
      expect(await (await off.app.request('/fixed')).json()).toEqual(before);
    } finally {
      await off.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
