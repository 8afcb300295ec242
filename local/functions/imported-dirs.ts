import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// Relative specifiers of static and dynamic imports and re-exports. Only a relative specifier can
// name a local file: `npm:` and import-map names resolve into Deno's cache.
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
const SOURCE = /\.(?:ts|tsx|js|mjs|jsx)$/;

/**
 * The folders outside `functionsDir` whose modules function code imports (the SDK's rules module,
 * say), following those modules' own relative imports. Workers may read them, and hot reload
 * watches them. Scanned by hand because Deno's own module graph (`deno info`) would cost a
 * subprocess per function at every boot.
 */
export function importedDirsOutside(functionsDir: string): string[] {
  const root = path.resolve(functionsDir);
  const seen = new Set<string>();
  const outside = new Set<string>();
  const pending = sourceFilesUnder(root);
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const [, specifier] of text.matchAll(RELATIVE_IMPORT)) {
      const target = path.resolve(path.dirname(file), specifier!);
      if (!isInside(target, root)) outside.add(path.dirname(target));
      if (!seen.has(target)) pending.push(target);
    }
  }
  return [...outside].filter((dir) => ![...outside].some((other) => other !== dir && isInside(dir, other))).sort();
}

function sourceFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFilesUnder(full));
    else if (SOURCE.test(entry.name) && statSync(full).isFile()) files.push(full);
  }
  return files;
}

export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
