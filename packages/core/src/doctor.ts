import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { type BackendReport, type InitBackendOptions, initBackend } from './backend.js';
import { VERSION } from './version.js';

export interface NativeKernelsReport {
  /** `active`: @seqgen/native's C++ kernels run the fused RNN layers; otherwise why not. */
  status: 'active' | 'inactive' | 'not-installed';
  reason: string;
  isa?: string;
  threads?: number;
}

export interface DoctorReport {
  seqgenCore: string;
  node: string;
  platform: string;
  packages: Record<string, string>;
  backend: BackendReport;
  /** The native recurrent kernels of @seqgen/native (an optional package, resolved at run time). */
  native: NativeKernelsReport;
}

interface NativeModule {
  nativeStatus(): { loaded: boolean; reason: string; isa?: string; isaReason?: string; threads?: number };
}

/** Finds @seqgen/native from here, the working directory, or @seqgen/cells (core never depends on it). */
function findNative(): NativeModule | undefined {
  const name = '@seqgen/native';
  const scopes = [createRequire(import.meta.url), createRequire(`${process.cwd()}/package.json`)];
  for (const req of [...scopes]) {
    try {
      scopes.push(createRequire(req.resolve('@seqgen/cells')));
    } catch {
      // cells not reachable from this scope
    }
  }
  for (const req of scopes) {
    try {
      return req(name) as NativeModule;
    } catch {
      // try the next scope
    }
  }
  return undefined;
}

function nativeReport(backend: BackendReport): NativeKernelsReport {
  const mod = findNative();
  if (!mod) return { status: 'not-installed', reason: '@seqgen/native is not installed (optional): pure-tfjs kernels' };
  const s = mod.nativeStatus();
  const extra = { ...(s.isa ? { isa: s.isa } : {}), ...(s.threads ? { threads: s.threads } : {}) };
  if (!s.loaded) return { status: 'inactive', reason: `${s.reason}: pure-tfjs kernels`, ...extra };
  if (backend.active === 'tensorflow') {
    return { status: 'inactive', reason: 'tfjs-node is active and runs its own kernels', ...extra };
  }
  return {
    status: 'active',
    reason: `fused LSTM/GRU/RNN run in C++ on the ${backend.active} backend (${s.isaReason ?? s.isa})`,
    ...extra,
  };
}

const REPORTED_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-node',
];

/** Starts the backend (see {@link initBackend}) and gathers versions for bug reports. */
export async function doctor(options: InitBackendOptions = {}): Promise<DoctorReport> {
  const backend = await initBackend(options);
  // Backends reached through @tensorflow/tfjs are resolved from there (pnpm keeps them out of our own scope).
  const resolvers = [createRequire(import.meta.url)];
  try {
    resolvers.push(createRequire((resolvers[0] as NodeJS.Require).resolve('@tensorflow/tfjs')));
  } catch {
    // tfjs itself missing is reported below.
  }
  const packages: Record<string, string> = {};
  for (const name of REPORTED_PACKAGES) {
    packages[name] = 'not installed';
    for (const require of resolvers) {
      try {
        packages[name] = (require(`${name}/package.json`) as { version: string }).version;
        break;
      } catch {
        // try the next scope
      }
    }
  }
  packages['@tensorflow/tfjs (loaded)'] = tf.version.tfjs ?? 'unknown';
  return {
    seqgenCore: VERSION,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    packages,
    backend,
    native: nativeReport(backend),
  };
}

/** The report as aligned text lines. */
export function formatDoctorReport(report: DoctorReport): string {
  const lines = [
    `@seqgen/core ${report.seqgenCore} on Node ${report.node} (${report.platform})`,
    '',
    `active backend: ${report.backend.active} (selected by ${report.backend.selectedBy})`,
  ];
  if (report.backend.wasm) {
    lines.push(
      `  wasm SIMD: ${report.backend.wasm.simd ? 'yes' : 'no'}, threads: ${report.backend.wasm.threads} (${report.backend.wasm.threadsReason})`,
    );
  }
  lines.push('', 'backends:');
  for (const a of report.backend.attempts) lines.push(`  ${a.backend.padEnd(11)} ${a.status.padEnd(9)} ${a.reason}`);
  const n = report.native;
  lines.push('', `native kernels: ${n.status}${n.isa ? ` (${n.isa}, ${n.threads} threads)` : ''} — ${n.reason}`);
  lines.push('', 'packages:');
  for (const [name, version] of Object.entries(report.packages)) lines.push(`  ${name.padEnd(31)} ${version}`);
  return lines.join('\n');
}
