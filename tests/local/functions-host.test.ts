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

/**
 * The edge functions host in-process (`app.request()`), over a temporary functions folder: real
 * Deno workers, error handling, restarts, env injection and verify_jwt. Needs no running stack.
 */

const FUNCTIONS: Record<string, string> = {
  // Echoes what the function sees; `/throw` throws, `/exit` kills the worker mid-request.
  'echo/index.ts': `
    Deno.serve(async (req) => {
      const url = new URL(req.url);
      if (url.pathname.endsWith('/throw')) throw new Error('boom');
      if (url.pathname.endsWith('/exit')) Deno.exit(3);
      return Response.json({
        path: url.pathname, search: url.search, method: req.method,
        body: await req.text(), header: req.headers.get('x-marquee-test'), pid: Deno.pid,
      });
    });`,
  // Uses Deno.serve's options form with onError, as the edge runtime honours it.
  'handled/index.ts': `
    Deno.serve({ onError: (error) => Response.json({ handled: String(error) }, { status: 418 }) }, () => {
      throw new Error('nope');
    });`,
  // Streams 'first;', then 'second' only once /stream/release is called: the first chunk reaching the
  // client before the release proves the body streams. POST counts the bytes of a request body.
  'stream/index.ts': `
    let release = () => {};
    const released = new Promise((resolve) => (release = resolve));
    Deno.serve(async (req) => {
      if (new URL(req.url).pathname.endsWith('/release')) {
        release();
        return new Response('released');
      }
      if (req.method === 'POST') {
        let bytes = 0;
        for await (const chunk of req.body!) bytes += chunk.length;
        return Response.json({ bytes });
      }
      const body = new ReadableStream({
        async start(controller) {
          controller.enqueue(new TextEncoder().encode('first;'));
          await released;
          controller.enqueue(new TextEncoder().encode('second'));
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/plain' } });
    });`,
  'env/index.ts': `Deno.serve(() => Response.json(Deno.env.toObject()));`,
  'broken/index.ts': `throw new Error('fails at import');`,
  'secured/index.ts': `Deno.serve(() => new Response('secret'));`,
  '_shared/util.ts': `export const x = 1;`,
  '.hidden/index.ts': `Deno.serve(() => new Response('hidden'));`,
  'npm-zod/index.ts': `
    import { z } from 'npm:zod@4';
    Deno.serve(() => Response.json({ ok: z.string().safeParse('x').success }));`,
};

// Parsed by the dotenv package, with the forms the CLI's parser also reads (`export`, `KEY: value`).
const DOTENV = [
  '# functions/.env',
  'GREETING="hello there"',
  "SINGLE='a b # c'",
  'PLAIN=value # comment',
  'export EXPORTED=yes',
  'COLON_STYLE: colon value',
  'MULTI_LINE="one\ntwo"',
  'SUPABASE_URL=http://evil.test',
  '',
].join('\n');

let root: string;
let service: FunctionsService;
let ctx: ServiceContext;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'marquee-functions-'));
  for (const [file, source] of Object.entries(FUNCTIONS)) {
    await mkdir(path.dirname(path.join(root, file)), { recursive: true });
    await writeFile(path.join(root, file), source);
  }
  await writeFile(path.join(root, '.env'), DOTENV);
  const config = loadConfig({ ports: { api: 59431, db: 59432, mailHttp: 59424, mailSmtp: 59425 }, quiet: true });
  const mailer: Mailer = { send: async () => {}, close: () => {} };
  ctx = { config, jwt: await createJwtKeys(config), log: silentLogger(), mailer };
  const open = { verify_jwt: false };
  service = await createFunctionsService(ctx, {
    functionsDir: root,
    functions: { echo: open, stream: open, handled: open, env: open, broken: open, 'npm-zod': open, 'no-entry': { ...open, entrypoint: '../nowhere/index.ts' } },
    bootTimeoutMs: 60_000,
  });
});

