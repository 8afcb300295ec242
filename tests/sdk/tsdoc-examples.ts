/**
 * The SDK's TSDoc examples, extracted and type-checked against the SDK itself: every ```ts block
 * after an `@example` tag in sdk/src becomes a module whose body runs inside an async function, with
 * the names examples take for granted (`marquee`, `supabase`, `userId`…) declared in a prelude. The
 * examples' own `import` lines stay at the top, so `import { createMarquee } from '@marquee/sdk'`
 * resolves as it would in an app (the workspace links the package). The ```ts blocks of sdk/README.md
 * are checked the same way, so its quick-start cannot drift either.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Example {
  /** The SDK file the example documents, relative to the repo. */
  file: string;
  /** 1-based line of the example's first code line in that file. */
  line: number;
  code: string;
}

const EXAMPLE = /@example[^\n]*\n(?:[ \t]*\*[^\n]*\n)*?[ \t]*\*[ \t]*```ts[ \t]*\n((?:[ \t]*\*[^\n]*\n)*?)[ \t]*\*[ \t]*```/g;

/** Every `@example` ```ts block of the `.ts` files under `dir` (generated types excepted). */
export function extractExamples(root: string, dir = 'sdk/src'): Example[] {
  const examples: Example[] = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name === 'database.types.ts') continue;
    const file = path.relative(root, path.join(entry.parentPath, entry.name));
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(EXAMPLE)) {
      const before = text.slice(0, match.index + match[0].length - match[1]!.length - match[0].split('\n').at(-1)!.length);
      const code = match[1]!
        .split('\n')
        .map((line) => line.replace(/^[ \t]*\* ?/, ''))
        .join('\n');
      examples.push({ file, line: before.split('\n').length, code });
    }
  }
  return examples;
}

/** A ```ts fence of a Markdown file, and its code. */
const MARKDOWN_TS_BLOCK = /^```ts[ \t]*\n([\s\S]*?)^```[ \t]*$/gm;

/**
 * Every ```ts block of a Markdown file (the SDK's README by default), checked like the TSDoc examples.
 * Deno's `npm:@marquee/sdk` is the same package as `@marquee/sdk`, so the prefix is dropped.
 */
export function extractMarkdownExamples(root: string, file = 'sdk/README.md'): Example[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(MARKDOWN_TS_BLOCK)].map((match) => ({
    file,
    line: text.slice(0, match.index).split('\n').length + 1,
    code: match[1]!.replace(/(['"])npm:/g, '$1'),
  }));
}

/** What examples may use without declaring it. */
const PRELUDE_TYPES = ['Database', 'Marquee', 'MarqueeSupabaseClient', 'TotpEnrollment'];
const PRELUDE_DECLARATIONS = `
declare const marquee: Marquee;
declare const supabase: MarqueeSupabaseClient;
declare const url: string;
declare const key: string;
declare const email: string;
declare const password: string;
declare const token: string;
declare const userId: string;
declare const childId: string;
declare const janeId: string;
declare const file: Blob;
declare const factor: TotpEnrollment;
declare const input: unknown;
declare const schema: import('zod').ZodType;
declare const process: { env: Record<string, string | undefined> };
declare const Deno: { env: { get(name: string): string | undefined } };
declare function somethingThatMayFail(): Promise<unknown>;
declare function showNotFound(): void;
`;

/** Resolves `@marquee/sdk` through sdk/package.json's `@marquee/source` export condition. */
const SOURCE_RESOLUTION: ts.CompilerOptions = { customConditions: ['@marquee/source'] };

/** The module an example is checked as. */
export function exampleModule(example: Example, sdkValueNames: string[]): string {
  const lines = example.code.split('\n');
  const imports = lines.filter((line) => /^import\s/.test(line));
  const body = lines.filter((line) => !/^import\s/.test(line));
  const imported = new Set(imports.flatMap((line) => [...line.matchAll(/\b([A-Za-z_$][\w$]*)\b/g)].map((m) => m[1]!)));
  const types = PRELUDE_TYPES.filter((name) => !imported.has(name));
  return [
    ...imports,
    `import { createClient } from '@supabase/supabase-js';`,
    `import * as __sdk from '@marquee/sdk';`,
    types.length > 0 ? `import type { ${types.join(', ')} } from '@marquee/sdk';` : '',
    PRELUDE_DECLARATIONS,
    `export async function example(): Promise<void> {`,
    `  const { ${sdkValueNames.join(', ')} } = __sdk;`,
    ...body.map((line) => `  ${line}`),
    `}`,
  ].join('\n');
}

/** Type errors of each example (empty when they all compile), as `file:line: message`. */
export function checkExamples(root: string, examples: Example[] = extractExamples(root)): { examples: Example[]; errors: string[] } {
  const configPath = path.join(root, 'sdk', 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`cannot read ${configPath}`);
  const sdkValueNames = Object.keys(sdkIndexExports(root, config.options));
  const virtual = new Map(
    examples.map((example, i) => [path.join(root, 'sdk', 'src', '__examples__', `example-${i}.ts`), exampleModule(example, sdkValueNames)]),
  );
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, onError, create) => {
    const text = virtual.get(name);
    return text === undefined ? getSourceFile.call(host, name, language, onError, create) : ts.createSourceFile(name, text, language, true);
  };
  // The examples import '@marquee/sdk' as an app does; the source condition resolves it to sdk/src, so they
  // are checked against the code as it is now, not a stale (or absent) dist/.
  const program = ts.createProgram([...virtual.keys()], { ...config.options, ...SOURCE_RESOLUTION, noEmit: true }, host);
  const names = [...virtual.keys()];
  const errors: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const index = diagnostic.file ? names.indexOf(diagnostic.file.fileName) : -1;
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (index < 0) {
      errors.push(`${diagnostic.file?.fileName ?? 'program'}: ${message}`);
      continue;
    }
    const example = examples[index]!;
    errors.push(`${example.file}:${example.line}: ${message}\n${example.code}`);
  }
  return { examples, errors };
}

/** The value (not type-only) exports of the SDK's entry point. */
function sdkIndexExports(root: string, options: ts.CompilerOptions): Record<string, true> {
  const entry = path.join(root, 'sdk', 'src', 'index.ts');
  const program = ts.createProgram([entry], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  const names: Record<string, true> = {};
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    if (target.flags & ts.SymbolFlags.Value) names[symbol.name] = true;
  }
  return names;
}
