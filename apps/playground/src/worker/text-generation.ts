import { stream } from '@seqgen/samplers';
import type { ModelSource, SamplerSettings } from '../protocol.js';
import { languageModelFor } from './language-models.js';

/** What a text generation did: tokens produced and whether Stop ended it. */
export type GenerationOutcome = { tokens: number; stopped: boolean };

/**
 * Streams a continuation of `prompt`, handing each text delta to `emit` as it is sampled.
 * The loop yields to the worker's event loop after every token so that a Stop message is
 * read between tokens; once `signal` is aborted the loop leaves the stream (which frees its state).
 */
export async function generateText(
  source: ModelSource,
  prompt: string,
  settings: SamplerSettings,
  signal: AbortSignal,
  emit: (text: string) => void,
): Promise<GenerationOutcome> {
  const { model, tokenizer } = await languageModelFor(source);
  const ids = tokenizer.encode(prompt);
  if (ids.length === 0) throw new Error('the prompt must hold at least one character the model knows');
  const unk = tokenizer.tokenToId('<unk>');
  let tokens = 0;
  const pieces = stream(
    model,
    ids,
    { ...settings, bannedTokens: unk === undefined ? [] : [unk] },
    { decode: (generated) => tokenizer.decode(generated) },
  );
  for await (const piece of pieces) {
    tokens++;
    if (piece.text) emit(piece.text);
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (signal.aborted) break;
  }
  return { tokens, stopped: signal.aborted };
}
