/**
 * The SDK's API reference (issue 13, item 4). docs/sdk/ is TypeDoc's Markdown of sdk/src/index.ts
 * (sdk/typedoc.json; `npm run docs` regenerates it). This file checks, on a fresh generation:
 * - TypeDoc's validation (not exported, invalid links and paths) passes with warnings counted as errors;
 * - the committed docs/sdk/ is exactly that generation;
 * - linkinator finds no broken link to a page or a #fragment in it, nor in sdk/README.md (TypeDoc's
 *   validation only checks `{@link}` targets in comments, not the Markdown files the plugin writes);
 * - every exported function and every method of an exported interface, class or type carries an
 *   `@example`, read from TypeDoc's reflection model.
 * The last two have controls that prove they fail.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LinkChecker } from 'linkinator';
import {
  Application,
  Logger,
  LogLevel,
  ReflectionKind,
  TSConfigReader,
  TypeDocReader,
  type DeclarationReflection,
  type ProjectReflection,
  type TypeDocOptions,
} from 'typedoc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const committed = path.join(root, 'docs', 'sdk');
const fixture = path.join(root, 'tests', 'package', 'fixtures', 'docs-missing-example');

/** Keeps every warning and error TypeDoc reports, so a test can name them. */
class CollectingLogger extends Logger {
  readonly problems: string[] = [];
  override log(message: string, level: LogLevel): void {
    super.log(message, level);
    if (level >= LogLevel.Warn) this.problems.push(message);
  }
}

/** TypeDoc over `options` (read like the CLI: typedoc.json, then its tsconfig): the model and every warning. */
async function convert(options: TypeDocOptions): Promise<{ app: Application; project: ProjectReflection; problems: string[] }> {
  const app = await Application.bootstrapWithPlugins(options, [new TypeDocReader(), new TSConfigReader()]);
  const logger = new CollectingLogger();
  app.logger = logger;
  const project = await app.convert();
  if (!project) throw new Error(`TypeDoc could not convert the project:\n${logger.problems.join('\n')}`);
  app.validate(project);
  return { app, project, problems: logger.problems };
}

/** Every exported function and every method of an exported type without an `@example` block tag. */
function missingExamples(project: ProjectReflection): string[] {
  const hasExample = (reflection: DeclarationReflection) =>
    [reflection.comment, ...(reflection.signatures ?? []).map((signature) => signature.comment)].some((comment) => comment?.getTag('@example'));
  return project
    .getReflectionsByKind(ReflectionKind.Function | ReflectionKind.Method)
    .filter((reflection) => !hasExample(reflection as DeclarationReflection))
    .map((reflection) => reflection.getFriendlyFullName())
    .sort();
}

/** Relative paths of the files under `dir`. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** What differs between two generated trees: missing, extra or changed files. */
function treeDifferences(expected: string, actual: string): string[] {
  const want = filesUnder(expected);
  const have = new Set(filesUnder(actual));
  const differences = want.filter((file) => !have.has(file)).map((file) => `missing: ${file}`);
  differences.push(...[...have].filter((file) => !want.includes(file)).map((file) => `not generated any more: ${file}`));
  for (const file of want.filter((f) => have.has(f))) {
    if (readFileSync(path.join(expected, file), 'utf8') !== readFileSync(path.join(actual, file), 'utf8')) differences.push(`changed: ${file}`);
  }
  return differences;
}

/** Broken links (pages and #fragments) of the Markdown under `dir`, crawled from `entry`; web links are not followed. */
async function brokenLinks(dir: string, entry = 'README.md'): Promise<string[]> {
  const result = await new LinkChecker().check({
    serverRoot: dir,
    path: entry,
    recurse: true,
    markdown: true,
    checkFragments: true,
    // Only the reference's own pages are checked (they are served from localhost); the web is not.
    linksToSkip: async (link) => !link.startsWith('http://localhost'),
  });
  return result.links.filter((link) => link.state === 'BROKEN').map((link) => `${link.parent ?? '?'} → ${link.url}`);
}

describe('SDK API reference (docs/sdk)', () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'marquee-docs-'));
  let generated: { project: ProjectReflection; problems: string[] };

  beforeAll(async () => {
    const { app, project, problems } = await convert({ options: path.join(root, 'sdk', 'typedoc.json'), out });
    await app.generateOutputs(project);
    generated = { project, problems };
  }, 120_000);

  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('TypeDoc validates the SDK with no warning (not exported, invalid links and paths)', () => {
    expect(generated.problems).toEqual([]);
    expect(filesUnder(out)).toContain('README.md');
  });

  it('the committed docs/sdk is what TypeDoc generates now', () => {
    const differences = treeDifferences(out, committed);
    if (differences.length > 0) throw new Error(`docs/sdk is stale: run npm run docs\n${differences.join('\n')}`);
  });

  it('has no broken link or #fragment (linkinator)', async () => {
    expect(await brokenLinks(out)).toEqual([]);
  }, 60_000);

  it("sdk/README.md's links (to the committed reference) resolve", async () => {
    expect(await brokenLinks(root, 'sdk/README.md')).toEqual([]);
  }, 60_000);

  it('the link check catches a missing page and a missing #fragment', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'marquee-docs-links-'));
    try {
      mkdirSync(path.join(dir, 'pages'));
      writeFileSync(path.join(dir, 'README.md'), '# Index\n\n[ok](pages/a.md#hello) [gone](pages/gone.md) [no anchor](pages/a.md#nowhere)\n');
      writeFileSync(path.join(dir, 'pages', 'a.md'), '# A\n\n## Hello\n');
      expect((await brokenLinks(dir)).sort()).toEqual(['README.md → pages/a.md#nowhere', 'README.md → pages/gone.md']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('every exported function and every method of an exported type has an @example', () => {
    const missing = missingExamples(generated.project);
    expect(missing, `without an @example: ${missing.join(', ')}`).toEqual([]);
    // The check saw the API it is about: namespaces' methods and the rules namespace's functions.
    const names = generated.project.getReflectionsByKind(ReflectionKind.Method | ReflectionKind.Function).map((r) => r.getFriendlyFullName());
    expect(names).toEqual(expect.arrayContaining(['AuthApi.signIn', 'PostsApi.create', 'rules.youtubeIdOf', 'createMarquee']));
  });

  it('the example check names the methods and functions without one (fixture)', async () => {
    const { project, problems } = await convert({
      entryPoints: [path.join(fixture, 'index.ts')],
      tsconfig: path.join(fixture, 'tsconfig.json'),
      plugin: [],
      disableSources: true, // as sdk/typedoc.json: no source links, so no git remote to read
    });
    expect(problems).toEqual([]);
    expect(missingExamples(project)).toEqual(['Greeter.wave', 'Waver.wave', 'shout']);
  }, 60_000);
});
