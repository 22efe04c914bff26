/**
 * Where the addon binary comes from: one compiled on this machine
 * (`build/Release/seqgen_native.node`, by the install script or the monorepo's
 * build) wins; otherwise the prebuilt binary shipped in the package
 * (`prebuilds/<platform>-<arch>/seqgen_native.<libc>.napi<N>.node`) when this
 * process's platform, architecture, C library and N-API version match it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A binary the loader may try, and where it came from. */
export interface AddonCandidate {
  path: string;
  origin: 'compiled' | 'prebuilt';
}

/** The N-API version the C++ sources are compiled against (`NAPI_VERSION` in binding.gyp). */
const ADDON_NAPI_VERSION = 8;

const packageRoot = (): string => fileURLToPath(new URL('..', import.meta.url));

/** `glibc` or `musl` on Linux (the prebuilt binaries name the one they link against); `''` elsewhere. */
export function currentLibc(): string {
  if (process.platform !== 'linux') return '';
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header?.glibcVersionRuntime ? 'glibc' : 'musl';
}

/** The `prebuilds/` folder name and file name a binary for this process would have. */
export function prebuiltName(): { folder: string; file: string } {
  const libc = currentLibc();
  return {
    folder: `${process.platform}-${process.arch}`,
    file: `seqgen_native.${libc ? `${libc}.` : ''}napi${ADDON_NAPI_VERSION}.node`,
  };
}

/** Binaries to try, best first; empty when there is none for this machine. */
export function addonCandidates(): AddonCandidate[] {
  const root = packageRoot();
  const candidates: AddonCandidate[] = [];
  const compiled = `${root}build/Release/seqgen_native.node`;
  if (existsSync(compiled)) candidates.push({ path: compiled, origin: 'compiled' });
  // Node-API is forward compatible: a binary built for N-API 8 loads on any Node that has ≥ 8.
  const napi = Number(process.versions.napi ?? 0);
  const { folder, file } = prebuiltName();
  const prebuilt = `${root}prebuilds/${folder}/${file}`;
  if (napi >= ADDON_NAPI_VERSION && existsSync(prebuilt)) candidates.push({ path: prebuilt, origin: 'prebuilt' });
  return candidates;
}

/** The prebuilt binaries this package ships (`linux-x64/seqgen_native.glibc.napi8.node`, ...). */
export function shippedPrebuilds(): string[] {
  const dir = `${packageRoot()}prebuilds`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((folder) =>
    readdirSync(`${dir}/${folder}`)
      .filter((f) => f.endsWith('.node'))
      .map((f) => `${folder}/${f}`),
  );
}

/** Why the last compile failed, as recorded by scripts/build-addon.mjs; undefined when it did not fail. */
export function recordedBuildFailure(): string | undefined {
  try {
    const s = JSON.parse(readFileSync(`${packageRoot()}build/build-status.json`, 'utf8')) as {
      ok: boolean;
      reason?: string;
    };
    return s.ok ? undefined : s.reason;
  } catch {
    return undefined;
  }
}

/**
 * What a user can do when no binary loads: the install script compiles the addon,
 * but package managers increasingly skip dependencies' install scripts unless allowed.
 */
export const ENABLE_ADDON_ADVICE =
  'to compile it, install a C++17 compiler, make and python3, allow @seqgen/native to run its install script ' +
  '(npm 11: `npm approve-scripts @seqgen/native`, or --allow-scripts=@seqgen/native; pnpm: add it to onlyBuiltDependencies; ' +
  'yarn ≥ 2: enableScripts, or dependenciesMeta["@seqgen/native"].built: true) and reinstall or rebuild it ' +
  '(`npm rebuild @seqgen/native`, `pnpm rebuild @seqgen/native`); until then @seqgen/cells uses its pure-tfjs kernels';
