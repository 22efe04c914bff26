import type { JsonObject } from '@seqgen/core';
import { assertPositiveInteger, ConfigError, Rng } from '@seqgen/core';
import type { DataSource } from '@seqgen/trainer';
import type { LabeledImages } from './image-dataset.js';

/**
 * One classification batch as plain arrays (the model makes the tensors
 * inside its loss, so the trainer's tidy frees them): `size` images as bytes
 * in HWC order and their labels.
 */
export type ImageBatch = {
  /** Images in the batch. */
  size: number;
  /** `size × H × W × C` bytes. */
  pixels: Uint8Array;
  /** `size` class indices. */
  labels: Int32Array;
};

/** Copies images `indices` of a set into one {@link ImageBatch}. */
export function gatherBatch(set: LabeledImages, indices: ArrayLike<number>): ImageBatch {
  const size = set.width * set.height * set.channels;
  const pixels = new Uint8Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    pixels.set(set.pixels.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j] as number;
  }
  return { size: indices.length, pixels, labels };
}

/** One ordered pass over a set in batches (the last may be smaller): for validation and test accuracy. */
export function* imageBatches(set: LabeledImages, batchSize: number): Generator<ImageBatch> {
  assertPositiveInteger('batchSize', batchSize);
  for (let start = 0; start < set.count; start += batchSize) {
    const end = Math.min(set.count, start + batchSize);
    yield gatherBatch(
      set,
      Array.from({ length: end - start }, (_, i) => start + i),
    );
  }
}

/**
 * An endless, seeded, resumable supply of shuffled training batches (a new
 * permutation each epoch), the `DataSource` a `Trainer` reads.
 */
export class ImageBatcher implements DataSource<ImageBatch> {
  private readonly set: LabeledImages;
  private readonly batchSize: number;
  private rng: Rng;
  private order: Int32Array = new Int32Array(0);
  private cursor = 0;
  private epoch = 0;

  constructor(set: LabeledImages, options: { batchSize: number; seed?: number }) {
    assertPositiveInteger('batchSize', options.batchSize);
    if (set.count < options.batchSize) {
      throw new ConfigError('batchSize', `${options.batchSize} exceeds the ${set.count} images of the set`);
    }
    this.set = set;
    this.batchSize = options.batchSize;
    this.rng = new Rng(options.seed ?? 0);
    this.shuffle();
  }

  private shuffle(): void {
    const order = Int32Array.from({ length: this.set.count }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      const t = order[i] as number;
      order[i] = order[j] as number;
      order[j] = t;
    }
    this.order = order;
    this.cursor = 0;
  }

  /** The next shuffled batch; a new epoch (fresh permutation) starts when the set runs out. */
  next(): ImageBatch {
    if (this.cursor + this.batchSize > this.order.length) {
      this.epoch++;
      this.shuffle();
    }
    const indices = this.order.subarray(this.cursor, this.cursor + this.batchSize);
    this.cursor += this.batchSize;
    return gatherBatch(this.set, indices);
  }

  /** Epochs completed so far. */
  get epochs(): number {
    return this.epoch;
  }

  /** The RNG before this epoch's shuffle and the cursor within it. */
  getState(): JsonObject {
    return {
      epoch: this.epoch,
      cursor: this.cursor,
      order: Array.from(this.order),
      rng: this.rng.getState() as unknown as JsonObject,
    };
  }

  /** Restores a {@link ImageBatcher.getState} result. */
  setState(state: JsonObject): void {
    const order = state.order as number[];
    if (!Array.isArray(order) || order.length !== this.set.count)
      throw new ConfigError('state.order', `must list ${this.set.count} indices`);
    this.order = Int32Array.from(order);
    this.cursor = state.cursor as number;
    this.epoch = state.epoch as number;
    this.rng.setState(state.rng as never);
  }
}
