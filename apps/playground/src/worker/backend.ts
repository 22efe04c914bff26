import { initBackend } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The backend the worker runs on, and a notice for the page when it is not the one asked for. */
export type StartedBackend = { backend: string; notice: string | null };

/** The backends the page can ask for (`?backend=`). */
export type WantedBackend = 'wasm' | 'webgl' | 'cpu';

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
 * Starts tfjs in the worker: wasm (its binaries are Vite assets, so they are served with the page),
 * else the pure-JS cpu backend with a notice saying why — the page shows it, generation still works.
 * WebGL, when asked for, falls back to wasm the same way.
 */
export async function startBackend(wanted: WantedBackend): Promise<StartedBackend> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainWasm,
    'tfjs-backend-wasm-simd.wasm': simdWasm,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
  });
  let notice: string | null = null;
  if (wanted === 'webgl') {
    try {
      await startWebgl();
      return { backend: 'webgl', notice: null };
    } catch (error) {
      notice = `WebGL backend unavailable (${error instanceof Error ? error.message : String(error)}); running on WebAssembly`;
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
