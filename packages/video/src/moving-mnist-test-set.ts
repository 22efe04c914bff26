import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertPositiveInteger } from '@seqgen/core';
import type { LabeledImages } from '@seqgen/vision';
import { MovingMnist, type MovingMnistInfo, type MovingMnistOptions } from './moving-mnist.js';
import type { NpyArray } from './npy.js';
import { readNpy, writeNpy } from './npy-files.js';
import { VideoDataError } from './video-data-error.js';
import { writeFileAtomic } from './write-file-atomic.js';

/** File name of the frames, as the original Moving MNIST test set names it. */
export const MOVING_MNIST_NPY = 'mnist_test_seq.npy';
/** File name of the sidecar with the generator options and each sequence's labels, positions and bounces. */
export const MOVING_MNIST_INFO = 'mnist_test_seq.json';

/** A Moving MNIST test set: frames in the original `[T, N, H, W]` uint8 layout, plus what moves in them. */
export type MovingMnistTestSet = {
  /** `uint8` of shape `[frames, sequences, canvasSize, canvasSize]` (frame-major, like `mnist_test_seq.npy`). */
  frames: NpyArray;
  /** The generator options it was made with (seed included). */
  options: Required<Omit<MovingMnistOptions, 'batchSize'>>;
  /** Per sequence: labels, positions and bounce events. */
  info: MovingMnistInfo[];
};

/** Generates `count` sequences (default 10,000, the original's size) in the original layout. */
export function movingMnistTestSet(
  digits: LabeledImages,
  options: Omit<MovingMnistOptions, 'batchSize'> & { count?: number } = {},
): MovingMnistTestSet {
  const count = options.count ?? 10000;
  assertPositiveInteger('count', count);
  const generator = new MovingMnist(digits, options);
  const T = generator.frames;
  const frameSize = generator.canvasSize * generator.canvasSize;
  const data = new Uint8Array(T * count * frameSize);
  const info: MovingMnistInfo[] = [];
  for (let n = 0; n < count; n++) {
    const { frames, ...rest } = generator.sequence();
    // Frame-major like the original: frame t of sequence n starts at (t * count + n) * frameSize.
    for (let t = 0; t < T; t++)
      data.set(frames.subarray(t * frameSize, (t + 1) * frameSize), (t * count + n) * frameSize);
    info.push(rest);
  }
  return {
    frames: { shape: [T, count, generator.canvasSize, generator.canvasSize], dtype: 'uint8', data },
    options: {
      seed: options.seed ?? 0,
      frames: T,
      canvasSize: generator.canvasSize,
      digitsPerSequence: generator.digitsPerSequence,
      stepLength: generator.stepLength,
    },
    info,
  };
}

/**
 * Writes a test set into `dir` once: `mnist_test_seq.npy` (NumPy v1.0,
 * `uint8 [T, N, 64, 64]`, readable by `numpy.load` and by code written for
 * the original file) and `mnist_test_seq.json` (options, labels, positions,
 * bounces). An existing set is never overwritten: that is an `exists`
 * VideoDataError (read it with {@link readMovingMnistTestSet}).
 */
export function writeMovingMnistTestSet(dir: string, set: MovingMnistTestSet): void {
  const npy = join(dir, MOVING_MNIST_NPY);
  if (existsSync(npy))
    throw new VideoDataError('exists', npy, 'a test set is already there; it is written once and never overwritten');
  // The sidecar first: a set whose .npy exists is complete.
  writeFileAtomic(
    join(dir, MOVING_MNIST_INFO),
    new TextEncoder().encode(JSON.stringify({ options: set.options, info: set.info })),
  );
  writeNpy(npy, set.frames);
}

/** Reads a test set written by {@link writeMovingMnistTestSet}, checking that frames and sidecar agree. */
export function readMovingMnistTestSet(dir: string): MovingMnistTestSet {
  const npyPath = join(dir, MOVING_MNIST_NPY);
  const infoPath = join(dir, MOVING_MNIST_INFO);
  const frames = readNpy(npyPath, { maxFileBytes: 2 ** 32 });
  if (frames.dtype !== 'uint8' || frames.shape.length !== 4 || frames.shape[2] !== frames.shape[3])
    throw new VideoDataError(
      'corrupt',
      npyPath,
      `must be uint8 [T, N, S, S], got ${frames.dtype} [${frames.shape.join(', ')}]`,
    );
  let sidecar: { options?: MovingMnistTestSet['options']; info?: MovingMnistInfo[] };
  try {
    sidecar = JSON.parse(readFileSync(infoPath, 'utf8'));
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'not-found' : 'corrupt';
    throw new VideoDataError(reason, infoPath, `cannot read the sidecar: ${(cause as Error).message}`, { cause });
  }
  const [T, N, S] = frames.shape as [number, number, number, number];
  const { options, info } = sidecar ?? {};
  if (!options || !Array.isArray(info) || info.length !== N || options.frames !== T || options.canvasSize !== S)
    throw new VideoDataError('corrupt', infoPath, `does not describe ${N} sequences of ${T} frames of ${S}×${S}`);
  return { frames, options, info };
}
