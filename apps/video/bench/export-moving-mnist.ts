// Writes the Moving MNIST the app trains and scores on as NumPy files, for the PyTorch trainer
// (bench/torch_forecaster_train.py) of the equal-budget comparison (bench/equal-budget.sh):
//  - test/mnist_test_seq.npy (+ .json): exactly the sequences `eval --task predict --examples N` scores
//    (test digits, TEST_SEED, in order), uint8 [20, N, 64, 64] like the original file, through
//    @seqgen/video's own writer; valid/ the same for the validation sequences `train --valid V` uses;
//  - train_digits.npy uint8 [count, 28, 28] (the training digits) and train_tracks.npy int32
//    [S, 20, 2 digits, 3] (digit index, floored x, floored y per frame and digit): the first S sequences
//    of `train --seed SEED`'s stream (MovingMnist over the training digits, in the order the trainer
//    draws them). The frames are these digits pasted at these corners, combined by maximum, so the
//    trainer renders them exactly and any number of sequences fits in a few MB (frames would be 80 kB
//    each); the trainer checks its renderer against test/'s frames with the test digits, written too.
// Usage (from apps/video): npx tsx bench/export-moving-mnist.ts --out=runs/equal-budget/data
//   [--train=20000] [--seed=1] [--test=256] [--valid=8]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MovingMnist, movingMnistTestSet, writeMovingMnistTestSet, writeNpy } from '@seqgen/video';
import type { LabeledImages } from '@seqgen/vision';
import { digitsOf, TEST_SEED, VALID_SEED } from '../src/moving-mnist-data.js';

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k as string, v as string];
  }),
);
const out = args.get('out') ?? 'runs/equal-budget/data';
const trainCount = Number(args.get('train') ?? 20_000);
const seed = Number(args.get('seed') ?? 1);
const testCount = Number(args.get('test') ?? 256);
const validCount = Number(args.get('valid') ?? 8);
const FRAMES = 20;
const DIGITS = 2;

/** Digits as uint8 [count, 28, 28]. */
function writeDigits(path: string, digits: LabeledImages): void {
  writeNpy(path, {
    shape: [digits.count, digits.height, digits.width],
    dtype: 'uint8',
    data: Uint8Array.from(digits.pixels),
  });
}

/** Each sequence's digit indices and floored corners, [S, frames, digits, 3]. */
function trainTracks(digits: LabeledImages): Int32Array {
  const generator = new MovingMnist(digits, { seed, frames: FRAMES, digitsPerSequence: DIGITS });
  const tracks = new Int32Array(trainCount * FRAMES * DIGITS * 3);
  for (let n = 0; n < trainCount; n++) {
    const s = generator.sequence();
    for (let t = 0; t < FRAMES; t++)
      for (let d = 0; d < DIGITS; d++) {
        const [x, y] = (s.positions[t] as Array<[number, number]>)[d] as [number, number];
        tracks.set([s.digitIndices[d] as number, Math.floor(x), Math.floor(y)], ((n * FRAMES + t) * DIGITS + d) * 3);
      }
  }
  return tracks;
}

/** A .npy of int32 (the package's writer does uint8 and float32): NumPy v1.0 header, little-endian. */
function writeInt32Npy(path: string, shape: number[], data: Int32Array): void {
  const dict = `{'descr': '<i4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  const padded = `${dict.padEnd(Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 - 1, ' ')}\n`;
  const header = new Uint8Array(10 + padded.length);
  header.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, padded.length & 0xff, padded.length >> 8]);
  header.set(new TextEncoder().encode(padded), 10);
  const bytes = new Uint8Array(header.length + data.byteLength);
  bytes.set(header);
  bytes.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  writeFileSync(path, bytes);
}

const started = performance.now();
rmSync(out, { recursive: true, force: true });
for (const [dir, set] of [
  ['test', movingMnistTestSet(digitsOf('test'), { seed: TEST_SEED, frames: FRAMES, count: testCount })],
  ['valid', movingMnistTestSet(digitsOf('test'), { seed: VALID_SEED, frames: FRAMES, count: validCount })],
] as const) {
  mkdirSync(join(out, dir), { recursive: true });
  writeMovingMnistTestSet(join(out, dir), set);
}
writeDigits(join(out, 'test_digits.npy'), digitsOf('test'));
writeDigits(join(out, 'train_digits.npy'), digitsOf('train'));
writeInt32Npy(join(out, 'train_tracks.npy'), [trainCount, FRAMES, DIGITS, 3], trainTracks(digitsOf('train')));
console.log(
  `wrote ${out}: ${testCount} test and ${validCount} validation sequences (frames), ${trainCount} training ` +
    `sequences (seed ${seed}) as digit tracks, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
