import { join } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * The build every publishable package shares: ESM + CJS with .d.ts/.d.cts for
 * Node 20. No source maps: they were ~60% of each tarball, and the output is
 * unminified, readable JavaScript with the source's names, so stack traces read
 * without them (maps with `sourcesContent` off would point at `src/` files the
 * tarball does not ship). tfjs and the other @seqgen packages stay external:
 * two copies of tfjs-core (or of seqgen's error classes) in one process break
 * kernel registries and `instanceof`.
 */
export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: false,
    clean: true,
    target: 'node20',
    external: [/^@tensorflow\//, /^@seqgen\//],
    ...overrides,
  });
}

/**
 * Swaps every import of a package's `platform/node.js` (its Node-only parts:
 * files, worker threads, native addons, environment variables) for
 * `platform/browser.ts` beside it.
 */
const browserPlatform = {
  name: 'seqgen-browser-platform',
  setup(build: {
    onResolve: (o: { filter: RegExp }, cb: (a: { path: string; resolveDir: string }) => { path: string }) => void;
  }) {
    build.onResolve({ filter: /(^|\/)platform\/node\.js$/ }, (args) => ({
      path: join(args.resolveDir, args.path.replace(/node\.js$/, 'browser.ts')),
    }));
  },
};

/**
 * The two builds of a package that runs in browsers too: {@link packageConfig}
 * for Node (`dist/`, the `node` export condition) and an ESM bundle for
 * `--platform=browser` in `dist/browser/` (the default condition) with the
 * package's `platform/node.ts` replaced by `platform/browser.ts`. esbuild
 * refuses any Node built-in left in the browser build, so building is a check.
 * `browserOverrides` apply to the browser build only (e.g. fewer entries: no CLI).
 */
export function nodeAndBrowserConfig(overrides: Options = {}, browserOverrides: Options = {}) {
  const node = packageConfig({ ...overrides, clean: ['!browser/**'] });
  const browser = packageConfig({
    ...overrides,
    format: ['esm'],
    dts: false,
    shims: false,
    platform: 'browser',
    target: 'es2022',
    outDir: 'dist/browser',
    esbuildPlugins: [browserPlatform as NonNullable<Options['esbuildPlugins']>[number]],
    ...browserOverrides,
  });
  return [node, browser].flat();
}
