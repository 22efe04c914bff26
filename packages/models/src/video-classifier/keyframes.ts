import { assertPositiveInteger, ConfigError, describeValue, ShapeError } from '@seqgen/core';

/** Options of {@link keyframeScores}. */
export type KeyframeScoreOptions = {
  /**
   * 1: how far the features moved since the previous frame, ‖s(t) − s(t−1)‖;
   * 2: how much that movement changed, ‖s(t+1) − 2·s(t) + s(t−1)‖ (a change
   * of direction scores, steady motion does not). Default 1.
   */
  order?: 1 | 2;
};

/**
 * How much a clip's per-frame features change at each frame: `states` is
 * `frames × size` values, frame after frame (e.g. a `VideoClassifier`'s
 * `frameStates` for one clip). Frames without a neighbour on the needed side
 * score 0. One score per frame.
 */
export function keyframeScores(states: Float32Array, frames: number, options: KeyframeScoreOptions = {}): Float64Array {
  assertPositiveInteger('frames', frames);
  if (!(states instanceof Float32Array) || states.length === 0 || states.length % frames !== 0) {
    const actual = states instanceof Float32Array ? `${states.length} values` : describeValue(states);
    throw new ShapeError(
      'states',
      `a non-empty Float32Array of frames (${frames}) × size values`,
      actual,
      'keyframeScores',
    );
  }
  const order = options.order ?? 1;
  if (order !== 1 && order !== 2) throw new ConfigError('order', `must be 1 or 2, got ${describeValue(order)}`);
  const D = states.length / frames;
  const scores = new Float64Array(frames);
  const at = (t: number, i: number) => states[t * D + i] as number;
  for (let t = 1; t < frames; t++) {
    if (order === 2 && t === frames - 1) break;
    let sum = 0;
    for (let i = 0; i < D; i++) {
      const d = order === 1 ? at(t, i) - at(t - 1, i) : at(t + 1, i) - 2 * at(t, i) + at(t - 1, i);
      sum += d * d;
    }
    scores[t] = Math.sqrt(sum);
  }
  return scores;
}

/**
 * The `count` frames with the highest scores, no two closer than `minGap`
 * frames (a peak suppresses its neighbours), in time order. Fewer come back
 * when the gap leaves no room for more.
 */
export function selectKeyframes(scores: ArrayLike<number>, count: number, minGap = 1): number[] {
  assertPositiveInteger('count', count);
  assertPositiveInteger('minGap', minGap);
  if (scores === null || typeof scores !== 'object' || typeof scores.length !== 'number' || scores.length === 0) {
    throw new ShapeError('scores', 'a non-empty array of numbers', describeValue(scores), 'selectKeyframes');
  }
  const order = Array.from({ length: scores.length }, (_, t) => t).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  const chosen: number[] = [];
  for (const t of order) {
    if (chosen.length === count) break;
    if (chosen.every((c) => Math.abs(c - t) >= minGap)) chosen.push(t);
  }
  return chosen.sort((a, b) => a - b);
}

/** How well chosen keyframes line up with the frames where something happened. */
export type KeyframeMatch = {
  /** Fraction of keyframes within `tolerance` frames of an event. */
  precision: number;
  /** Fraction of events with a keyframe within `tolerance` frames. */
  recall: number;
};

/** Scores keyframes against event frames (e.g. Moving MNIST bounces), each within `tolerance` frames (default 1). */
export function matchKeyframes(keyframes: readonly number[], events: readonly number[], tolerance = 1): KeyframeMatch {
  if (!Number.isInteger(tolerance) || tolerance < 0) {
    throw new ConfigError('tolerance', `must be a non-negative integer, got ${describeValue(tolerance)}`);
  }
  const near = (a: number, list: readonly number[]) => list.some((b) => Math.abs(a - b) <= tolerance);
  return {
    precision: keyframes.length === 0 ? 0 : keyframes.filter((k) => near(k, events)).length / keyframes.length,
    recall: events.length === 0 ? 1 : events.filter((e) => near(e, keyframes)).length / events.length,
  };
}
