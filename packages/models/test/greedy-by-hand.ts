import * as tf from '@tensorflow/tfjs';
import type { RecurrentLanguageModel } from '../src/recurrent-lm.js';

/**
 * Greedy decoding by hand, as a reference for the samplers: feed the prompt
 * through `step`, then take the argmax of each step's logits, one step per token.
 */
export function greedyByHand(model: RecurrentLanguageModel, prompt: number[], count: number): number[] {
  let state = model.initialState(1);
  let logits: tf.Tensor2D | undefined;
  const feed = (token: number) => {
    const tokens = tf.tensor1d([token], 'int32');
    const out = model.step(tokens, state);
    tf.dispose([tokens, state, logits]);
    state = out.state;
    logits = out.logits;
  };
  for (const t of prompt) feed(t);
  const generated: number[] = [];
  for (let i = 0; i < count; i++) {
    const next = tf.tidy(() => tf.argMax(logits as tf.Tensor2D, 1).dataSync()[0] as number);
    generated.push(next);
    if (i < count - 1) feed(next);
  }
  tf.dispose([state, logits]);
  return generated;
}
