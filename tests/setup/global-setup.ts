import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { findFreePort } from '../../local/shared/ports.ts';
import { startStack, type RunningStack } from '../../local/stack.ts';
import type { StackEnv } from '../helpers/env.ts';
import { CREATE_FIXTURE_SCHEMA, FIXTURE_SCHEMA } from '../helpers/fixture-schema.ts';

/**
 * Starts Marquee Local on a temporary data directory and free ports, or, when SUPABASE_URL and the
 * keys are set, hands the suite that stack instead (the CLI stack or a hosted project).
 */
export default async function setup(project: TestProject) {
  const external = externalStack();
  if (external) {
    // The stack's [api].schemas must list the fixture schema for the REST fidelity tests.
    await createFixtureSchema(external.dbUrl);
    project.provide('stack', external);
    return;
  }

  const root = await mkdtemp(path.join(tmpdir(), 'marquee-test-'));
  await chmod(root, 0o755); // the postgres OS user must reach the data directory inside
  const [api, db, mailHttp, mailSmtp] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  let stack: RunningStack;
  try {
    // The runner stands for the platform's front proxy: from 127.0.0.1 its X-Forwarded-For names the
    // client, so tests can be many clients. Any other address (tests/security use 127.0.0.2…) is a
    // direct client whose own address counts, as in production.
    stack = await startStack({
      dataDir: path.join(root, 'data'),
      ports: { api, db, mailHttp, mailSmtp },
      quiet: true,
      extraApiSchemas: [FIXTURE_SCHEMA],
      trustedProxies: ['127.0.0.1'],
    });
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
  await createFixtureSchema(stack.status.dbUrl).catch(async (error: unknown) => {
    await stack.stop();
    await rm(root, { recursive: true, force: true });
    throw error;
  });
  const { status } = stack;
  project.provide('stack', {
    url: status.apiUrl,
    anonKey: status.anonKey,
    serviceRoleKey: status.serviceRoleKey,
    publishableKey: status.publishableKey,
    secretKey: status.secretKey,
    jwtSecret: status.jwtSecret,
    dbUrl: status.dbUrl,
    mailUrl: status.mailpitUrl,
    smtpPort: status.smtpPort,
    local: true,
  });

  return async () => {
    await stack.stop();
    await rm(root, { recursive: true, force: true });
  };
}

async function createFixtureSchema(dbUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query(CREATE_FIXTURE_SCHEMA);
  } finally {
    await client.end();
  }
}

function externalStack(): StackEnv | undefined {
  const env = process.env;
  if (!env.SUPABASE_URL) return undefined;
  const required = ['SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY', 'SUPABASE_DB_URL', 'SUPABASE_JWT_SECRET'];
  const missing = required.filter((name) => !env[name]);
  if (missing.length) throw new Error(`SUPABASE_URL is set, so these must be too: ${missing.join(', ')}`);
  return {
    url: env.SUPABASE_URL,
    anonKey: env.SUPABASE_ANON_KEY!,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY!,
    publishableKey: env.SUPABASE_PUBLISHABLE_KEY ?? env.SUPABASE_ANON_KEY!,
    secretKey: env.SUPABASE_SECRET_KEY ?? env.SUPABASE_SERVICE_ROLE_KEY!,
    jwtSecret: env.SUPABASE_JWT_SECRET!,
    dbUrl: env.SUPABASE_DB_URL!,
    mailUrl: env.MAILPIT_URL ?? 'http://127.0.0.1:54324',
    smtpPort: Number(env.MAILPIT_SMTP_PORT ?? 54325),
    local: false,
  };
}
