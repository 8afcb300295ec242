/**
 * The SDK's weight in an app: the built ESM (sdk/dist/esm) bundled for the browser with esbuild,
 * minified, then gzipped; what an app loads up front (the entry chunk) apart from what it loads on
 * demand (dynamic imports). supabase-js and zod are peer dependencies the app already has, so they stay
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
  /** The entry chunk: what an app loads up front. */
  minified: number;
  gzipped: number;
  /** Chunks loaded only when used (dynamic imports, e.g. tus-js-client on the first upload), min+gzip. */
  lazyGzipped: number;
  /** The import paths left outside the bundle. */
  externals: string[];
}

/** Bundles the module `source` (resolved from `dir`) for the browser, minified, with `external` left out. */
export async function bundleSize(source: string, dir: string = SDK_ESM, external: string[] = PEERS): Promise<BundleSize> {
  // Split as app bundlers do, so a dynamic import becomes a chunk loaded on demand.
  const result = await build({
    stdin: { contents: source, resolveDir: dir, loader: 'js' },
    bundle: true,
    splitting: true,
    outdir: 'out',
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const externals = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) if (imported.external) externals.add(imported.path);
  }
  const entry = Object.entries(result.metafile.outputs).find(([, output]) => output.entryPoint !== undefined)![0];
  let lazyGzipped = 0;
  let code: Uint8Array = new Uint8Array();
  for (const file of result.outputFiles) {
    if (!file.path.endsWith('.js')) continue;
    if (file.path.endsWith(entry)) code = file.contents;
    else lazyGzipped += gzipSync(file.contents, { level: 9 }).byteLength;
  }
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength, lazyGzipped, externals: [...externals].sort() };
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
  console.table(
    Object.fromEntries(
      rows.map(([name, size]) => [name, { min: kB(size.minified), 'min+gzip': kB(size.gzipped), 'loaded on demand, min+gzip': kB(size.lazyGzipped) }]),
    ),
  );
}
