/**
 * The SDK's weight in an app: the built ESM (sdk/dist/esm) bundled for the browser with esbuild,
 * minified, then gzipped. supabase-js and zod are peer dependencies the app already has, so they stay
 * outside the SDK's figure (and are measured alone for scale). Bundling for the browser also proves the
 * SDK imports no Node built-ins: esbuild refuses to resolve one on that platform.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export const PEERS = ['@supabase/supabase-js', 'zod'];
export const SDK_ESM = fileURLToPath(new URL('../sdk/dist/esm/', import.meta.url));
/** The goal for the SDK itself, min+gzip. */
export const GOAL_BYTES = 15_000;

export interface BundleSize {
  minified: number;
  gzipped: number;
  /** The import paths left outside the bundle. */
  externals: string[];
}

/** Bundles the module `source` (resolved from `dir`) for the browser, minified, with `external` left out. */
export async function bundleSize(source: string, dir: string = SDK_ESM, external: string[] = PEERS): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const externals = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) if (imported.external) externals.add(imported.path);
  }
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, externals: [...externals].sort() };
}

const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`;

/** Builds the SDK and prints its bundle sizes: the whole surface, a typical app's imports, and the peers for scale. */
export async function printSdkBundleSizes(): Promise<void> {
  execFileSync(process.execPath, [fileURLToPath(new URL('../sdk/scripts/build.mjs', import.meta.url))], { stdio: 'ignore' });
  const rows: Array<[string, BundleSize]> = [
    ['SDK, every export', await bundleSize("export * from './index.js';")],
    ['SDK, an app: createMarquee + isMarqueeError', await bundleSize("export { createMarquee, isMarqueeError } from './index.js';")],
    ['for scale: zod (peer)', await bundleSize("export * from 'zod';", SDK_ESM, [])],
    ['for scale: @supabase/supabase-js (peer)', await bundleSize("export * from '@supabase/supabase-js';", SDK_ESM, [])],
  ];
  console.log(`\nSDK bundle size (esbuild, browser, minified; goal for the SDK itself: under ${kB(GOAL_BYTES)} min+gzip)`);
  console.table(Object.fromEntries(rows.map(([name, size]) => [name, { 'min': kB(size.minified), 'min+gzip': kB(size.gzipped) }])));
}
