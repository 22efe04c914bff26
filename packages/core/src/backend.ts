import * as tf from '@tensorflow/tfjs';
import { BackendError, ConfigError } from './errors.js';
import { platform } from './platform/node.js';
import { readEnv } from './platform/platform.js';
import { registerWasmConvKernels } from './wasm-conv-kernels.js';

/** Backends seqgen can run on, in order of preference. */
export const BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
/** A tfjs backend seqgen can run on: `tensorflow` (tfjs-node), `wasm` or `cpu`. */
export type BackendName = (typeof BACKENDS)[number];

/** Environment variable that forces one backend (`tensorflow`, `node` as its alias, `wasm`, `cpu`). */
export const BACKEND_ENV = 'SEQGEN_BACKEND';

/** Environment variable that sets the wasm backend's thread count (1 = single-threaded). */
export const WASM_THREADS_ENV = 'SEQGEN_WASM_THREADS';

/** What happened to one backend while {@link initBackend} picked one. */
export interface BackendAttempt {
  /** The backend this attempt concerns. */
  backend: BackendName;
  /**
   * `active` = in use, `failed` = did not load, `skipped` = another was forced, `not-tried` = a preferred one loaded
   * first.
   */
  status: 'active' | 'skipped' | 'failed' | 'not-tried';
  /** Why it ended so (the load error, the forcing option, or why it was not needed), for humans. */
  reason: string;
}

/** What {@link initBackend} chose and why, with the outcome of every backend it considered. */
export interface BackendReport {
  /** The backend tfjs now runs on. */
  active: BackendName;
  /** Why this backend was chosen: forced by option/environment, or first that loaded. */
  selectedBy: 'option' | 'environment' | 'preference';
  /** One entry per backend, in preference order, saying what happened to it. */
  attempts: BackendAttempt[];
  /** wasm capabilities when wasm is active. */
  wasm?: WasmReport;
}

/** How the wasm backend runs: SIMD support and thread count. */
export interface WasmReport {
  /** Whether the SIMD build of the wasm backend is in use. */
  simd: boolean;
  /** Threads XNNPACK runs matmuls and convolutions on (1 = the single-threaded build). */
  threads: number;
  /** Why the thread count is what it is (asked for, or why the threaded build did not start). */
  threadsReason: string;
}

/** Which backend {@link initBackend} starts and how many wasm threads it uses. */
export interface InitBackendOptions {
  /** Force a backend; otherwise `SEQGEN_BACKEND`, otherwise the first that loads. */
  backend?: BackendName | 'node';
  /**
   * Threads for the wasm backend; otherwise `SEQGEN_WASM_THREADS`, otherwise one
   * per core. Above 1, tfjs-backend-wasm's threaded SIMD build is started (a
   * failure falls back to the single-threaded build and says why in the report).
   */
  wasmThreads?: number;
}

let current: Promise<BackendReport> | undefined;
let currentKey: string | undefined;

