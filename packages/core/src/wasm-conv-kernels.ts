import * as tf from '@tensorflow/tfjs';

/**
 * Convolution gradients on the wasm backend's fast path. tfjs 4.22's wasm
 * backend has no `Conv2DBackpropFilter` at all (a conv net cannot train
 * there: "kernel not registered"; the cpu backend is ~10× slower), and its
 * `Conv2DBackpropInput` is a plain loop that took half of an encoder training
 * step. Both are rebuilt here from wasm's own fast kernels:
 * - filter gradient: im2col of the input in JS (contiguous `[B·oH·oW, kH·kW·Cin]`),
 *   then `dWᵀ = dyᵀ · cols` with wasm's Transpose and plain BatchMatMul (its
 *   transpose flags are ~12× slower) and a small transpose back;
 * - input gradient (stride 1): a forward XNNPACK Conv2D of `dy` with the
 *   filter flipped 180° and its channels swapped, padded by `k − 1 − pad`;
 *   other strides keep tfjs's kernel.
 */

/** The parts of the wasm backend these kernels use (its class is not exported as a type). */
type WasmBackend = {
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: Float32Array): tf.TensorInfo;
  disposeData(dataId: object): boolean;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
};

type ConvGradAttrs = {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape?: [number, number, number, number];
  inputShape?: [number, number, number, number];
};

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

function wasmKernel(name: string): tf.KernelFunc {
  const kernel = tf.getKernel(name, 'wasm');
  if (!kernel) throw new Error(`seqgen wasm conv gradients: wasm ${name} is not registered`);
  return kernel.kernelFunc;
}

function run(name: string, args: KernelArgs, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): tf.TensorInfo {
  return wasmKernel(name)({ inputs, backend: args.backend as tf.KernelBackend, attrs }) as tf.TensorInfo;
}

function conv2dBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const backend = args.backend as WasmBackend;
  const x = args.inputs.x as tf.TensorInfo;
  const dy = args.inputs.dy as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvGradAttrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (seqgen wasm kernel): only NHWC is supported');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const k = filterHeight * filterWidth * inChannels;
  const n = batchSize * outHeight * outWidth;
  const xs = backend.typedArrayFromHeap(x);
  // cols[pos][(kh·kW + kw)·Cin + ci] = x[b, oh·sH − padTop + kh, ow·sW − padLeft + kw, ci]; zero outside.
  const cols = new Float32Array(n * k);
  let pos = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, pos++) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * strideHeight - padTop + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * strideWidth - padLeft + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const src = ((b * inHeight + ih) * inWidth + iw) * inChannels;
            cols.set(xs.subarray(src, src + inChannels), pos * k + (kh * filterWidth + kw) * inChannels);
          }
        }
      }
    }
  }
  const colsInfo = backend.makeOutput([1, n, k], 'float32', undefined, cols);
  const dy2: tf.TensorInfo = { dataId: dy.dataId, shape: [n, outChannels], dtype: 'float32' };
  const dyT = run('Transpose', args, { x: dy2 }, { perm: [1, 0] });
  const dyT3: tf.TensorInfo = { dataId: dyT.dataId, shape: [1, outChannels, n], dtype: 'float32' };
  const dwT = run('BatchMatMul', args, { a: dyT3, b: colsInfo }, { transposeA: false, transposeB: false });
  backend.disposeData(colsInfo.dataId);
  backend.disposeData(dyT.dataId);
  const dwT2: tf.TensorInfo = { dataId: dwT.dataId, shape: [outChannels, k], dtype: 'float32' };
  const dw = run('Transpose', args, { x: dwT2 }, { perm: [1, 0] });
  backend.disposeData(dwT.dataId);
  return { dataId: dw.dataId, shape: [filterHeight, filterWidth, inChannels, outChannels], dtype: 'float32' };
}

function makeBackpropInput(fallback: tf.KernelFunc | undefined) {
  return function conv2dBackpropInput(args: KernelArgs): tf.TensorInfo {
    const backend = args.backend as WasmBackend;
    const dy = args.inputs.dy as tf.TensorInfo;
    const filter = args.inputs.filter as tf.TensorInfo;
    const attrs = args.attrs as unknown as ConvGradAttrs;
    const inputShape = attrs.inputShape as [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      'channelsLast',
    );
    if (attrs.dataFormat === 'NCHW' || info.strideHeight !== 1 || info.strideWidth !== 1) {
      if (!fallback) throw new Error('Conv2DBackpropInput (seqgen wasm kernel): only NHWC with stride 1 is supported');
      return fallback(args as never) as tf.TensorInfo;
    }
    const { filterHeight: kh, filterWidth: kw, inChannels: ci, outChannels: co } = info;
    // flipped[kh', kw', co, ci] = filter[kh−1−kh', kw−1−kw', ci, co]
    const w = backend.typedArrayFromHeap(filter);
    const flipped = new Float32Array(w.length);
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) {
        const src = ((kh - 1 - a) * kw + (kw - 1 - b)) * ci * co;
        const dst = (a * kw + b) * co * ci;
        for (let i = 0; i < ci; i++)
          for (let o = 0; o < co; o++) flipped[dst + o * ci + i] = w[src + i * co + o] as number;
      }
    }
    const flippedInfo = backend.makeOutput([kh, kw, co, ci], 'float32', undefined, flipped);
    const top = kh - 1 - info.padInfo.top;
    const left = kw - 1 - info.padInfo.left;
    const bottom = info.inHeight - info.outHeight + kh - 1 - top;
    const right = info.inWidth - info.outWidth + kw - 1 - left;
    const dx = run(
      'Conv2D',
      args,
      { x: dy, filter: flippedInfo },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ] as unknown as tf.NamedAttrMap[string],
        dataFormat: 'NHWC',
      },
    );
    backend.disposeData(flippedInfo.dataId);
    return dx;
  };
}

let registered = false;

/**
 * Registers seqgen's wasm `Conv2DBackpropFilter` (when tfjs has none) and its
 * stride-1 `Conv2DBackpropInput` (in place of tfjs's slower loop, which stays
 * the fallback for other strides). Idempotent, and a no-op until the wasm
 * backend's module is loaded; `initBackend` calls it when wasm becomes
 * the backend (so do @seqgen/vision's encoder and @seqgen/cells' convolutions,
 * for code that started wasm without it). Returns whether this call
 * registered anything.
 */
export function registerWasmConvKernels(): boolean {
  // Before @tensorflow/tfjs-backend-wasm is imported there is nothing to
  // replace, and its import would overwrite what we registered: wait for it.
  if (registered || !tf.getKernel('Conv2D', 'wasm')) return false;
  registered = true;
  if (!tf.getKernel('Conv2DBackpropFilter', 'wasm')) {
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName: 'wasm',
      kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
    });
  }
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: makeBackpropInput(original?.kernelFunc) as unknown as tf.KernelFunc,
    // The fallback needs the original's wasm bindings, set up when the backend starts.
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
  });
  return true;
}
