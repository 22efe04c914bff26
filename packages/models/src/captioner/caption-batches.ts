import { assertPositiveInteger, ConfigError, type JsonObject, Rng, type RngState, ShapeError } from '@seqgen/core';

/**
 * A batch of images with one caption each, in host memory: the images as
 * bytes `[B, H, W, C]` (the model scales them to [0, 1]), decoder inputs
 * `[BOS, w…]` and outputs `[w…, EOS]` `[B, T]`, and the mask of real tokens.
 */
export type CaptionBatch = {
  /** Images in the batch (B). */
  batchSize: number;
  /** Pixels of every image, image after image, HWC bytes. */
  images: Uint8Array;
  /** Caption positions per row (T): the longest caption of the batch plus one. */
  targetLength: number;
  /** Decoder inputs `[B, T]`: BOS, then the caption's tokens, then padding. */
  targetInputs: Int32Array;
  /** Decoder targets `[B, T]`: the caption's tokens, EOS, then padding. */
  targetOutputs: Int32Array;
  /** `[B, T]`: 1 where a target counts. */
  targetMask: Float32Array;
};

/** Images of one size with several reference captions each (token ids, no BOS/EOS). */
export type CaptionedImages = {
  /** Number of images. */
  count: number;
  /** Bytes per image (H·W·C). */
  imageSize: number;
  /** All pixels, image after image. */
  pixels: Uint8Array;
  /** For each image, its reference captions as token ids (each non-empty). */
  captions: readonly (readonly (readonly number[])[])[];
};

/** How {@link CaptionBatchSource} draws batches. */
export type CaptionBatchOptions = {
  /** Images per batch. */
  batchSize: number;
  /** Seed of the draws (default 0). */
  seed?: number;
  /** Padding id (default 0). */
  padId?: number;
  /** Start-of-caption id (default 2). */
  bosId?: number;
  /** End-of-caption id (default 3). */
  eosId?: number;
};

/**
 * The trainer's data source for captioning: each batch draws `batchSize`
 * images at random and one of each image's reference captions at random,
 * so every reference is trained on. Its state is the generator's, so a
 * resumed run sees exactly the batches the interrupted one would have.
 */
export class CaptionBatchSource {
  private readonly rng: Rng;
  private readonly ids: { padId: number; bosId: number; eosId: number };

  constructor(
    private readonly data: CaptionedImages,
    private readonly options: CaptionBatchOptions,
  ) {
    checkCaptionedImages(data);
    assertPositiveInteger('batchSize', options.batchSize);
    this.rng = new Rng(options.seed ?? 0);
    this.ids = { padId: options.padId ?? 0, bosId: options.bosId ?? 2, eosId: options.eosId ?? 3 };
  }

  /** The next random batch (never runs out). */
  next(): CaptionBatch {
    const rows = Array.from({ length: this.options.batchSize }, () => {
      const image = this.rng.int(this.data.count);
      const refs = this.data.captions[image] as readonly (readonly number[])[];
      return { image, caption: refs[this.rng.int(refs.length)] as readonly number[] };
    });
    return captionBatch(this.data, rows, this.ids);
  }

  /** The generator's state, saved in trainer checkpoints. */
  getState(): JsonObject {
    return { rng: [...this.rng.getState()] };
  }

  /** Continues from a `getState` result. */
  setState(state: JsonObject): void {
    const rng = state.rng;
    if (!Array.isArray(rng) || rng.length !== 4) throw new ConfigError('state.rng', 'must be 4 numbers');
    this.rng.setState(rng as unknown as RngState);
  }
}

/**
 * Fixed batches for validation and evaluation: every image once, in order,
 * with its first reference caption.
 */
export function captionBatches(data: CaptionedImages, options: Omit<CaptionBatchOptions, 'seed'>): CaptionBatch[] {
  checkCaptionedImages(data);
  assertPositiveInteger('batchSize', options.batchSize);
  const ids = { padId: options.padId ?? 0, bosId: options.bosId ?? 2, eosId: options.eosId ?? 3 };
  const out: CaptionBatch[] = [];
  for (let start = 0; start < data.count; start += options.batchSize) {
    const rows = [];
    for (let i = start; i < Math.min(data.count, start + options.batchSize); i++) {
      rows.push({ image: i, caption: (data.captions[i] as readonly (readonly number[])[])[0] as readonly number[] });
    }
    out.push(captionBatch(data, rows, ids));
  }
  return out;
}

function captionBatch(
  data: CaptionedImages,
  rows: readonly { image: number; caption: readonly number[] }[],
  ids: { padId: number; bosId: number; eosId: number },
): CaptionBatch {
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.caption.length)) + 1;
  const images = new Uint8Array(B * data.imageSize);
  const targetInputs = new Int32Array(B * T).fill(ids.padId);
  const targetOutputs = new Int32Array(B * T).fill(ids.padId);
  const targetMask = new Float32Array(B * T);
  rows.forEach(({ image, caption }, b) => {
    images.set(data.pixels.subarray(image * data.imageSize, (image + 1) * data.imageSize), b * data.imageSize);
    targetInputs[b * T] = ids.bosId;
    targetInputs.set(caption, b * T + 1);
    targetOutputs.set(caption, b * T);
    targetOutputs[b * T + caption.length] = ids.eosId;
    targetMask.fill(1, b * T, b * T + caption.length + 1);
  });
  return { batchSize: B, images, targetLength: T, targetInputs, targetOutputs, targetMask };
}

function checkCaptionedImages(data: CaptionedImages): void {
  const context = 'CaptionBatchSource';
  if (typeof data !== 'object' || data === null) throw new ShapeError('data', 'CaptionedImages', String(data), context);
  assertPositiveInteger('data.count', data.count);
  assertPositiveInteger('data.imageSize', data.imageSize);
  if (!(data.pixels instanceof Uint8Array) || data.pixels.length !== data.count * data.imageSize) {
    throw new ShapeError('data.pixels', `${data.count * data.imageSize} bytes`, String(data.pixels?.length), context);
  }
  if (!Array.isArray(data.captions) || data.captions.length !== data.count) {
    throw new ShapeError('data.captions', `${data.count} lists of captions`, String(data.captions?.length), context);
  }
  data.captions.forEach((refs, i) => {
    if (!Array.isArray(refs) || refs.length === 0 || refs.some((r) => !Array.isArray(r) || r.length === 0)) {
      throw new ShapeError(`data.captions[${i}]`, 'one or more non-empty token-id captions', String(refs), context);
    }
  });
}
