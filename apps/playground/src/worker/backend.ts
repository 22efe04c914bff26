import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../protocol.js';

/** The backend the worker runs on, and a notice for the page when it is not the one asked for. */
export type StartedBackend = { backend: string; notice: string | null };

/** What the worker's `navigator` offers of WebGPU (typed here: the DOM library has no WebGPU types yet). */
type WorkerNavigatorWithGpu = { gpu?: { requestAdapter(): Promise<unknown | null> } };

/**
 * tfjs's WebGL backend (registered by @tensorflow/tfjs) on an OffscreenCanvas in the worker;
 * seqgen's `initBackend` starts only wasm and cpu, so this one is set directly.
 */
async function startWebgl(): Promise<void> {
  if (typeof OffscreenCanvas === 'undefined') throw new Error('this browser has no OffscreenCanvas in workers');
  if (!(await tf.setBackend('webgl')) || tf.getBackend() !== 'webgl') throw new Error('WebGL did not start');
  await tf.ready();
}

/**
 * tfjs's WebGPU backend, imported only when asked for (its own chunk: the default page never
 * downloads it), after checking that the worker has WebGPU and a GPU adapter, so that a machine
 * without one gets a reason rather than tfjs's console warnings.
 */
async function startWebgpu(): Promise<void> {
  const { gpu } = navigator as unknown as WorkerNavigatorWithGpu;
  if (!gpu) throw new Error('this browser has no WebGPU in workers (navigator.gpu is missing)');
  if (!(await gpu.requestAdapter())) throw new Error('WebGPU found no GPU adapter');
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error('WebGPU did not start');
  await tf.ready();
}

/** The GPU backends, by name, with the label the page's notice uses. */
const GPU_BACKENDS = {
  webgpu: { label: 'WebGPU', start: startWebgpu },
  webgl: { label: 'WebGL', start: startWebgl },
} as const;

/**
 * Starts tfjs in the worker: wasm (its binaries are Vite assets, so they are served with the page),
 * else the pure-JS cpu backend with a notice saying why — the page shows it, generation still works.
 * WebGPU and WebGL, when asked for, fall back to wasm the same way.
 */
export async function startBackend(wanted: BackendName): Promise<StartedBackend> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainWasm,
    'tfjs-backend-wasm-simd.wasm': simdWasm,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
  });
  let notice: string | null = null;
  if (wanted === 'webgpu' || wanted === 'webgl') {
    const { label, start } = GPU_BACKENDS[wanted];
    try {
      await start();
      return { backend: wanted, notice: null };
    } catch (error) {
      notice = `${label} backend unavailable (${error instanceof Error ? error.message : String(error)}); running on WebAssembly`;
    }
  }
  if (wanted === 'cpu') {
    const report = await initBackend({ backend: 'cpu' });
    return { backend: report.active, notice: null };
  }
  try {
    // One thread: several need cross-origin isolation, which static hosting rarely gives.
    const report = await initBackend({ backend: 'wasm', wasmThreads: 1 });
    return { backend: report.active, notice };
  } catch (error) {
    const report = await initBackend({ backend: 'cpu' });
    const why = error instanceof Error ? error.message : String(error);
    return {
      backend: report.active,
      notice: `WebAssembly backend unavailable (${why}); running on the slower cpu backend`,
    };
  }
}
