import { StackedRNN } from '@seqgen/cells';
import type { Rng } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { type RecurrentLMConfig, topOutputSize } from './lm-config.js';
import { cellInitOf, initialHead } from './lm-init.js';
import { variableFrom } from './variable-from.js';

/** The recurrent stack and output head a language model builds after its embeddings. */
export type LMStack = {
  /** The recurrent stack between the embeddings and the output projection. */
  rnn: StackedRNN;
  /** The output projection `[topOutputSize, vocabSize]`; null when tied to the embedding. */
  outputKernel: tf.Variable | null;
  /** The output bias `[vocabSize]` (drawn as the config's `init` says). */
  outputBias: tf.Variable;
  /** State tensor sizes, per layer. */
  layerStateSizes: number[][];
};

/**
 * Builds a language model's recurrent stack over inputs of width `inputSize`
 * and its output head from the config's fields, drawing the stack's seed and
 * then the output kernel from `rng` (so the draw order, and with it the
 * initial weights for a seed, is the same for every LM built this way).
 */
export function buildLMStack(c: Omit<RecurrentLMConfig, 'type'>, inputSize: number, rng: Rng): LMStack {
  const rnn = new StackedRNN({
    cell: c.cell,
    inputSize,
    hiddenSize: c.hiddenSize,
    numLayers: c.numLayers,
    dropout: c.dropout,
    recurrentDropout: c.recurrentDropout,
    ...(c.projSize !== null ? { projSize: c.projSize } : {}),
    layerNorm: c.layerNorm,
    forgetBias: c.forgetBias,
    resetAfter: c.resetAfter,
    activation: c.activation,
    init: cellInitOf(c.init),
    seed: rng.uint32(),
  });
  // Tied: the output kernel is the embedding transposed, so no variable of its own.
  const head = initialHead(c.init, rng, topOutputSize(c), c.vocabSize, c.tieWeights);
  return {
    rnn,
    outputKernel: head.kernel ? variableFrom(head.kernel) : null,
    outputBias: variableFrom(head.bias),
    layerStateSizes: rnn.layers.map((_, l) => [...(rnn.cellsOf(l)[0]?.stateSizes ?? [])]),
  };
}
