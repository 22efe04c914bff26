import type { AttentionMatrix, StepTrace } from '@seqgen/interpret';
import type { Captioner } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';

/** A caption read back through its captioner: where it attended and what its decoder LSTM held at every word. */
export type CaptionTrace = {
  /** Row t: the attention over the feature-map positions when emitting word t (the last row: the end token). */
  attention: AttentionMatrix;
  /** Per decoder layer `h` and `c` (`steps × hiddenSize`), step t being the state that emitted word t. */
  trace: StepTrace;
};

/**
 * Teacher-forces `tokens` (a caption, without BOS and EOS) through the
 * captioner's own decoding step, from BOS, and keeps each step's attention
 * weights and LSTM states. The `Captioner` has no batch `attentionOf` for
 * interpret's `attentionMatrices`, so this reads the same weights from
 * `step`, the path its beam search takes; all the math is the model's.
 */
export function traceCaption(model: Captioner, image: tf.Tensor4D, tokens: readonly number[]): CaptionTrace {
  const { bosId, decoderLayers, hiddenSize } = model.config;
  const inputs = [bosId, ...tokens];
  const steps = inputs.length; // each input emits the next word, the last one the end token
  const positions = model.encoder.outputShape[0] * model.encoder.outputShape[1];
  const weights = new Float32Array(steps * positions);
  const states = Array.from({ length: decoderLayers }, () => ({
    h: new Float32Array(steps * hiddenSize),
    c: new Float32Array(steps * hiddenSize),
  }));
  tf.tidy(() => {
    let state = model.initialState(1, model.encode(image));
    inputs.forEach((token, t) => {
      state = model.step(tf.tensor1d([token], 'int32'), state).state;
      weights.set(state.weights?.dataSync() ?? new Float32Array(positions), t * positions);
      // LSTM layers carry [h₀, c₀, h₁, c₁, …].
      states.forEach((layer, l) => {
        layer.h.set(state.layers[2 * l]?.dataSync() as Float32Array, t * hiddenSize);
        layer.c.set(state.layers[2 * l + 1]?.dataSync() as Float32Array, t * hiddenSize);
      });
    });
  });
  return {
    attention: { targetSteps: steps, sourceSteps: positions, weights },
    trace: {
      steps,
      layers: states.map(({ h, c }) => ({
        cell: 'lstm',
        quantities: { h: { size: hiddenSize, values: h }, c: { size: hiddenSize, values: c } },
      })),
    },
  };
}
