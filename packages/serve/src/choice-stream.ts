import { ConfigError, SeqgenError, ShapeError, TokenizerError } from '@seqgen/core';
import { type BatchToken, type ContinuousBatcher, disposeState, QueueFullError } from '@seqgen/samplers';
import * as tf from '@tensorflow/tfjs';
import { ApiError } from './api-error.js';
import { formatChatPrompt } from './chat-template.js';
import type { ParsedRequest } from './request-fields.js';
import type { PreparedPrompt, ServedModel } from './served-model.js';
import { StopText } from './stop-text.js';

/** Text a choice added, or its end. */
export interface ChoiceEvent {
  /** Which of the request's `n` choices. */
  index: number;
  text: string;
  /** Set on the choice's last event: OpenAI's `stop` or `length`. */
  finishReason: 'stop' | 'length' | null;
}

/** The running choices of one request. */
export interface ChoiceStream {
  promptTokens: number;
  /** Events of all choices as they come; ends when every choice has finished. */
  events: AsyncIterable<ChoiceEvent>;
  /** Tokens generated so far, all choices together. */
  completionTokens(): number;
}

/**
 * Turns a checked request into `n` batcher requests (choice i samples with
 * `seed + i`), submitted at once so that a full queue refuses the whole
 * request (429) before any response is written. Prompt problems are 400s:
 * text the tokenizer cannot encode, ids the model does not know, or more
 * than `maxPromptTokens` tokens.
 */
export function startChoices<State, Condition>(
  served: ServedModel<State, Condition>,
  batcher: ContinuousBatcher<State, Condition>,
  request: ParsedRequest,
  options: { signal: AbortSignal; maxPromptTokens: number },
): ChoiceStream {
  const { prompt: text, stop: templateStop } =
    request.kind === 'chat'
      ? (served.chatPrompt ?? formatChatPrompt)(request.messages ?? [])
      : { prompt: request.prompt ?? '', stop: [] };
  const stops = [...request.stop, ...templateStop];
  const decode = (ids: readonly number[]) => served.tokenizer.decode(ids);
  // In a tidy scope, so that whatever an encoder makes on the way to its condition is freed.
  const prepare = (): PreparedPrompt<Condition> =>
    asApiError(() => {
      const own = served.prepare;
      if (!own) return { promptIds: served.tokenizer.encode(text) };
      return tf.tidy(() => own(text) as unknown as tf.TensorContainer) as unknown as PreparedPrompt<Condition>;
    }, 'prompt');
  const first = prepare();
  if (first.promptIds.length > options.maxPromptTokens) {
    if (first.condition !== undefined) disposeState(first.condition);
    throw new ApiError(
      400,
      `the prompt is ${first.promptIds.length} tokens; this server accepts at most ${options.maxPromptTokens}`,
      { param: request.kind === 'chat' ? 'messages' : 'prompt', code: 'context_length_exceeded' },
    );
  }
  const greedy = request.temperature === 0 || request.topP === 0;
  const submitted: AsyncIterableIterator<BatchToken>[] = [];
  try {
    for (let i = 0; i < request.n; i++) {
      const { promptIds, condition } = i === 0 ? first : prepare();
      submitted.push(
        asApiError(
          () =>
            batcher.submit({
              promptIds,
              ...(condition === undefined ? {} : { condition }),
              config: {
                maxNewTokens: request.maxTokens,
                temperature: greedy ? 0 : request.temperature,
                topP: greedy ? 1 : request.topP,
                seed: request.seed === null ? null : request.seed + i,
                stopSequences: stops,
              },
              decode,
              signal: options.signal,
            }),
          'prompt',
        ),
      );
    }
  } catch (err) {
    for (const tokens of submitted) void tokens.return?.();
    throw err;
  }
  let generated = 0;
  const choices = submitted.map((tokens, index) => choiceEvents(tokens, index, stops, () => generated++));
  async function* events(): AsyncGenerator<ChoiceEvent> {
    try {
      yield* merge(choices);
    } finally {
      // However the response ends, no row stays in the batch.
      for (const tokens of submitted) await tokens.return?.();
    }
  }
  return { promptTokens: first.promptIds.length, events: events(), completionTokens: () => generated };
}

async function* choiceEvents(
  tokens: AsyncIterableIterator<BatchToken>,
  index: number,
  stops: readonly string[],
  counted: () => void,
): AsyncGenerator<ChoiceEvent> {
  const text = new StopText(stops);
  try {
    for await (const token of tokens) {
      counted();
      if (!token.done) {
        const delta = text.push(token.text ?? '');
        if (delta !== '') yield { index, text: delta, finishReason: null };
        continue;
      }
      const last = text.push(token.text ?? '') + text.flush();
      yield { index, text: last, finishReason: token.finishReason === 'length' ? 'length' : 'stop' };
    }
  } finally {
    await tokens.return?.();
  }
}

/** Interleaves several async iterables in arrival order; leaving early leaves them all. */
async function* merge<T>(sources: AsyncGenerator<T>[]): AsyncGenerator<T> {
  const pending = new Map<number, Promise<{ i: number; result: IteratorResult<T> }>>();
  const pull = (i: number) => {
    pending.set(
      i,
      (sources[i] as AsyncGenerator<T>).next().then((result) => ({ i, result })),
    );
  };
  for (let i = 0; i < sources.length; i++) pull(i);
  try {
    while (pending.size > 0) {
      const { i, result } = await Promise.race(pending.values());
      if (result.done) pending.delete(i);
      else {
        pull(i);
        yield result.value;
      }
    }
  } finally {
    for (const source of sources) void source.return(undefined);
  }
}

/** Runs `fn`, turning a queue-full refusal into 429 and bad input into a 400 naming `param`. */
function asApiError<T>(fn: () => T, param: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof QueueFullError) {
      throw new ApiError(429, `the server is busy: ${err.message}`, { code: 'queue_full' });
    }
    if (err instanceof ConfigError && err.field !== 'promptIds')
      throw new ApiError(400, err.message, { code: 'invalid_value' });
    if (err instanceof TokenizerError || err instanceof ShapeError || err instanceof ConfigError) {
      throw new ApiError(400, `${param}: ${err.message}`, { param, code: 'invalid_prompt' });
    }
    if (err instanceof SeqgenError) throw new ApiError(400, err.message, { code: err.code });
    throw err;
  }
}
