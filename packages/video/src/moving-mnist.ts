import { assertInRange, assertPositiveInteger, ConfigError, Rng, type RngState } from '@seqgen/core';
import { type LabeledImages, MNIST_DIGIT_SIZE } from '@seqgen/vision';

/** Options of {@link MovingMnist}; every default is the standard benchmark's. */
export type MovingMnistOptions = {
  /** Seed of the generator's RNG (default 0): the same seed gives the same sequences. */
  seed?: number;
  /** Frames per sequence (default 20: 10 to condition on, 10 to predict). */
  frames?: number;
  /** Side of the square canvas in pixels (default 64). */
  canvasSize?: number;
  /** Digits per sequence (default 2). */
  digitsPerSequence?: number;
  /**
   * Distance moved per frame as a fraction of the free range `canvasSize − 28`
   * (default 0.1, 3.6 pixels on 64 × 64, as in Srivastava et al. 2015).
   */
  stepLength?: number;
  /** Sequences per batch of {@link MovingMnist.next} and the iterators (default 16). */
  batchSize?: number;
};

/** A digit reaching an edge and reflecting: it moves the other way from `frame` on. */
export type BounceEvent = {
  /** 0-based frame at which the digit touches the edge. */
  frame: number;
  /** Which of the sequence's digits bounced (index into `labels`). */
  digit: number;
  /** `x`: a left or right edge (horizontal velocity flipped); `y`: top or bottom. */
  axis: 'x' | 'y';
};

/** What a sequence shows, besides its pixels: for evaluating recognition and summarization. */
export type MovingMnistInfo = {
  /** The class (0–9) of each digit. */
  labels: number[];
  /** Index of each digit in the digit set it was drawn from. */
  digitIndices: number[];
  /**
   * Top-left corner of each digit in each frame, `[frame][digit] = [x, y]` in
   * pixels before flooring (the digit is drawn at `Math.floor`).
   */
  positions: Array<Array<[number, number]>>;
  /** Every bounce, in frame order. */
  bounces: BounceEvent[];
};

/** One generated sequence: its frames and what moves in them. */
export type MovingMnistSequence = MovingMnistInfo & {
  /** `frames × canvasSize × canvasSize` bytes, frame after frame, digits combined by maximum. */
  frames: Uint8Array;
};

/** A batch of sequences as floats in [0, 1], ready for a `[B, T, H, W, 1]` tensor. */
export type MovingMnistBatch = {
  /** `[batch, frames, canvasSize, canvasSize, 1]`. */
  shape: [number, number, number, number, number];
  /** The pixels, `shape`'s product of them, divided by 255. */
  data: Float32Array;
  /** Each sequence's labels, positions and bounces. */
  info: MovingMnistInfo[];
};

/** What decides a {@link MovingMnist}'s later sequences besides its options: JSON, saved in trainer checkpoints. */
export type MovingMnistState = {
  /** The RNG's four 32-bit words. */
  rng: number[];
};

/**
 * Seeded Moving MNIST (Srivastava et al. 2015, the standard ConvLSTM/PredRNN
 * benchmark): MNIST digits start at uniform random positions on a 64 × 64
 * canvas and move in a uniform random direction at a fixed speed, reflecting
 * off the edges; overlapping digits combine by maximum. It is an endless
 * training stream (`next()`, sync and async iterators, and `getState` /
 * `setState` so that a trainer checkpoint resumes it exactly) and the source
 * of fixed test sets (`writeMovingMnistTestSet`).
 */
export class MovingMnist {
  /** Frames per sequence. */
  readonly frames: number;
  /** Canvas side in pixels. */
  readonly canvasSize: number;
  /** Digits per sequence. */
  readonly digitsPerSequence: number;
  /** Movement per frame as a fraction of the free range. */
  readonly stepLength: number;
  /** Sequences per batch. */
  readonly batchSize: number;
  private readonly rng: Rng;

  constructor(
    /** The 28×28 gray digits drawn from (@seqgen/vision's `loadMnistDigits()`; its `test` split for held-out sets). */
    readonly digits: LabeledImages,
    options: MovingMnistOptions = {},
  ) {
    this.frames = options.frames ?? 20;
    this.canvasSize = options.canvasSize ?? 64;
    this.digitsPerSequence = options.digitsPerSequence ?? 2;
    this.stepLength = options.stepLength ?? 0.1;
    this.batchSize = options.batchSize ?? 16;
    assertPositiveInteger('frames', this.frames);
    assertPositiveInteger('canvasSize', this.canvasSize);
    assertPositiveInteger('digitsPerSequence', this.digitsPerSequence);
    assertPositiveInteger('batchSize', this.batchSize);
    assertInRange('stepLength', this.stepLength, 0, 1);
    if (this.canvasSize < MNIST_DIGIT_SIZE)
      throw new ConfigError(
        'canvasSize',
        `must be at least the digit size ${MNIST_DIGIT_SIZE}, got ${this.canvasSize}`,
      );
    const size = MNIST_DIGIT_SIZE * MNIST_DIGIT_SIZE;
    if (
      !digits ||
      !Number.isInteger(digits.count) ||
      digits.count < 1 ||
      digits.width !== MNIST_DIGIT_SIZE ||
      digits.height !== MNIST_DIGIT_SIZE ||
      digits.channels !== 1 ||
      digits.pixels?.length !== digits.count * size ||
      digits.labels?.length !== digits.count
    )
      throw new ConfigError(
        'digits',
        `must hold count ≥ 1 gray ${MNIST_DIGIT_SIZE}×${MNIST_DIGIT_SIZE} images and as many labels`,
      );
    this.rng = new Rng(options.seed ?? 0);
  }

