import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** Path of the real Deno executable shipped by the `deno` npm package (not its Node wrapper). */
export function denoBinaryPath(): string {
  const packageDir = path.dirname(require.resolve('deno/package.json'));
  const executable = path.join(packageDir, process.platform === 'win32' ? 'deno.exe' : 'deno');
  if (existsSync(executable)) return executable;
  // The package's own installer links the platform binary into place and returns its path.
  const installer = require(path.join(packageDir, 'install_api.cjs')) as { runInstall(): string };
  return installer.runInstall();
}
