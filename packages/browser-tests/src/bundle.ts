import { build, type Metafile } from 'esbuild';

/** The seqgen packages a web app imports, each of which must bundle for browsers on its own. */
export const BROWSER_PACKAGES = [
  '@seqgen/core',
  '@seqgen/cells',
  '@seqgen/tokenizers',
  '@seqgen/samplers',
  '@seqgen/trainer',
  '@seqgen/models',
  '@seqgen/interpret',
  '@seqgen/midi',
] as const;

/**
 * Bundles each entry file into `outdir` with esbuild for `--platform=browser`,
 * as a web app's bundler would, in one run (shared modules are parsed once).
 * esbuild fails on any Node built-in it cannot resolve for a browser, so a
 * successful build is the check; the metafile says which files went into
 * which output.
 */
export async function bundleForBrowser(
  entries: Record<string, string>,
  outdir: string,
  resolveDir: string,
): Promise<Metafile> {
  const result = await build({
    entryPoints: entries,
    outdir,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: resolveDir,
  });
  return result.metafile;
}
