import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import workerThreads from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';

/**
 * Starts tfjs-backend-wasm's own multi-threaded SIMD build (XNNPACK with a
 * pthread pool) under Node.js, which tfjs itself only enables in browsers
 * (tensorflow/tfjs#3830). The build works in Node once three browser
 * assumptions are met for the duration of `tf.setBackend('wasm')`:
 *
 * 1. Emscripten starts its pthread workers from `URL.createObjectURL(blob)`,
 *    which Node's `Worker` cannot open: the worker script is written to a file
 *    instead, and that script loads the threaded module from its real path.
 * 2. The C++ side caps the pool at half of the logical cores (it assumes
 *    hyper-threading) and reads that count from `os.cpus()`: the count is
 *    doubled so the cap becomes the cores themselves.
 * 3. Emscripten keeps running pthread workers referenced, so the process would
 *    never exit; and a worker inherits the parent's `execArgv`, which may hold
 *    flags a worker refuses (`--input-type`, `-e`). While the pool starts,
 *    `worker_threads.Worker` is a subclass that never refs and passes no flags.
 *
 * Everything is restored afterwards. Returns the thread count XNNPACK uses.
 */
export async function startThreadedWasm(threads: number): Promise<number> {
  const require = createRequire(import.meta.url);
  const wasmPackage = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  // The module instance initBackend imported, so setThreadsCount reaches the backend it registered.
  const wasmBackend = await import('@tensorflow/tfjs-backend-wasm');
  const workerFile = writeWorkerScript(wasmPackage, require);

  const originalObjectUrl = URL.createObjectURL;
  const originalCpus = os.cpus;
  const originalWorker = workerThreads.Worker;
  URL.createObjectURL = (blob: Blob) =>
    blob instanceof Blob && blob.type === 'application/javascript' ? workerFile : originalObjectUrl(blob);
  os.cpus = () => {
    const cpus = originalCpus();
    return [...cpus, ...cpus];
  };
  workerThreads.Worker = poolWorkerClass();
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasmBackend.setThreadsCount(threads);
  try {
    const ok = await tf.setBackend('wasm');
    if (!ok || tf.getBackend() !== 'wasm') throw new Error("tf.setBackend('wasm') did not take effect");
    await tf.ready();
    return wasmBackend.getThreadsCount();
  } catch (error) {
    // Leave tfjs ready for a single-threaded retry.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    wasmBackend.setThreadsCount(1);
    throw error;
  } finally {
    URL.createObjectURL = originalObjectUrl;
    os.cpus = originalCpus;
    workerThreads.Worker = originalWorker;
  }
}

let poolWorker: typeof workerThreads.Worker | undefined;

/**
 * A pthread worker: never keeps the process alive, and starts without the
 * parent's Node.js flags. Made on first use, so that importing core defines no
 * subclass of a Node class.
 */
function poolWorkerClass(): typeof workerThreads.Worker {
  poolWorker ??= class PoolWorker extends workerThreads.Worker {
    constructor(filename: string | URL, options: workerThreads.WorkerOptions = {}) {
      super(filename, { ...options, execArgv: [] });
      this.unref();
    }
    override ref(): void {}
  };
  return poolWorker;
}

/** The pthread worker script as a file Node can start, written once per tfjs version (atomically). */
function writeWorkerScript(wasmPackage: string, require: NodeJS.Require): string {
  const outDir = join(wasmPackage, 'wasm-out');
  const factory = join(outDir, 'tfjs-backend-wasm-threaded-simd.js');
  const { wasmWorkerContents } = require(join(outDir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as {
    wasmWorkerContents: string;
  };
  // Inside the worker, the "blob" it is told to import is the threaded module's own file.
  const prelude = `URL.createObjectURL = () => ${JSON.stringify(factory)}; URL.revokeObjectURL = () => {};\n`;
  // tfjs escapes the newlines the same way before it makes its blob.
  const script = prelude + wasmWorkerContents.replace(/\n/g, '\\n');
  const hash = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const dir = join(os.tmpdir(), 'seqgen');
  const file = join(dir, `tfjs-wasm-worker-${hash}.cjs`);
  if (existsSync(file) && readFileSync(file, 'utf8') === script) return file;
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, script);
  renameSync(temp, file);
  return file;
}
