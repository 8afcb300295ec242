/**
 * The rules raw Auth keeps are Auth's own settings in supabase/config.toml, so they hold on the CLI
 * stack and a hosted project as on Marquee Local — provided the Supabase CLI's own config loader
 * knows every key (it ignores, with a warning, a key it does not recognise).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = path.join(ROOT, 'supabase/config.toml');
const CLI = path.join(ROOT, 'node_modules/.bin/supabase');
/** The parts of `[auth]` this test reads. */
interface AuthTable {
  password_requirements?: string;
  minimum_password_length?: number;
  email: { notification?: Record<string, { enabled?: boolean }> } & Record<string, unknown>;
}

const UNKNOWN_KEYS = /does not recognize and ignores: (.*)\./;

/** What the CLI warns about when it loads `toml` as a project's config.toml (`supabase status` loads it first). */
async function cliWarnings(toml: string): Promise<string> {
  const workdir = await mkdtemp(path.join(tmpdir(), 'marquee-cli-config-'));
  try {
    await mkdir(path.join(workdir, 'supabase'));
    await writeFile(path.join(workdir, 'supabase/config.toml'), toml);
    const run = promisify(execFile)(CLI, ['status', '--workdir', workdir], { cwd: workdir, timeout: 60_000 });
    const { stdout, stderr } = await run.catch((error: { stdout?: string; stderr?: string }) => ({
      stdout: error.stdout ?? '',
      stderr: error.stderr ?? '',
    }));
    return stdout + stderr;
  } finally {
    await rm(workdir, { recursive: true, force: true });
  }
}

describe('config.toml: Auth keeps the product rules', { timeout: 120_000 }, () => {
  it('sets the password policy, code lifetime and frequency, current-password check and notices', async () => {
    const { auth } = parse(await readFile(CONFIG, 'utf8')) as unknown as { auth: AuthTable };
    expect(auth.password_requirements).toBe('lower_upper_letters_digits_symbols');
    expect(auth.minimum_password_length).toBeGreaterThanOrEqual(8);
    expect(auth.email).toMatchObject({ otp_expiry: 600, max_frequency: '60s', require_current_password: true });
    for (const kind of ['password_changed', 'email_changed', 'phone_changed', 'mfa_factor_enrolled', 'mfa_factor_unenrolled']) {
      expect(auth.email.notification?.[kind]?.enabled, kind).toBe(true);
    }
  });

  it('the Supabase CLI recognises every key (a misspelt one is reported)', async () => {
    const toml = await readFile(CONFIG, 'utf8');
    const misspelt = toml.replace('require_current_password = true', 'require_current_pasword = true');
    expect(misspelt).not.toBe(toml);
    expect(UNKNOWN_KEYS.exec(await cliWarnings(misspelt))?.[1]).toContain('auth.email.require_current_pasword');
    expect(UNKNOWN_KEYS.exec(await cliWarnings(toml))?.[1]).toBeUndefined();
  });
});
