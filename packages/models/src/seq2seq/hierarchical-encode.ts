import { embeddingLookup, type StackedRNN } from '@seqgen/cells';
import type { Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { TurnLayout } from './turn-layout.js';

/** What the turn level adds to the utterance encoder's work. */
export interface HierarchicalEncoding {
  /**
   * `[B, S, D + H]`, aligned with the source tokens: each token's utterance
   * state (`D` wide, the utterance encoder's output within its own turn)
   * followed by the turn encoder's state after that token's turn (`H` wide:
   * what the conversation up to and including the turn says). Zero on padding.
   */
  memory: tf.Tensor3D;
  /** The turn encoder's final state per row (`[h]`, or `[h, c]` for an LSTM): what the bridge maps. */
  states: tf.Tensor[];
}

/**
 * The turn level of a hierarchical encoder, inside the caller's tidy: the
 * utterance vectors of each row's turns, in order, through `turnRnn` (with
 * per-row turn counts), and the memory the decoder attends over. `words`
 * `[N, L, D]` are the utterance encoder's outputs over `layout.turnIds`,
 * `turnVectors` `[N, D]` its final state per turn.
 */
export function hierarchicalEncode(
  layout: TurnLayout,
  words: tf.Tensor3D,
  turnVectors: tf.Tensor2D,
  turnRnn: StackedRNN,
  sourceLength: number,
  options: { training: boolean; rng: Rng },
): HierarchicalEncoding {
  const B = layout.turnsPerRow.length;
  const T = layout.maxTurns;
  const [N, L, D] = words.shape;
  const turnInputs = rowsAt(turnVectors, layout.turnSlots, [B, T]);
  const { output, states } = turnRnn.apply(turnInputs, {
    lengths: layout.turnsPerRow,
    training: options.training,
    rng: options.rng,
  });
  const H = output.shape[2] as number;
  const wordMemory = rowsAt(tf.reshape(words, [N * L, D]), layout.wordIndex, [B, sourceLength]);
  const context = rowsAt(tf.reshape(output, [B * T, H]), layout.contextIndex, [B, sourceLength]);
  return { memory: tf.concat([wordMemory, context], 2) as tf.Tensor3D, states: states[0] as tf.Tensor[] };
}

/** Rows of `table` at host `index` (`shape`), where index `table.shape[0]` reads a zero row; differentiable in `table`. */
function rowsAt(table: tf.Tensor2D, index: Int32Array, shape: [number, number]): tf.Tensor3D {
  const withZero = tf.concat([table, tf.zeros([1, table.shape[1]])], 0) as tf.Tensor2D;
  return embeddingLookup(tf.tensor2d(index, shape, 'int32'), withZero, { strategy: 'gather' }) as tf.Tensor3D;
}
