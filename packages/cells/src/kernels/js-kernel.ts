import { ShapeError } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { CpuBackend, HeapBackend } from './backend-types.js';

/**
 * Element-wise kernels written in JavaScript for the wasm and cpu backends.
 *
 * One recurrent step is a dozen small element-wise ops, and tfjs spends
 * ≈ 20 µs of fixed cost on each (engine bookkeeping, an output allocation,
 * the call into wasm) against ≈ 1 µs of arithmetic. A kernel that does the
 * whole chain in one pass over the rows costs one op. Transcendental
 * functions stay in tfjs: XNNPACK's SIMD sigmoid is ~10× faster than
 * Math.exp in a loop, so the kernels sit between sigmoid calls.
 *
 * On wasm a kernel reads and writes the heap in place; on cpu it works on the
 * backend's arrays. Any other backend runs `composed`, the same computation
 * in tf ops (also the reference the kernels are tested against). Kernels
 * have no gradient: the fused layers call them inside their own custom
 * gradients.
 */
export interface JsKernelSpec<A extends Record<string, number>> {
  name: string;
  /** Shapes of the outputs for the given input shapes. */
  outputShapes(shapes: number[][], attrs: A): number[][];
  /** Fills every element of every output (outputs start uninitialized). */
  run(inputs: Float32Array[], outputs: Float32Array[], shapes: number[][], attrs: A): void;
  /** The same computation in tf ops, for the other backends. */
  composed(inputs: tf.Tensor[], attrs: A): tf.Tensor[];
}

/** How a backend allocates an output and exposes a tensor's values as a Float32Array. */
interface Memory {
  allocate(shape: number[]): tf.TensorInfo;
  values(t: tf.TensorInfo): Float32Array;
}

const memories: Record<'wasm' | 'cpu', (backend: unknown) => Memory> = {
  wasm: (backend) => {
    const b = backend as HeapBackend<Float32Array>;
    return { allocate: (shape) => b.makeOutput(shape, 'float32'), values: (t) => b.typedArrayFromHeap(t) };
  },
  cpu: (backend) => {
    const b = backend as CpuBackend<Float32Array>;
    return {
      allocate: (shape) => b.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
      values: (t) => b.data.get(t.dataId).values,
    };
  },
};

/**
 * Registers `spec` as a tfjs kernel on wasm and cpu: it reads its inputs
 * (`x0`, `x1`, …) and writes its outputs in the backend's own memory. Kernels
 * written in native code (`@seqgen/native`) go through this too.
 */
export function registerHeapKernel<A extends Record<string, number>>(spec: Omit<JsKernelSpec<A>, 'composed'>): void {
  for (const backendName of ['wasm', 'cpu'] as const) {
    tf.registerKernel({
      kernelName: spec.name,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }) => {
        const memory = memories[backendName](backend);
        const xs = Array.from({ length: Object.keys(inputs).length }, (_, i) => inputs[`x${i}`] as tf.TensorInfo);
        const shapes = xs.map((x) => x.shape);
        const outs = spec.outputShapes(shapes, attrs as A).map((s) => memory.allocate(s));
        // Views are taken after every allocation: allocating can grow (and move) the wasm heap.
        spec.run(xs.map(memory.values), outs.map(memory.values), shapes, attrs as A);
        return outs;
      },
    });
  }
}

/** Runs a kernel registered by {@link registerHeapKernel} on `inputs` (passed as `x0`, `x1`, …). */
export function runHeapKernel<A extends Record<string, number>>(
  name: string,
  inputs: tf.Tensor[],
  attrs: A,
): tf.Tensor[] {
  const named: tf.NamedTensorMap = {};
  inputs.forEach((x, i) => {
    named[`x${i}`] = x;
  });
  return tf.engine().runKernel(name, named, attrs as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

type Tuple<T, N extends number, R extends T[] = []> = R['length'] extends N ? R : Tuple<T, N, [T, ...R]>;

/** The first `n` arrays of a kernel's inputs, typed as present (a `run` receives what its caller passed). */
export function leading<N extends number>(arrays: Float32Array[], n: N): Tuple<Float32Array, N> {
  return arrays.slice(0, n) as Tuple<Float32Array, N>;
}

/** A kernel as a function of its inputs and attributes; `composed` is its tf-ops form. */
export type JsKernel<A> = ((inputs: tf.Tensor[], attrs: A) => tf.Tensor[]) & {
  composed: (inputs: tf.Tensor[], attrs: A) => tf.Tensor[];
};

let enabled = true;

/** Turns the JavaScript kernels off (every backend then runs the composed forms) or back on; for tests. */
export function setJsKernels(on: boolean): void {
  enabled = on;
}

/** A function that runs the kernel on wasm and cpu, and its composed form on any other backend. */
export function jsKernel<A extends Record<string, number>>(spec: JsKernelSpec<A>): JsKernel<A> {
  let registered = false;
  const run = (inputs: tf.Tensor[], attrs: A): tf.Tensor[] => {
    const backend = tf.getBackend();
    if (!enabled || (backend !== 'wasm' && backend !== 'cpu')) return spec.composed(inputs, attrs);
    inputs.forEach((x, i) => {
      if (x.dtype !== 'float32') throw new ShapeError(`input ${i}`, 'float32', x.dtype, spec.name);
    });
    if (!registered) {
      registerHeapKernel(spec);
      registered = true;
    }
    return runHeapKernel(spec.name, inputs, attrs);
  };
  return Object.assign(run, { composed: spec.composed });
}
