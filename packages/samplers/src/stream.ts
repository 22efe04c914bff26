import { ConfigError, type SequenceModel } from '@seqgen/core';
import { createDecodeSetup, decodeLoop } from './decode-loop.js';
import { decodingStrategy, type GenerationConfig } from './generation-config.js';
import { checkPrompt, type GenerateOptions, prepareConfig } from './generation-setup.js';
import { checkConditionRows } from './model-state.js';

/** One streamed token. */
export interface StreamedToken {
  token: number;
  /**
   * With a decode function: the text this token added, i.e. `decode(all new
   * tokens)` minus what was already emitted (so multi-token characters come
   * out whole).
   */
  text?: string;
}

export interface StreamOptions<Condition = unknown> extends GenerateOptions<Condition> {
  /** Called with every token before the iterator yields it. */
  onToken?: (token: StreamedToken) => void;
}

/**
 * Generates tokens one at a time as an `AsyncIterable`, for showing text as
 * it is written. Greedy or sampling, one sequence (beam search only knows
 * its tokens at the end). Aborting `signal` stops before the next model step
 * and the iteration rejects with the signal's reason; leaving the loop early
 * (`break`) also stops it. Either way the model state is disposed.
 */
export function stream<State, Condition>(
  model: SequenceModel<State, Condition>,
  promptIds: readonly number[],
  config: Partial<GenerationConfig> = {},
  options: StreamOptions<Condition> = {},
): AsyncIterable<StreamedToken> {
  // Validation happens now, not at the first next(), so mistakes surface where the call is.
  const resolved = prepareConfig(model, config);
  checkPrompt(promptIds, model.vocabSize);
  if (options.condition !== undefined) checkConditionRows(options.condition, 1, 'stream');
  const strategy = decodingStrategy(resolved);
  if (strategy === 'beam') {
    throw new ConfigError('numBeams', 'stream emits tokens as they are chosen; beam search picks them only at the end');
  }
  if (resolved.numReturnSequences !== 1) throw new ConfigError('numReturnSequences', 'stream produces one sequence');
  const { decode, onToken } = options;
  const loopStrategy = strategy; // narrowed to greedy | sample by the check above

  async function* tokens(): AsyncGenerator<StreamedToken> {
    const loop = decodeLoop(model, [promptIds], createDecodeSetup(resolved, loopStrategy, options), {
      condition: options.condition,
      repeat: 1,
      context: 'stream',
    });
    const generated: number[] = [];
    let emitted = '';
    try {
      for await (const { token } of loop) {
        const item: StreamedToken = { token };
        if (decode) {
          generated.push(token);
          const text = decode(generated);
          // A decoder may rewrite earlier text (e.g. a completed multi-byte character): emit only what is new.
          item.text = text.startsWith(emitted) ? text.slice(emitted.length) : text;
          emitted = text;
        }
        onToken?.(item);
        yield item;
      }
    } finally {
      // Stops the loop (disposing its state) when the consumer leaves early.
      await loop.return([]);
    }
  }
  return tokens();
}
