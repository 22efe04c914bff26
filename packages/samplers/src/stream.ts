import { ConfigError, type SequenceModel } from '@seqgen/core';
import { createDecodeSetup, decodeLoop } from './decode-loop.js';
import { decodingStrategy, type GenerationConfig } from './generation-config.js';
import { checkPrompt, type GenerateOptions, prepareConfig } from './generation-setup.js';
import { checkConditionRows } from './model-state.js';
import { TextDeltas } from './text-deltas.js';

/** One streamed token. */
export interface StreamedToken {
  /** The id of the token just generated. */
  token: number;
  /**
   * With a decode function: the text this token added. Characters come out
   * whole: an incomplete UTF-8 sequence (a character whose bytes are split
   * across tokens) and the last grapheme cluster (which a combining mark may
   * still extend) are held back until a later token, and the last token
   * flushes the rest, so the deltas concatenate to `decode(all new tokens)`
   * and never show a U+FFFD that a later delta corrects. Often `''`.
   */
  text?: string;
  /** With `GenerateOptions.trace`: the traced row of the step that chose this token. */
  trace?: Float32Array;
}

export interface StreamOptions<Condition = unknown, State = never> extends GenerateOptions<Condition, State> {
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
  options: StreamOptions<Condition, State> = {},
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
      trace: options.trace,
    });
    const generated: number[] = [];
    const deltas = decode ? new TextDeltas(decode) : undefined;
    try {
      for await (const { token, trace, done } of loop) {
        const item: StreamedToken = trace ? { token, trace } : { token };
        if (deltas) {
          generated.push(token);
          item.text = deltas.next(generated, done);
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