afterAll(async () => {
  await service?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** The functions' own console output and the host's warnings would flood the test report. */
function silentLogger(): Logger {
  const log: Logger = { info() {}, warn() {}, error() {}, child: () => log };
  return log;
}

const call = (pathname: string, init?: RequestInit) => service.app.request(pathname, init);

describe('functions host', { timeout: 90_000 }, () => {
  it('runs a function in Deno and passes method, path, query, headers and body', async () => {
    const response = await call('/echo/a/b?x=1', { method: 'PUT', body: 'payload', headers: { 'x-marquee-test': 'yes' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ path: '/echo/a/b', search: '?x=1', method: 'PUT', body: 'payload', header: 'yes' });
  });

  it('streams response and request bodies', async () => {
    const response = await call('/stream');
    const reader = response.body!.getReader();
    const first = await reader.read();
    // The function has not been released yet, so this chunk came while the response was open.
    expect(new TextDecoder().decode(first.value)).toBe('first;');
    expect(await (await call('/stream/release')).text()).toBe('released');
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value);
    expect(rest).toBe('second');

    const big = new Uint8Array(8 * 1024 * 1024).fill(97);
    const upload = await call('/stream', { method: 'POST', body: big });
    expect(await upload.json()).toEqual({ bytes: big.length });
  });

  it('strips the mount prefix when mounted under /functions/v1', async () => {
    const { Hono } = await import('hono');
    const gateway = new Hono().route('/functions/v1', service.app);
    const response = await gateway.request('/functions/v1/echo/deep/path');
    expect((await response.json()) as { path: string }).toMatchObject({ path: '/echo/deep/path' });
  });

  it('answers 500 when the handler throws, and keeps serving', async () => {
    const before = (await (await call('/echo')).json()) as { pid: number };
    const thrown = await call('/echo/throw');
    expect(thrown.status).toBe(500);
    expect(await thrown.text()).toBe('Internal Server Error');
    const after = await call('/echo/again');
    expect(after.status).toBe(200);
    expect(((await after.json()) as { pid: number }).pid).toBe(before.pid);
  });

  it("uses the function's own onError when it gives one", async () => {
    const response = await call('/handled');
    expect(response.status).toBe(418);
    expect(await response.json()).toEqual({ handled: 'Error: nope' });
  });

  it('restarts a worker that died mid-request', async () => {
    const first = (await (await call('/echo')).json()) as { pid: number };
    const crashed = await call('/echo/exit');
    expect(crashed.status).toBe(500);
    expect(await crashed.json()).toEqual({ code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' });
    const next = await call('/echo');
    expect(next.status).toBe(200);
    expect(((await next.json()) as { pid: number }).pid).not.toBe(first.pid);
  });

  it('restarts a worker killed from outside', async () => {
    const { pid } = (await (await call('/echo')).json()) as { pid: number };
    const exited = new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (!service.worker('echo')?.running) {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    process.kill(pid, 'SIGKILL');
    await exited;
    const response = await call('/echo');
    expect(response.status).toBe(200);
    expect(((await response.json()) as { pid: number }).pid).not.toBe(pid);
  });

  it('injects the project env, functions/.env, and SMTP settings', async () => {
    const env = (await (await call('/env')).json()) as Record<string, string>;
    const { config } = ctx;
    expect(env).toMatchObject({
      SUPABASE_URL: `http://${config.host}:${config.ports.api}`,
      SUPABASE_ANON_KEY: config.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
      SUPABASE_DB_URL: `postgresql://postgres:${encodeURIComponent(config.dbPassword)}@${config.host}:${config.ports.db}/postgres`,
      MARQUEE_SMTP_HOST: config.host,
      MARQUEE_SMTP_PORT: String(config.ports.mailSmtp),
      GREETING: 'hello there',
      SINGLE: 'a b # c',
      PLAIN: 'value',
      EXPORTED: 'yes',
      COLON_STYLE: 'colon value',
      MULTI_LINE: 'one\ntwo',
    });
    // SUPABASE_ names are reserved: .env cannot override them
    expect(env.SUPABASE_URL).not.toBe('http://evil.test');
    // the host's own secrets do not leak in
    expect(env.JWT_SECRET).toBeUndefined();
    expect(env.SUPABASE_JWT_SECRET).toBeUndefined();
  });

  it('resolves npm: imports', async () => {
    const response = await call('/npm-zod');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('answers 503 BOOT_ERROR when the module fails to load', async () => {
    const broken = await call('/broken');
    expect(broken.status).toBe(503);
    expect(await broken.json()).toEqual({ code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
    expect((await call('/no-entry')).status).toBe(503);
  });

  it('answers 404 "Function not found" for unknown names, _shared and dot folders', async () => {
    for (const name of ['missing', '_shared', '.hidden']) {
      const response = await call(`/${name}`);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Function not found');
    }
  });

  describe('verify_jwt', () => {
    it('rejects a missing header, a non-Bearer header and an invalid token like the edge runtime', async () => {
      const missing = await call('/secured');
      expect(missing.status).toBe(401);
      expect(await missing.json()).toEqual({ msg: 'Error: Missing authorization header' });

      const basic = await call('/secured', { headers: { authorization: 'Basic abc' } });
      expect(await basic.json()).toEqual({ msg: "Error: Auth header is not 'Bearer {token}'" });

      const invalid = await call('/secured', { headers: { authorization: 'Bearer abc.def.ghi' } });
      expect(invalid.status).toBe(401);
      expect(await invalid.json()).toEqual({ msg: 'Invalid JWT' });

      const expired = await ctx.jwt.sign({ role: 'anon', exp: Math.floor(Date.now() / 1000) - 60 });
      expect((await call('/secured', { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
    });

    it('lets a valid JWT and a CORS preflight through', async () => {
      const ok = await call('/secured', { headers: { authorization: `Bearer ${ctx.config.anonKey}` } });
      expect(ok.status).toBe(200);
      expect(await ok.text()).toBe('secret');
      const user = await ctx.jwt.sign({ role: 'authenticated', sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60 });
      expect((await call('/secured', { headers: { authorization: `Bearer ${user}` } })).status).toBe(200);
      expect((await call('/secured', { method: 'OPTIONS' })).status).toBe(200);
    });
  });

  it('close() stops every worker process', async () => {
    const { pid } = (await (await call('/echo')).json()) as { pid: number };
    await service.close();
    expect(() => process.kill(pid, 0)).toThrow();
    const after = await call('/echo');
    expect(after.status).toBe(503);
  });
});
