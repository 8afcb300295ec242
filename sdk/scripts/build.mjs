// Builds dist/: ESM (dist/esm) and CommonJS (dist/cjs), each with declarations and source maps, by
// two tsc runs — the layout supabase-js ships. dist/cjs gets a package.json saying "commonjs", so
// Node and TypeScript read its .js and .d.ts files as CommonJS inside this "type": "module" package.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const here = new URL('..', import.meta.url);

rmSync(new URL('dist', here), { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.build-cjs.json']) {
  execFileSync(process.execPath, [tsc, '-p', project], { cwd: here, stdio: 'inherit' });
}
writeFileSync(new URL('dist/cjs/package.json', here), '{ "type": "commonjs" }\n');
