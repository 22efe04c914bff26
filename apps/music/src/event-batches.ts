import type { ConditionedLanguageModel, ConditionedLMBatch } from '@seqgen/models';
import { evaluate, type StreamBatch, streamBatches } from '@seqgen/trainer';
import type { EncodedPiece } from './event-data.js';

/**
 * One ordered pass over encoded pieces as conditioned batches: event batches
 * with, at each position, the chord id the model reads there (that of the
 * input event or of the target event, as the model's `conditionOn` says).
 */
export function conditionedBatches(
  model: ConditionedLanguageModel,
  pieces: readonly EncodedPiece[],
  batchSize: number,
  seqLength: number,
): Array<StreamBatch & ConditionedLMBatch> {
  const cut = { batchSize, seqLength };
  const events = streamBatches({ documents: pieces.map((p) => p.events), ...cut });
  const chords = streamBatches({ documents: pieces.map((p) => p.chords), ...cut });
  const next = model.config.conditionOn === 'next';
  return events.map((batch, i) => {
    const c = chords[i] as StreamBatch;
    return { ...batch, conditions: next ? c.targets : c.inputs };
  });
}

/** Held-out figures of a model: mean negative log-likelihood per event (nats) and the events scored. */
export type EventNll = { nllPerEvent: number; events: number };

/**
 * Negative log-likelihood per event of `pieces`, read in order with carried
 * state: lanes of whole documents where possible (at most 16) and chunks of
 * at most 256 events, so nearly every event is predicted with its full past.
 */
export async function eventNll(model: ConditionedLanguageModel, pieces: readonly EncodedPiece[]): Promise<EventNll> {
  const total = pieces.reduce((n, p) => n + p.events.length, 0);
  const batchSize = Math.max(1, Math.min(16, Math.floor((total - 1) / 256)));
  const lane = Math.floor((total - 1) / batchSize);
  const seqLength = Math.max(1, Math.floor(lane / Math.ceil(lane / 256)));
  const { loss, tokens } = await evaluate(model, conditionedBatches(model, pieces, batchSize, seqLength));
  return { nllPerEvent: loss, events: tokens };
}
