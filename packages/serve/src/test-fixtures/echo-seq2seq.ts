import type { AttentionMemory, ModelConfig, SequenceModel } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { ServedModel } from '../served-model.js';

/** State of {@link EchoDecoder}: the memory it attends over, batch on axis 0. */
interface EchoState {
  memory: tf.Tensor3D;
  mask: tf.Tensor2D;
}

const ALPHABET = 'abcdefgh';

/**
 * Test fixture (not exported): the shape of a sequence-to-sequence chat model
 * for the server. `prepare` "encodes" the prompt into an `AttentionMemory`
 * (one-hot rows of its characters, `[1, S, V]` with mask `[1, S]`), and the
 * decoder's logits are 10 × the masked mean of that memory: greedy decoding
 * repeats the prompt's most frequent character. Requests of different source
 * lengths share the batch zero-padded and masked (samplers' tests check the
 * padded values exactly; this checks the server's plumbing and disposal).
 */
class EchoDecoder implements SequenceModel<EchoState, AttentionMemory> {
  readonly vocabSize = ALPHABET.length;

  initialState(_rows: number, condition?: AttentionMemory): EchoState {
    if (!condition?.mask) throw new Error('EchoDecoder needs a condition with a mask');
    return { memory: condition.memory, mask: condition.mask };
  }

  step(_tokens: tf.Tensor1D, state: EchoState): { logits: tf.Tensor2D; state: EchoState } {
    const weights = tf.expandDims(state.mask, 2);
    const pooled = tf.div(tf.sum(tf.mul(state.memory, weights), 1), tf.sum(weights, 1));
    return { logits: tf.mul(pooled, 10) as tf.Tensor2D, state };
  }

  getConfig(): ModelConfig {
    return { type: 'echo-seq2seq-test' };
  }

  dispose(): void {}
}

/** The served form: `prepare` builds the condition; the chat prompt is the last user message. */
export function echoSeq2Seq(): ServedModel<EchoState, AttentionMemory> {
  const encode = (text: string) => [...text].map((c) => Math.max(0, ALPHABET.indexOf(c)));
  return {
    name: 'echo-seq2seq',
    model: new EchoDecoder(),
    tokenizer: { encode, decode: (ids) => ids.map((i) => ALPHABET[i]).join('') },
    prepare: (text) => {
      const ids = encode(text);
      return {
        promptIds: [0],
        condition: {
          memory: tf.oneHot(tf.tensor1d(ids, 'int32'), ALPHABET.length).toFloat().expandDims(0) as tf.Tensor3D,
          mask: tf.ones([1, ids.length]) as tf.Tensor2D,
        },
      };
    },
    chatPrompt: (messages) => ({ prompt: messages.filter((m) => m.role === 'user').at(-1)?.content ?? '', stop: [] }),
  };
}
