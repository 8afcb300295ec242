/**
 * The SDK's public API is on record (issue 13, item 5): sdk/etc/marquee-sdk.api.md, API Extractor's
 * report of every signature `@marquee/sdk` exports, is committed, so a change to the public API shows in
 * review. This check emits the declarations afresh into a temporary directory, has API Extractor (in its
 * CI mode, with sdk/api-extractor.json) rebuild the report from them, and fails when it differs from the
 * committed one. A control alters a copy of the declarations (an export removed, a method's signature
 * changed) and shows that the same run catches it.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CompilerState, Extractor, ExtractorConfig, ExtractorLogLevel, type ExtractorResult } from '@microsoft/api-extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const sdkDir = path.join(root, 'sdk');
const CONFIG_FILE = path.join(sdkDir, 'api-extractor.json');
const COMMITTED_REPORT = path.join(sdkDir, 'etc', 'marquee-sdk.api.md');
const STALE_REPORT =
  "the SDK's public API changed: run npm run api:report -w sdk and commit sdk/etc/marquee-sdk.api.md";

interface SurfaceRun {
  result: ExtractorResult;
  /** The report API Extractor built from the declarations. */
  report: string;
  /** Its errors and warnings, one line each. */
  problems: string[];
}

/** tsc's declarations of sdk/src, as the build emits them, into `outDir` (about 5 s; the full build is ~17 s). */
async function emitDeclarations(outDir: string): Promise<void> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '-p', path.join(sdkDir, 'tsconfig.build.json'), '--emitDeclarationOnly', '--outDir', outDir];
  try {
    await promisify(execFile)(process.execPath, args, { cwd: sdkDir });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc could not emit the SDK's declarations:\n${stdout ?? ''}${stderr ?? ''}`, { cause: error });
  }
}

/** sdk/api-extractor.json, pointed at declarations in `entryDir` and writing its report into `reportDir`. */
function configFor(entryDir: string, reportDir: string): ExtractorConfig {
  const configObject = ExtractorConfig.loadFile(CONFIG_FILE);
  configObject.mainEntryPointFilePath = path.join(entryDir, 'index.d.ts');
  configObject.apiReport = { ...configObject.apiReport!, reportTempFolder: reportDir };
  return ExtractorConfig.prepare({
    configObject,
    configObjectFullPath: CONFIG_FILE,
    packageJsonFullPath: path.join(sdkDir, 'package.json'),
  });
}

/** API Extractor in CI mode (`localBuild: false`): it never writes sdk/etc/, it reports a difference. */
function extract(config: ExtractorConfig, compilerState: CompilerState): SurfaceRun {
  const problems: string[] = [];
  const result = Extractor.invoke(config, {
    localBuild: false,
    compilerState,
    messageCallback: (message) => {
      if (message.logLevel === ExtractorLogLevel.Error || message.logLevel === ExtractorLogLevel.Warning) {
        const where = message.sourceFilePath ? ` (${message.sourceFilePath}:${message.sourceFileLine})` : '';
        problems.push(`${message.logLevel} ${message.messageId}: ${message.text}${where}`);
      }
      message.handled = true; // collected here instead of printed
    },
  });
  const reportFile = path.join(config.reportTempFolder, config.reportConfigs[0]!.fileName);
  return { result, report: readFileSync(reportFile, 'utf8'), problems };
}

/** Replaces the one occurrence of `from` in `file`; a control that changed nothing would prove nothing. */
function alter(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  const occurrences = text.split(from).length - 1;
  if (occurrences !== 1) throw new Error(`expected "${from}" once in ${file}, found it ${occurrences} times`);
  writeFileSync(file, text.replace(from, to));
}

describe('API surface report', () => {
  let work: string;
  let current: SurfaceRun;
  let altered: SurfaceRun;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'marquee-api-surface-'));
    // The declarations import @supabase/supabase-js and zod: resolve them from the repository's packages.
    symlinkSync(path.join(root, 'node_modules'), path.join(work, 'node_modules'), 'dir');
    const declarations = path.join(work, 'dts');
    await emitDeclarations(declarations);

    const alteredDeclarations = path.join(work, 'dts-altered');
    cpSync(declarations, alteredDeclarations, { recursive: true });
    alter(path.join(alteredDeclarations, 'index.d.ts'), 'fromZodIssues, isMarqueeError, toMarqueeError', 'fromZodIssues, toMarqueeError');
    alter(
      path.join(alteredDeclarations, 'admin.d.ts'),
      '    ban(input: AccountActionInput): Promise<DetailResult>;',
      '    ban(input: AccountActionInput, notify: boolean): Promise<DetailResult>;',
    );

    const config = configFor(declarations, path.join(work, 'report'));
    // One TypeScript program serves both runs (it is most of API Extractor's time).
    const compilerState = CompilerState.create(config, { additionalEntryPoints: [path.join(alteredDeclarations, 'index.d.ts')] });
    current = extract(config, compilerState);
    altered = extract(configFor(alteredDeclarations, path.join(work, 'report-altered')), compilerState);
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the committed report is the one the SDK declarations give', () => {
    expect(existsSync(COMMITTED_REPORT), `${COMMITTED_REPORT} is missing: ${STALE_REPORT}`).toBe(true);
    expect(current.report, STALE_REPORT).toBe(readFileSync(COMMITTED_REPORT, 'utf8'));
    expect(current.result.apiReportChanged).toBe(false);
    expect(current.problems, 'API Extractor reported problems').toEqual([]);
    expect(current.result.succeeded).toBe(true);
  });

  it('control: an export removed and a signature changed make the same run fail', () => {
    const committed = readFileSync(COMMITTED_REPORT, 'utf8');
    expect(committed).toContain('export function isMarqueeError(');
    expect(committed).toContain('    ban(input: AccountActionInput): Promise<DetailResult>;');

    expect(altered.result.apiReportChanged).toBe(true);
    expect(altered.result.succeeded).toBe(false);
    expect(altered.report).not.toContain('export function isMarqueeError(');
    expect(altered.report).toContain('    ban(input: AccountActionInput, notify: boolean): Promise<DetailResult>;');
    // Nothing else moved: the two edits are the whole difference.
    const restored = altered.report
      .replace('    ban(input: AccountActionInput, notify: boolean): Promise<DetailResult>;', '    ban(input: AccountActionInput): Promise<DetailResult>;');
    expect(committed.replace(/\/\/ @public\nexport function isMarqueeError\([^\n]*\n\n/, '')).toBe(restored);
  });
});
