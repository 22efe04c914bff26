import {
  type EnvironmentReport,
  environmentReport,
  formatEnvironmentReport,
  type InitBackendOptions,
} from '@seqgen/core';
import { fusedKernelStatus, nativeModuleStatus } from './fused/native-sequence.js';

/** Whether `@seqgen/native`'s C++ kernels run the fused recurrent layers, and why. */
export interface NativeKernelsReport {
  /** `active`: @seqgen/native's C++ kernels run the fused RNN layers; otherwise why not. */
  status: 'active' | 'inactive' | 'not-installed';
  /** Why the status is what it is, for humans (the ISA in use, or what is missing). */
  reason: string;
  /** Kernel set the native module runs (`avx512`, `avx2` or `generic`), when installed. */
  isa?: string;
  /** Threads of the native kernel pool (the calling thread included), when installed. */
  threads?: number;
}

/** Core's environment report plus what cells decides: whether its fused layers run natively. */
export interface DoctorReport extends EnvironmentReport {
  /** Whether the fused recurrent kernels run natively. */
  native: NativeKernelsReport;
}

/**
 * Starts the backend and reports it, the installed versions, and whether the
 * fused recurrent kernels run in C++ through `@seqgen/native` — here, in the
 * package that uses native, rather than in core (which must not know of it).
 */
export async function doctor(options: InitBackendOptions = {}): Promise<DoctorReport> {
  const report = await environmentReport(options);
  return { ...report, native: nativeReport() };
}

function nativeReport(): NativeKernelsReport {
  const module = nativeModuleStatus();
  if (!module)
    return { status: 'not-installed', reason: '@seqgen/native is not installed (optional): pure-tfjs kernels' };
  const extra = { ...(module.isa ? { isa: module.isa } : {}), ...(module.threads ? { threads: module.threads } : {}) };
  if (!module.loaded) return { status: 'inactive', reason: `${module.reason}: pure-tfjs kernels`, ...extra };
  const fused = fusedKernelStatus();
  if (!fused.native) return { status: 'inactive', reason: fused.reason, ...extra };
  return {
    status: 'active',
    reason: `fused LSTM/GRU/RNN run in C++ (${module.isaReason ?? module.isa})`,
    ...extra,
  };
}

/** The report as aligned text lines. */
export function formatDoctorReport(report: DoctorReport): string {
  const n = report.native;
  return [
    formatEnvironmentReport(report),
    '',
    `native kernels: ${n.status}${n.isa ? ` (${n.isa}, ${n.threads} threads)` : ''} — ${n.reason}`,
  ].join('\n');
}
