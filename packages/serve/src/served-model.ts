import type { SequenceModel } from '@seqgen/core';
import type { ChatMessage, ChatPrompt } from './chat-template.js';

/** What the batcher decodes from for one prompt text. */
export interface PreparedPrompt<Condition = unknown> {
  /** Token ids the decoder continues (for a conditioned model, usually just its start token). */
  promptIds: number[];
  /**
   * For a conditioned model: one row of its condition (e.g. an encoder's
   * `AttentionMemory` `{ memory: [1, S, d], mask: [1, S] }`). The server hands
   * it to the batcher, which disposes it.
   */
  condition?: Condition;
}

/** What the server needs of a tokenizer (any seqgen tokenizer has it). */
export type ServedTokenizer = {
  /** Turns prompt text into the token ids the model continues. */
  encode(text: string): number[];
  /** Turns generated token ids back into text for the reply. */
  decode(ids: readonly number[]): string;
};

/**
 * A model the server can serve: any `SequenceModel` with a tokenizer. A plain
 * language model needs only `name`, `model` and `tokenizer`: the prompt text
 * is encoded and continued, and chat messages go through the default
 * {@link formatChatPrompt} template. A conditioned model (a sequence-to-sequence
 * chat model whose decoder's `initialState(rows, condition)` takes its
 * encoder's memory) supplies `prepare`, which encodes the prompt text into the
 * decoder's start tokens and a one-row condition, and usually `chatPrompt`.
 */
export interface ServedModel<State = unknown, Condition = unknown> {
  /** The id clients pass as `model` (`GET /v1/models` lists it); for a checkpoint, its folder name. */
  name: string;
  /** What generates: one `step` per token on a batch of rows. */
  model: SequenceModel<State, Condition>;
  /** Turns text into token ids and back (any seqgen tokenizer). */
  tokenizer: ServedTokenizer;
  /** Prompt text → decoder input; default `{ promptIds: tokenizer.encode(text) }`. */
  prepare?: (text: string) => PreparedPrompt<Condition>;
  /** Chat messages → prompt text and extra stop strings; default {@link formatChatPrompt}. */
  chatPrompt?: (messages: readonly ChatMessage[]) => ChatPrompt;
  /** Unix seconds reported as `created` in `/v1/models`; default: when the server started. */
  created?: number;
}
