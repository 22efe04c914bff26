import * as tf from '@tensorflow/tfjs';

/**
 * Collects the attention weights of every decoder step while
 * `@seqgen/samplers`' `generateFrames` decodes a `Tacotron` (which hands the
 * model nothing but frames and state): pass it as the condition's
 * `alignments`, and each `step` keeps a copy of its weights `[B, S]` here —
 * constant work per step. Read the rows with {@link read}, which frees them.
 */
export class AlignmentRecorder {
  // A private field: tfjs and samplers walk the enumerable fields of what a step returns, and this list grows.
  #steps: tf.Tensor2D[] = [];

  /** Steps recorded so far. */
  get length(): number {
    return this.#steps.length;
  }

  /** Keeps a copy of one step's weights `[B, S]` (outside any `tf.tidy`). */
  record(weights: tf.Tensor2D): void {
    this.#steps.push(tf.keep(tf.clone(weights)));
  }

  /** The recorded weights as `[row][step]` arrays of `S` values each; frees the tensors. */
  async read(): Promise<Float32Array[][]> {
    const steps = this.#steps;
    this.#steps = [];
    if (steps.length === 0) return [];
    const [B, S] = (steps[0] as tf.Tensor2D).shape;
    const data = await Promise.all(steps.map((t) => t.data()));
    tf.dispose(steps);
    return Array.from({ length: B }, (_, b) =>
      data.map((values) => Float32Array.from(values.subarray(b * S, (b + 1) * S) as Float32Array)),
    );
  }

  /** Frees whatever was recorded and not read. */
  dispose(): void {
    tf.dispose(this.#steps);
    this.#steps = [];
  }
}
