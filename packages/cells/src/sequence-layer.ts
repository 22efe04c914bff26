import type * as tf from '@tensorflow/tfjs';
import type { TaggedConfigJson } from './config-json.js';
import type { ApplyOptions, LayerResult } from './recurrent-layer.js';

/** What stacks accept: a one-direction layer or a bidirectional pair. */
export interface SequenceLayer {
  /** Features per input step: the last axis of `x`. */
  readonly inputSize: number;
  /** Features per output step: the last axis of `output`. */
  readonly outputSize: number;
  /** Trainable weights by name, prefixed by position (`forward/kernel`, ...). */
  readonly variables: Readonly<Record<string, tf.Variable>>;
  /** Runs the layer over `x` `[B, T, inputSize]`, returning outputs and final state. */
  apply(x: tf.Tensor, options?: ApplyOptions): LayerResult;
  /** `type`-tagged plain JSON; `layerFromConfig` rebuilds the layer from it. */
  getConfig(): TaggedConfigJson;
  /** Frees the layer's weights. */
  dispose(): void;
}