/**
 * Picks and starts the fastest TensorFlow.js backend that loads here:
 * `@tensorflow/tfjs-node` (native TensorFlow), else `@tensorflow/tfjs-backend-wasm`
 * (SIMD), else the pure-JS cpu backend. A forced backend that cannot start is
 * an error, never a silent fallback. Calling it again returns the same report.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const fromEnv = readEnv(BACKEND_ENV)?.trim();
  const requested = options.backend ?? (fromEnv ? fromEnv : undefined);
  let threads: ThreadRequest;
  try {
    threads = wasmThreadCount(options.wasmThreads);
  } catch (error) {
    return Promise.reject(error);
  }
  const key = `${requested ?? ''}|${threads.count}`;
  if (current && currentKey === key) return current;
  currentKey = key;
  current = select(requested, options.backend ? 'option' : fromEnv ? 'environment' : 'preference', threads);
  current.catch(() => {
    current = undefined;
    currentKey = undefined;
  });
  return current;
}

function normalize(name: string): BackendName {
  const lower = name.toLowerCase();
  if (lower === 'node' || lower === 'tfjs-node' || lower === 'tensorflow') return 'tensorflow';
  if (lower === 'wasm' || lower === 'cpu') return lower;
  throw new BackendError(
    'unknown-backend',
    `unknown backend "${name}" (from ${BACKEND_ENV} or options.backend); expected one of: node, wasm, cpu`,
  );
}

interface ThreadRequest {
  count: number;
  source: string;
}

function wasmThreadCount(option: number | undefined): ThreadRequest {
  const fromEnv = readEnv(WASM_THREADS_ENV)?.trim();
  if (option === undefined && !fromEnv) return { count: platform.availableCores(), source: 'one per core' };
  const value = option ?? Number(fromEnv);
  const source = option === undefined ? `${WASM_THREADS_ENV}=${fromEnv}` : `options.wasmThreads=${option}`;
  if (!Number.isInteger(value) || value < 1 || value > 64) {
    const field = option === undefined ? WASM_THREADS_ENV : 'wasmThreads';
    throw new ConfigError(field, `expected a whole number of threads from 1 to 64, got ${option ?? fromEnv}`);
  }
  return { count: value, source };
}

async function select(
  requested: string | undefined,
  selectedBy: BackendReport['selectedBy'],
  threads: ThreadRequest,
): Promise<BackendReport> {
  const forced = requested === undefined ? undefined : normalize(requested);
  const attempts: BackendAttempt[] = [];
  let active: BackendName | undefined;
  let wasmThreads = { threads: 1, reason: '' };
  for (const backend of BACKENDS) {
    if (forced && backend !== forced) {
      attempts.push({ backend, status: 'skipped', reason: `${forced} was forced by ${selectedBy}` });
      continue;
    }
    if (active) {
      attempts.push({ backend, status: 'not-tried', reason: `${active} loaded first` });
      continue;
    }
    try {
      if (backend === 'wasm') wasmThreads = await startWasm(threads);
      else await start(backend);
      active = backend;
      attempts.push({
        backend,
        status: 'active',
        reason: forced ? `forced by ${selectedBy}` : 'first backend that loaded',
      });
    } catch (error) {
      const reason = explainFailure(backend, error);
      attempts.push({ backend, status: 'failed', reason });
      if (forced) {
        throw new BackendError(
          'unavailable',
          `backend ${forced} was forced by ${selectedBy} but cannot start: ${reason}`,
          {
            cause: error,
          },
        );
      }
    }
  }
  if (!active) throw new BackendError('unavailable', 'no TensorFlow.js backend could start');
  const report: BackendReport = { active, selectedBy, attempts };
  if (active === 'wasm') {
    // tfjs's wasm backend cannot train a 2-D convolution without these (ConvLSTM, conv encoders).
    registerWasmConvKernels();
    report.wasm = {
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      threads: wasmThreads.threads,
      threadsReason: wasmThreads.reason,
    };
  }
  return report;
}

/** The threaded wasm build when more than one thread is wanted, else (or if it fails) the single-threaded one. */
async function startWasm(threads: ThreadRequest): Promise<{ threads: number; reason: string }> {
  await import('@tensorflow/tfjs-backend-wasm');
  if (threads.count > 1) {
    try {
      const count = await platform.startThreadedWasm(threads.count);
      return { threads: count, reason: threads.source };
    } catch (error) {
      await start('wasm');
      const why = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      return { threads: 1, reason: `the threaded build did not start (${why}); running single-threaded` };
    }
  }
  await start('wasm');
  return { threads: 1, reason: threads.source };
}

async function start(backend: BackendName): Promise<void> {
  if (backend === 'tensorflow') {
    await platform.importNodeBackend();
  } else if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
  }
  const ok = await tf.setBackend(backend);
  if (!ok || tf.getBackend() !== backend) throw new Error(`tf.setBackend('${backend}') did not take effect`);
  await tf.ready();
  if (backend === 'cpu') {
    // The cpu backend advertises tfjs-node on first use; seqgen's doctor already reports why it is not active.
    (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  }
}

function explainFailure(backend: BackendName, error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = (text.split('\n')[0] ?? '').trim() || 'unknown error';
  if (backend === 'tensorflow') {
    if (/Cannot find (module|package) '@tensorflow\/tfjs-node'/.test(text)) {
      return '@tensorflow/tfjs-node is not installed (optional; install it for native TensorFlow speed)';
    }
    if (text.includes('tfjs_binding.node')) {
      return `@tensorflow/tfjs-node is installed but its native library is missing (its install step could not download libtensorflow): ${first}`;
    }
  }
  return first;
}
