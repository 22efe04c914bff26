import type { JsonObject } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import type { ApplyOptions, LayerResult } from './recurrent-layer.js';

/** What stacks accept: a one-direction layer or a bidirectional pair. */
export interface SequenceLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  /** Trainable weights by name, prefixed by position (`forward/kernel`, ...). */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  apply(x: tf.Tensor, options?: ApplyOptions): LayerResult;
  /** `type`-tagged plain JSON; `layerFromConfig` rebuilds the layer from it. */
  getConfig(): JsonObject & { type: string };
  dispose(): void;
}
