import { ConfigError, type ModelConfig, type SequenceModel, type SequenceStepResult } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import type { ConditionedLanguageModel } from './conditioned-lm.js';

/**
 * A control signal that follows what has been generated: a running value
 * per row (music: seconds elapsed, advanced by time-shift events) and the
 * conditioning id in effect at each value (the chord sounding then).
 */
export type ConditionSchedule = {
  /** The running value after reading `token` from `value` (starts at 0). */
  advance(value: number, token: number): number;
  /** The conditioning id in effect at `value`, in `[0, conditionVocabSize)`. */
  conditionAt(value: number): number;
};

/** Decoding state of {@link ScheduledConditionModel}: the model's recurrent layers and each row's running value. */
export type ScheduledConditionState = {
  /** The conditioned model's layer states, batch on axis 0. */
  layers: tf.Tensor[];
  /** float32 `[B]`: each row's running value (e.g. seconds elapsed). */
  clock: tf.Tensor1D;
};

/**
 * Decodes a {@link ConditionedLanguageModel} whose condition depends on the
 * tokens generated so far, so cannot be laid out as a sequence beforehand:
 * a chord-conditioned performance model reads the chord sounding at the
 * current time, and time moves only with the time-shift events it samples.
 * Each step advances every row's clock by the token it reads (on the host:
 * decoding reads the tokens anyway) and feeds the model the id the schedule
 * gives — at the clock after the token for `conditionOn: 'next'` (the chord
 * of the event about to be played), before it for `'current'` — matching how
 * training laid conditions out per event. A {@link SequenceModel} for the
 * samplers; the wrapped model stays the caller's to dispose.
 */
export class ScheduledConditionModel implements SequenceModel<ScheduledConditionState> {
  /** The wrapped model's vocabulary size. */
  readonly vocabSize: number;

  /** `model` decodes, `schedule` says which conditioning id holds when. */
  constructor(
    private readonly model: ConditionedLanguageModel,
    private readonly schedule: ConditionSchedule,
  ) {
    if (typeof schedule?.advance !== 'function' || typeof schedule?.conditionAt !== 'function') {
      throw new ConfigError('schedule', 'must have advance(value, token) and conditionAt(value) functions');
    }
    this.vocabSize = model.vocabSize;
  }

  /** Zero recurrent state and clocks at 0 for `batchSize` rows. */
  initialState(batchSize: number): ScheduledConditionState {
    const first = this.conditionIds([0]);
    const condition = tf.tensor2d(first, [1, 1], 'int32');
    try {
      const rows = tf.tidy(() => tf.tile(condition, [batchSize, 1]) as tf.Tensor2D);
      const inner = this.model.initialState(batchSize, rows);
      tf.dispose([rows, inner.position, inner.conditions]);
      return { layers: inner.layers, clock: tf.zeros([batchSize]) as tf.Tensor1D };
    } finally {
      condition.dispose();
    }
  }

  /** One step: reads each row's token, advances its clock, and steps the model with the scheduled condition. */
  step(tokens: tf.Tensor1D, state: ScheduledConditionState): SequenceStepResult<ScheduledConditionState> {
    const ids = tokens.dataSync();
    const before = Array.from(state.clock.dataSync());
    const after = before.map((value, i) => this.schedule.advance(value, ids[i] as number));
    const read = this.model.config.conditionOn === 'next' ? after : before;
    const B = ids.length;
    const conditions = tf.tensor2d(this.conditionIds(read), [B, 1], 'int32');
    const position = tf.zeros([B], 'int32') as tf.Tensor1D;
    try {
      const out = this.model.step(tokens, { layers: state.layers, position, conditions });
      out.state.position.dispose();
      return { logits: out.logits, state: { layers: out.state.layers, clock: tf.tensor1d(after) } };
    } finally {
      tf.dispose([conditions, position]);
    }
  }

  /** The wrapped model's config. */
  getConfig(): ModelConfig {
    return this.model.getConfig();
  }

  /** Nothing to free: the wrapped model is the caller's. */
  dispose(): void {}

  private conditionIds(values: readonly number[]): Int32Array {
    const size = this.model.conditionVocabSize;
    return Int32Array.from(values, (v) => {
      const id = this.schedule.conditionAt(v);
      if (!(Number.isInteger(id) && id >= 0 && id < size)) {
        throw new ConfigError('schedule', `conditionAt(${v}) gave ${id}, outside [0, ${size})`);
      }
      return id;
    });
  }
}
