import { ConfigError, initBackend, ShapeError, TokenizerError } from '@seqgen/core';
import { PerformanceEncoding } from '@seqgen/midi';
import { ConditionedLanguageModel } from '@seqgen/models';
import { thrown } from '@seqgen/test-utils';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conditionedAblationEffect } from './conditioned-ablation.js';
import { conditionedGradientTimesInput, conditionedIntegratedGradients } from './conditioned-saliency.js';
import { musicFeatures } from './music-features.js';
import { rankUnits } from './neuron-search.js';
import { traceConditionedLanguageModel } from './trace-conditioned-lm.js';

beforeAll(async () => {
  await initBackend();
});

// A chord-conditioned music model over Performance RNN events, as apps/music
// trains it: the vocabulary and event names are @seqgen/midi's own.
const encoding = new PerformanceEncoding({ velocityBins: 0, maxShiftSteps: 50 });
const note = (pitch: number, start: number, end: number) => ({
  pitch,
  velocity: 80,
  start,
  end,
  track: 0,
  channel: 0,
  program: 0,
  isDrum: false,
});
const events = encoding.encode({
  notes: [note(60, 0, 0.5), note(64, 0.5, 1), note(67, 1, 1.25), note(72, 1.25, 1.5)],
  tempos: [],
  timeSignatures: [],
  chords: [],
  totalTime: 1.5,
});
// A chord id per event (C major, then G major from the third note on).
const chords = events.map((_, t) => (t < events.length / 2 ? 1 : 2));

describe('a chord-conditioned music model, traced and explained', () => {
  const model = new ConditionedLanguageModel({
    vocabSize: encoding.vocabSize,
    conditionVocabSize: 3,
    embeddingSize: 6,
    conditionEmbeddingSize: 3,
    hiddenSize: 8,
    seed: 7,
    // The draw these checks were written for: embeddings U(±0.1), which the IG test scales up below.
    init: 'keras',
  });
  afterAll(() => model.dispose());

  it('traces gates and states per event with the untraced next-event log-probs, leaving no tensors', () => {
    const before = tf.memory().numTensors;
    const trace = traceConditionedLanguageModel(model, events, chords);
    expect(tf.memory().numTensors).toBe(before);
    const T = events.length;
    expect(trace.steps).toBe(T);
    expect(trace.conditions).toEqual(chords);
    expect(Object.keys(trace.layers[0]?.quantities ?? {}).sort()).toEqual(['c', 'f', 'g', 'h', 'i', 'o']);
    expect(trace.layers[0]?.quantities.c?.values).toHaveLength(T * 8);
    const expected = tf.tidy(() => {
      const logits = model.forward(
        tf.tensor2d([events], [1, T], 'int32'),
        tf.tensor2d([chords], [1, T], 'int32'),
      ).logits;
      const logp = tf.logSoftmax(logits).arraySync()[0] as number[][];
      return events.slice(1).map((next, t) => (logp[t] as number[])[next] as number);
    });
    expected.forEach((lp, t) => {
      expect(trace.nextTokenLogProbs[t]).toBeCloseTo(lp, 4);
    });
    // Neuron search with a musical feature of the same events.
    const noteOn = musicFeatures(events.map((id) => encoding.tokenName(id)))['note-on'];
    const [best] = rankUnits(trace, noteOn, { top: 3 });
    expect(Math.abs(best?.correlation ?? 0)).toBeGreaterThan(0.3);
    // Zeroing that unit changes the loss, and only through the weights that read it (restored after).
    const holds = noteOn;
    const effect = conditionedAblationEffect(model, events, chords, { layer: 0, units: [best?.unit ?? 0] }, holds);
    expect(effect.positionsHolds + effect.positionsElsewhere).toBe(T - 1);
    expect(effect.lossHolds).toBeCloseTo(
      -trace.nextTokenLogProbs.filter((_, t) => holds[t]).reduce((a, b) => a + b, 0) / effect.positionsHolds,
      4,
    );
    expect(Math.abs(effect.deltaHolds) + Math.abs(effect.deltaElsewhere)).toBeGreaterThan(1e-6);
    const again = traceConditionedLanguageModel(model, events, chords);
    expect(again.nextTokenLogProbs).toEqual(trace.nextTokenLogProbs);
    expect(
      thrown(() => conditionedAblationEffect(model, events, chords, { layer: 0, units: [1] }, [1]), ShapeError).message,
    ).toContain(`holds must be ${T} values (one per token)`);
    expect(thrown(() => rankUnits(trace, noteOn.slice(1)), ShapeError).message).toContain(
      `feature must be ${T} values (one per traced step), got ${T - 1}`,
    );
  });

  it('integrated gradients over the chords are complete, and causal', () => {
    // Fresh embeddings are ±0.1: make the chords matter as a trained model's do.
    const table = model.variables.conditionEmbedding as tf.Variable;
    tf.tidy(() => table.assign(tf.mul(table, 20)));
    const position = 4;
    const before = tf.memory().numTensors;
    const ig = conditionedIntegratedGradients(model, events, chords, { position }, { over: 'conditions', steps: 48 });
    expect(tf.memory().numTensors).toBe(before);
    const difference = ig.output - ig.baselineOutput;
    expect(Math.abs(difference)).toBeGreaterThan(1e-4);
    expect(Math.abs(ig.completenessGap)).toBeLessThan(0.01 * Math.abs(difference) + 1e-4);
    expect(ig.token).toBe(events[position + 1]);
    expect(Array.from(ig.attributions.slice(position + 1)).every((a) => a === 0)).toBe(true);
    const tokens = conditionedIntegratedGradients(model, events, chords, { position }, { steps: 48 });
    expect(Math.abs(tokens.completenessGap)).toBeLessThan(
      0.01 * Math.abs(tokens.output - tokens.baselineOutput) + 1e-4,
    );
    const gi = conditionedGradientTimesInput(model, events, chords, { position }, { over: 'conditions' });
    expect(gi.attributions).toHaveLength(events.length);
    expect(gi.output).toBeCloseTo(ig.output, 4);
  });

  it('refuses an empty input, conditions of another length, a model without tracing, a bad target', () => {
    expect(thrown(() => traceConditionedLanguageModel(model, [], []), ShapeError).message).toContain(
      'ids must be at least one token id, got none (empty input)',
    );
    expect(thrown(() => traceConditionedLanguageModel(model, events, chords.slice(1)), ShapeError).message).toContain(
      `conditions must be ${events.length} ids (one per token)`,
    );
    expect(
      thrown(
        () =>
          traceConditionedLanguageModel(
            model,
            events,
            chords.map(() => 3),
          ),
        ShapeError,
      ).message,
    ).toContain('conditions[0] must be an integer in [0, 3)');
    const untraced = {
      vocabSize: model.vocabSize,
      conditionVocabSize: 3,
      config: model.config,
      forward: (ids: tf.Tensor2D, conditions: tf.Tensor2D) => ({ logits: model.forward(ids, conditions).logits }),
    };
    expect(thrown(() => traceConditionedLanguageModel(untraced, events, chords), ConfigError).message).toContain(
      'returned no trace',
    );
    expect(
      thrown(() => conditionedIntegratedGradients(model, events, chords, { position: events.length }), ShapeError)
        .message,
    ).toContain(`target.position must be an integer in [0, ${events.length})`);
    expect(thrown(() => musicFeatures([]), ShapeError).message).toContain('tokenNames must be at least one event');
    expect(thrown(() => musicFeatures(['note-on:60', 'chord:C']), TokenizerError).message).toContain('tokenNames[1]');
  });
});