  /** The next sequence from the generator's RNG. */
  sequence(): MovingMnistSequence {
    const S = this.canvasSize;
    const D = MNIST_DIGIT_SIZE;
    const range = S - D;
    const T = this.frames;
    const frames = new Uint8Array(T * S * S);
    const labels: number[] = [];
    const digitIndices: number[] = [];
    const positions: Array<Array<[number, number]>> = Array.from({ length: T }, () => []);
    const bounces: BounceEvent[] = [];
    for (let d = 0; d < this.digitsPerSequence; d++) {
      const index = this.rng.int(this.digits.count);
      digitIndices.push(index);
      labels.push(this.digits.labels[index] as number);
      const image = this.digits.pixels.subarray(index * D * D, (index + 1) * D * D);
      // Position and velocity in units of the free range: [0, 1] keeps the whole digit on the canvas.
      let x = this.rng.float();
      let y = this.rng.float();
      const theta = this.rng.float() * 2 * Math.PI;
      let vx = Math.cos(theta) * this.stepLength;
      let vy = Math.sin(theta) * this.stepLength;
      for (let t = 0; t < T; t++) {
        if (t > 0) {
          x += vx;
          y += vy;
          // Reflect at the edges: clamp to the edge and reverse that component.
          if (x <= 0 || x >= 1) {
            x = x <= 0 ? 0 : 1;
            vx = -vx;
            bounces.push({ frame: t, digit: d, axis: 'x' });
          }
          if (y <= 0 || y >= 1) {
            y = y <= 0 ? 0 : 1;
            vy = -vy;
            bounces.push({ frame: t, digit: d, axis: 'y' });
          }
        }
        const px = x * range;
        const py = y * range;
        (positions[t] as Array<[number, number]>).push([px, py]);
        drawMax(frames.subarray(t * S * S, (t + 1) * S * S), S, image, Math.floor(px), Math.floor(py));
      }
    }
    bounces.sort((a, b) => a.frame - b.frame || a.digit - b.digit);
    return { frames, labels, digitIndices, positions, bounces };
  }

  /** The next batch of `batchSize` sequences (the trainer's `DataSource.next`). */
  next(): MovingMnistBatch {
    const B = this.batchSize;
    const per = this.frames * this.canvasSize * this.canvasSize;
    const data = new Float32Array(B * per);
    const info: MovingMnistInfo[] = [];
    for (let b = 0; b < B; b++) {
      const { frames, ...rest } = this.sequence();
      for (let i = 0; i < per; i++) data[b * per + i] = (frames[i] as number) / 255;
      info.push(rest);
    }
    return { shape: [B, this.frames, this.canvasSize, this.canvasSize, 1], data, info };
  }

  /** The RNG state, which with the options decides every later sequence (saved in trainer checkpoints). */
  getState(): MovingMnistState {
    return { rng: [...this.rng.getState()] };
  }

  /** Restores a {@link getState} result; a malformed state is a ConfigError. */
  setState(state: { rng?: unknown }): void {
    if (!Array.isArray(state?.rng)) throw new ConfigError('state.rng', 'must be the four numbers getState() returned');
    this.rng.setState(state.rng as unknown as RngState);
  }

  /** Endless batches. */
  *[Symbol.iterator](): Iterator<MovingMnistBatch> {
    while (true) yield this.next();
  }

  /** Endless batches, yielding to the event loop between them (progress bars and Ctrl-C stay live). */
  async *[Symbol.asyncIterator](): AsyncIterator<MovingMnistBatch> {
    while (true) {
      await new Promise((resolve) => setImmediate(resolve));
      yield this.next();
    }
  }
}

/** Draws a digit onto a canvas at (left, top), keeping the brighter pixel where digits overlap. */
function drawMax(canvas: Uint8Array, size: number, image: Uint8Array, left: number, top: number): void {
  for (let r = 0; r < MNIST_DIGIT_SIZE; r++) {
    const row = (top + r) * size + left;
    for (let c = 0; c < MNIST_DIGIT_SIZE; c++) {
      const v = image[r * MNIST_DIGIT_SIZE + c] as number;
      if (v > (canvas[row + c] as number)) canvas[row + c] = v;
    }
  }
}
