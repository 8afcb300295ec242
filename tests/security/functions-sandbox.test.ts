import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type LocalConfig } from '../../local/config/index.ts';
import { createFunctionsService, type FunctionsService } from '../../local/functions/index.ts';
import { createJwtKeys } from '../../local/shared/jwt.ts';
import type { Logger } from '../../local/shared/logger.ts';
import { findFreePort } from '../../local/shared/ports.ts';

/**
 * A function is untrusted code as far as the host is concerned: its Deno worker may read its own
 * code and Deno's cache, and nothing else — not the Postgres data directory, not the project.
 */

// Reads the file named by `?path=` and says whether it could, and why not.
const PEEK = `
  Deno.serve(async (req) => {
    const file = new URL(req.url).searchParams.get('path') ?? '';
    try {
      return Response.json({ read: (await Deno.readTextFile(file)).length >= 0 });
    } catch (error) {
      return Response.json({ read: false, error: error instanceof Error ? error.name : String(error) });
    }
  });`;

let root: string;
let config: LocalConfig;
let service: FunctionsService;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'marquee-sandbox-'));
  const functionsDir = path.join(root, 'functions');
  const dataDir = path.join(root, 'data');
  await mkdir(path.join(functionsDir, 'peek'), { recursive: true });
  await mkdir(dataDir, { recursive: true });
  await writeFile(path.join(functionsDir, 'peek', 'index.ts'), PEEK);
  await writeFile(path.join(functionsDir, 'peek', 'own.txt'), 'mine');
  await writeFile(path.join(functionsDir, '.env'), 'GREETING=hi\n');
  // Stands in for Postgres's files (pg_hba.conf, the WAL, the tables).
  await writeFile(path.join(dataDir, 'pg_hba.conf'), 'local all all trust\n');
  config = loadConfig({
    dataDir,
    ports: { api: await findFreePort(), db: await findFreePort(), mailHttp: await findFreePort(), mailSmtp: await findFreePort() },
    quiet: true,
  });
  const log: Logger = { info() {}, warn() {}, error() {}, child: () => log };
  service = await createFunctionsService(
    { config, jwt: await createJwtKeys(config), log, mailer: { send: async () => {}, close: () => {} } },
    { functionsDir, functions: { peek: { verify_jwt: false } }, hotReload: false },
  );
});

afterAll(async () => {
  await service?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const peek = async (file: string) =>
  (await (await service.app.request(`/peek/?path=${encodeURIComponent(file)}`)).json()) as { read: boolean; error?: string };

describe('function workers read only their code', { timeout: 90_000 }, () => {
  it('a function reads the files of its own folder', async () => {
    expect(await peek(path.join(root, 'functions', 'peek', 'own.txt'))).toEqual({ read: true });
  });

  it.each([
    ['the Postgres data directory', () => path.join(config.dataDir, 'pg_hba.conf')],
    ['the project (config.toml)', () => path.join(config.supabaseDir, 'config.toml')],
    ['the host system', () => '/etc/passwd'],
  ])('a function cannot read %s', async (_, file) => {
    expect(await peek(file())).toEqual({ read: false, error: 'NotCapable' });
  });
});
