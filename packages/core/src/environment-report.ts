import * as tf from '@tensorflow/tfjs';
import { type BackendName, type BackendReport, type InitBackendOptions, initBackend } from './backend.js';
import { platform } from './platform/node.js';
import { VERSION } from './version.js';

/** Versions and backend details for bug reports, from {@link environmentReport}. */
export interface EnvironmentReport {
  /** The version of `@seqgen/core` that made the report. */
  seqgenCore: string;
  /** Node.js version, or `none (<runtime>: <version>)` outside Node. */
  node: string;
  /** Operating system and CPU architecture, e.g. `linux-x64` under Node. */
  platform: string;
  /** Installed versions of the tfjs packages by name (`not installed` when absent), plus the loaded tfjs version. */
  packages: Record<string, string>;
  /** The backend that was started, and what happened to the others. */
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
  const packages = platform.installedVersions(REPORTED_PACKAGES);
  packages['@tensorflow/tfjs (loaded)'] = tf.version.tfjs ?? 'unknown';
  const runtime = platform.runtime();
  return {
    seqgenCore: VERSION,
    node: runtime.name === 'Node' ? runtime.version : `none (${runtime.name}: ${runtime.version})`,
    platform: runtime.platform,
    packages,
    backend,
  };
}

/** The report as aligned text lines. */
export function formatEnvironmentReport(report: EnvironmentReport): string {
  const lines = [
    `@seqgen/core ${report.seqgenCore} on Node ${report.node} (${report.platform})`,
    '',
    `active backend: ${settingName(report.backend.active)} (${tfjsNameNote(report.backend.active)}selected by ${report.backend.selectedBy})`,
  ];
  if (report.backend.wasm) {
    lines.push(
      `  wasm SIMD: ${report.backend.wasm.simd ? 'yes' : 'no'}, threads: ${report.backend.wasm.threads} (${report.backend.wasm.threadsReason})`,
    );
  }
  lines.push('', 'backends (as SEQGEN_BACKEND names them):');
  for (const a of report.backend.attempts) {
    lines.push(`  ${settingName(a.backend).padEnd(11)} ${a.status.padEnd(9)} ${a.reason}`);
  }
  lines.push('', 'packages:');
  for (const [name, version] of Object.entries(report.packages)) lines.push(`  ${name.padEnd(31)} ${version}`);
  return lines.join('\n');
}

/**
 * The name `SEQGEN_BACKEND` (and `seqgen-doctor --backend`) takes for a backend:
 * tfjs-node registers itself as "tensorflow", but users select it as `node`.
 */
function settingName(backend: BackendName): string {
  return backend === 'tensorflow' ? 'node' : backend;
}

/** `tfjs backend "tensorflow"; ` where tfjs's own name differs from the setting's, else nothing. */
function tfjsNameNote(backend: BackendName): string {
  return settingName(backend) === backend ? '' : `tfjs backend "${backend}"; `;
}
