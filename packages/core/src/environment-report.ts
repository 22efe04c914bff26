import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { type BackendReport, type InitBackendOptions, initBackend } from './backend.js';
import { VERSION } from './version.js';

export interface EnvironmentReport {
  seqgenCore: string;
  node: string;
  platform: string;
  packages: Record<string, string>;
  backend: BackendReport;
}

const REPORTED_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-node',
];

/**
 * Starts the backend (see {@link initBackend}) and gathers versions for bug
 * reports. `@seqgen/cells`'s `seqgen-doctor` adds what the layers above
 * core know (whether the native kernels run).
 */
export async function environmentReport(options: InitBackendOptions = {}): Promise<EnvironmentReport> {
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
  };
}

/** The report as aligned text lines. */
export function formatEnvironmentReport(report: EnvironmentReport): string {
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
  lines.push('', 'packages:');
  for (const [name, version] of Object.entries(report.packages)) lines.push(`  ${name.padEnd(31)} ${version}`);
  return lines.join('\n');
}
