import { glorotUniform, type Rng, randomNormal, randomUniform } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';

/**
 * How a language model draws its initial weights (the config's `init`):
 * - `seqgen` (the default): embedding rows N(0, 1) as PyTorch's
 *   `nn.Embedding` (U(±1/√embeddingSize) when tied to the output head), and
 *   the recurrent and output layers as `keras`: Glorot input kernels,
 *   orthogonal recurrent kernels, zero biases but the LSTM forget gate's
 *   (`forgetBias` default 1), Glorot output kernel with a zero bias.
 * - `pytorch`: all of it as `nn.Embedding`, `nn.LSTM`/`GRU`/`RNN` and
 *   `nn.Linear` do — embedding N(0, 1), recurrent weights and biases uniform
 *   in ±1/√hidden (`@seqgen/cells`' `init: 'pytorch'`), output kernel and
 *   bias uniform in ±1/√fan-in, `forgetBias` default 0: PyTorch's draw.
 * - `keras`: seqgen's earlier draw — `seqgen`'s, but embedding U(±0.1).
 *
 * On the Moby-Dick char-LSTM (apps/text README, "Learning per step"), `keras`
 * trails PyTorch by 0.12 nats/char after 1,000 steps, `pytorch` matches
 * PyTorch to about what another seed changes, and `seqgen` is below PyTorch
 * at every step measured (500 to 6,000). The embedding's scale is the main
 * difference: N(0, 1) rows are ~17× larger than U(±0.1) ones.
 */
export type LMInit = 'seqgen' | 'pytorch' | 'keras';

/** Every {@link LMInit}, in the order error messages list them. */
export const LM_INITS: readonly LMInit[] = ['seqgen', 'pytorch', 'keras'];

/** The `@seqgen/cells` draw of the recurrent layers under `init`: PyTorch's only for `pytorch`. */
export function cellInitOf(init: LMInit): 'pytorch' | 'keras' {
  return init === 'pytorch' ? 'pytorch' : 'keras';
}

/**
 * The initial token embedding `[vocabSize, embeddingSize]` of `init`. Tied to
 * the output head (`tied`), the N(0, 1) table of `seqgen` and `pytorch` is drawn as the `nn.Linear` it
 * also is, U(±1/√embeddingSize), as when PyTorch code writes `encoder.weight =
 * decoder.weight`: N(0, 1) rows would make the first logits so large that
 * the untrained loss starts far above ln(vocabSize).
 */
export function initialEmbedding(
  init: LMInit,
  rng: Rng,
  vocabSize: number,
  embeddingSize: number,
  tied = false,
): tf.Tensor {
  if (init === 'keras') return randomUniform(rng, [vocabSize, embeddingSize], -0.1, 0.1);
  if (!tied) return randomNormal(rng, [vocabSize, embeddingSize]);
  const k = 1 / Math.sqrt(embeddingSize);
  return randomUniform(rng, [vocabSize, embeddingSize], -k, k);
}

/** The initial output head of `init`: kernel `[fanIn, vocabSize]` (unless tied) and bias `[vocabSize]`. */
export function initialHead(
  init: LMInit,
  rng: Rng,
  fanIn: number,
  vocabSize: number,
  tied: boolean,
): { kernel: tf.Tensor2D | null; bias: tf.Tensor1D } {
  if (init !== 'pytorch') {
    const kernel = tied ? null : (glorotUniform(rng, [fanIn, vocabSize]) as tf.Tensor2D);
    return { kernel, bias: tf.zeros([vocabSize]) };
  }
  const k = 1 / Math.sqrt(fanIn);
  const kernel = tied ? null : (randomUniform(rng, [fanIn, vocabSize], -k, k) as tf.Tensor2D);
  return { kernel, bias: randomUniform(rng, [vocabSize], -k, k) as tf.Tensor1D };
}
