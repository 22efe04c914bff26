import * as tf from '@tensorflow/tfjs';
import type { CpuBackend, HeapBackend, Values } from './backend-types.js';
import { matMul2d } from './matmul.js';

/**
 * tf.split for the wasm and cpu backends without tfjs's per-piece Slice,
 * which on wasm copies the *whole* input out of the heap for every piece
 * (SplitV was ~11% of a char-LSTM training step). The tensor is viewed as
 * `[outer, axisSize, inner]` and each piece is `outer` contiguous block
 * copies. Any other backend gets tf.split. The gradient concatenates the
 * pieces' gradients, so it works under autodiff too.
 */
export const FAST_SPLIT = 'SeqgenSplit';

interface SplitAttrs {
  sizes: number[];
  axis: number;
}

function layout(x: tf.TensorInfo, { sizes, axis }: SplitAttrs) {
  const outer = tf.util.sizeFromShape(x.shape.slice(0, axis));
  const inner = tf.util.sizeFromShape(x.shape.slice(axis + 1));
  const width = (x.shape[axis] as number) * inner;
  const pieces = sizes.map((size, k) => {
    const offset = sizes.slice(0, k).reduce((a, b) => a + b, 0) * inner;
    const shape = [...x.shape];
    shape[axis] = size;
    return { shape, offset, block: size * inner };
  });
  return { outer, width, pieces };
}

function copyPiece(src: Values, dst: Values, outer: number, width: number, offset: number, block: number): void {
  for (let o = 0; o < outer; o++) dst.set(src.subarray(o * width + offset, o * width + offset + block), o * block);
}

let registered = false;

function register(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: FAST_SPLIT,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const b = backend as unknown as HeapBackend;
      const { outer, width, pieces } = layout(x, attrs as unknown as SplitAttrs);
      const outs = pieces.map((p) => b.makeOutput(p.shape, x.dtype));
      // Views are taken after every allocation: allocating can grow (and move) the wasm heap.
      const src = b.typedArrayFromHeap(x);
      pieces.forEach((p, k) => {
        copyPiece(src, b.typedArrayFromHeap(outs[k] as tf.TensorInfo), outer, width, p.offset, p.block);
      });
      return outs;
    },
  });
  tf.registerKernel({
    kernelName: FAST_SPLIT,
    backendName: 'cpu',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const x = inputs.x as tf.TensorInfo;
      const b = backend as unknown as CpuBackend;
      const { outer, width, pieces } = layout(x, attrs as unknown as SplitAttrs);
      const src = b.data.get(x.dataId).values;
      return pieces.map((p) => {
        const dst = new (src.constructor as new (n: number) => Values)(outer * p.block);
        copyPiece(src, dst, outer, width, p.offset, p.block);
        return b.makeTensorInfo(p.shape, x.dtype, dst);
      });
    },
  });
  tf.registerGradient({
    kernelName: FAST_SPLIT,
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs) => {
      const { sizes, axis } = attrs as unknown as SplitAttrs;
      const x = saved[0] as tf.Tensor;
      const parts = (dy as tf.Tensor[]).map((d, k) => {
        if (d) return d;
        const shape = [...x.shape];
        shape[axis] = sizes[k] as number;
        return tf.zeros(shape);
      });
      return { x: () => tf.concat(parts, axis) };
    },
  });
}

/** Splits `x` along `axis` into pieces of the given sizes (or `count` equal pieces). */
export function fastSplit(x: tf.Tensor, sizes: number | number[], axis: number): tf.Tensor[] {
  const ax = axis < 0 ? x.rank + axis : axis;
  const dim = x.shape[ax] as number;
  const list = typeof sizes === 'number' ? new Array<number>(sizes).fill(dim / sizes) : sizes;
  const backend = tf.getBackend();
  if ((backend !== 'wasm' && backend !== 'cpu') || x.dtype === 'string') return tf.split(x, list, ax);
  register();
  return tf
    .engine()
    .runKernel(FAST_SPLIT, { x }, { sizes: list, axis: ax } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor[];
}

/** Σ over the leading axis of a 2-D tensor as a matmul with a row of ones (wasm reduces non-last axes slowly). */
export function sumRows(x: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(matMul2d(tf.ones([1, x.shape[0]]), x), [x.shape[1]]);
}
