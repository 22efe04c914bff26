import { ConfigError } from '@seqgen/core';
import { platform } from '../platform/node.js';
import { type HelperThread, readEnv } from '../platform/platform.js';
import { gemmPanels, packPanels } from './gemm.js';

/**
 * Matrix products for the cpu backend on every core. tfjs-cpu runs on one
 * thread, and a char-RNN training step there is ~80% products, so the
 * panels of the result are shared out: helper threads (worker_threads,
 * started on first use, one per extra core) take a range each and the
 * calling thread takes the last. Operands and result live in
 * SharedArrayBuffers so nothing is copied to the helpers; a job is a message
 * read synchronously (receiveMessageOnPort) after an Atomics wake-up, which
 * costs microseconds against the milliseconds of a product worth sharing.
 * `SEQGEN_CPU_THREADS` sets the thread count (1: no helpers).
 */
export const CPU_THREADS_ENV = 'SEQGEN_CPU_THREADS';

/** Below this many multiply-adds a hand-off costs more than it saves. */
const PARALLEL_MIN_MACS = 1 << 20;
/** A helper that has not answered by then is given up on (its share is recomputed here). */
const HELPER_TIMEOUT_MS = 30_000;

interface Helper {
  thread: HelperThread;
  /** [jobs posted, jobs done]. */
  control: Int32Array;
  posted: number;
}

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const gemmPanels = ${gemmPanels.toString()};
const { control, port } = workerData;
let seen = 0;
for (;;) {
  Atomics.wait(control, 0, seen);
  seen = Atomics.load(control, 0);
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) {
    const j = m.message;
    gemmPanels(j.a, j.M, j.K, j.packed, j.N, j.c, j.p0, j.p1, j.bias);
  }
  Atomics.store(control, 1, seen);
  Atomics.notify(control, 1);
}`;

/** Threads the cpu products use: `SEQGEN_CPU_THREADS`, else one per core. */
export function cpuThreads(): number {
  const env = readEnv(CPU_THREADS_ENV)?.trim();
  if (!env) return platform.availableCores();
  const n = Number(env);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new ConfigError(CPU_THREADS_ENV, `expected a whole number of threads from 1 to 64, got ${env}`);
  }
  return n;
}

let helpers: Helper[] | undefined;

function startHelpers(): Helper[] {
  if (helpers) return helpers;
  const count = cpuThreads(); // a bad SEQGEN_CPU_THREADS throws here, every time, before anything starts
  helpers = [];
  try {
    for (let k = 1; k < count; k++) {
      const control = new Int32Array(new SharedArrayBuffer(8));
      const thread = platform.startHelperThread(WORKER_SOURCE, control);
      helpers.push({ thread, control, posted: 0 });
    }
  } catch {
    stopHelpers(); // no threads here: every product runs on the calling thread
  }
  return helpers;
}

function stopHelpers(): void {
  for (const h of helpers ?? []) h.thread.terminate();
  helpers = [];
}

/** Helper threads started so far (0 until a large enough product ran, or when threads are off). */
export function cpuHelperCount(): number {
  return helpers?.length ?? 0;
}

/** `b` ([K, N]) packed for gemm, in shared memory when products are shared out to helpers. */
export function packRight(b: Float32Array, K: number, N: number): Float32Array {
  const size = Math.ceil(N / 4) * K * 4;
  return packPanels(b, K, N, startHelpers().length > 0 ? sharedFloats(size) : new Float32Array(size));
}

/** A Float32Array of `n` zeros in a SharedArrayBuffer. */
function sharedFloats(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * 4));
}

function inSharedMemory(x: Float32Array): Float32Array {
  if (typeof SharedArrayBuffer !== 'undefined' && x.buffer instanceof SharedArrayBuffer) return x;
  const copy = sharedFloats(x.length);
  copy.set(x);
  return copy;
}

/** C = A·B (+ bias) for A [M, K] and B packed by packRight. */
export function gemm(
  a: Float32Array,
  M: number,
  K: number,
  packed: Float32Array,
  N: number,
  bias: Float32Array | null,
): Float32Array {
  const panels = Math.ceil(N / 4);
  // Pages that are not cross-origin isolated have no SharedArrayBuffer at all.
  const worthSharing =
    M * K * N >= PARALLEL_MIN_MACS &&
    typeof SharedArrayBuffer !== 'undefined' &&
    packed.buffer instanceof SharedArrayBuffer;
  const pool = worthSharing ? startHelpers() : [];
  const parts = Math.min(pool.length + 1, panels);
  if (parts < 2) {
    const c = new Float32Array(M * N);
    gemmPanels(a, M, K, packed, N, c, 0, panels, bias);
    return c;
  }
  const shared = inSharedMemory(a);
  const sharedBias = bias && inSharedMemory(bias);
  const c = sharedFloats(M * N);
  const bound = (k: number) => Math.round((k * panels) / parts);
  const used = pool.slice(0, parts - 1);
  used.forEach((h, k) => {
    h.thread.postMessage({ a: shared, M, K, packed, N, c, p0: bound(k), p1: bound(k + 1), bias: sharedBias });
    h.posted++;
    Atomics.store(h.control, 0, h.posted);
    Atomics.notify(h.control, 0);
  });
  gemmPanels(shared, M, K, packed, N, c, bound(parts - 1), panels, sharedBias);
  used.forEach((h, k) => {
    for (let done = Atomics.load(h.control, 1); done !== h.posted; done = Atomics.load(h.control, 1)) {
      if (Atomics.wait(h.control, 1, done, HELPER_TIMEOUT_MS) === 'timed-out') {
        stopHelpers();
        gemmPanels(shared, M, K, packed, N, c, bound(k), bound(k + 1), sharedBias);
        break;
      }
    }
  });
  return c;
}
