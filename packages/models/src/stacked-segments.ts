import type { StackedRNN } from '@seqgen/cells';
import * as tf from '@tensorflow/tfjs';
import { resetSegments } from './reset-segments.js';

/** How {@link runStackedSegments} runs a stack over one chunk of sequences. */
export type StackedSegmentsOptions = {
  /** State per layer to start from (default zeros). */
  initialState?: tf.Tensor[][];
  /** Valid length of each row; later steps are padding (state frozen, output zero). */
  lengths?: readonly number[];
  /** `[B, T]` row-major flags: 1 zeroes that row's state before reading that position. */
  resets?: ArrayLike<number>;
  /** Apply the stack's dropout. */
  training: boolean;
  /** Also return every layer's per-step gates and states (the step loop). */
  trace?: boolean;
};

/** What {@link runStackedSegments} returns: the top layer's outputs, the final states and the optional trace. */
export type StackedSegmentsResult = {
  /** Top layer's output at every step, `[B, T, top]`. */
  output: tf.Tensor;
  /** State per layer after the last valid step (undefined when no segment ran, which cannot happen for T ≥ 1). */
  states: tf.Tensor[][] | undefined;
  /** With `trace`: per layer, each traced quantity `[B, T, size]`. */
  trace?: Array<Record<string, tf.Tensor3D>>;
};

/**
 * Runs a `StackedRNN` over inputs `x` `[B, T, in]` with the fused
 * whole-sequence kernels, split only where some row's state must be zeroed
 * (document starts, see `resetSegments`). Shared by the language models, so
 * that every one of them treats resets, padding and traces alike. Call it
 * inside `tf.tidy`.
 */
export function runStackedSegments(
  rnn: StackedRNN,
  x: tf.Tensor,
  options: StackedSegmentsOptions,
): StackedSegmentsResult {
  const [B, T] = x.shape as [number, number, number];
  const segments = resetSegments(options.resets, B, T);
  let states = options.initialState;
  const outputs: tf.Tensor[] = [];
  const traces: Array<Record<string, tf.Tensor>>[] = [];
  const { lengths } = options;
  for (const seg of segments) {
    const span = seg.end - seg.start;
    if (seg.keep && states) {
      const keep = tf.tensor2d(seg.keep, [B, 1]);
      states = states.map((layer) => layer.map((s) => tf.mul(s, keep)));
    }
    const res = rnn.apply(segments.length === 1 ? x : tf.slice(x, [0, seg.start, 0], [B, span, -1]), {
      ...(states ? { initialState: states } : {}),
      ...(lengths ? { lengths: lengths.map((n) => Math.min(Math.max(n - seg.start, 0), span)) } : {}),
      training: options.training,
      ...(options.trace ? { trace: true } : {}),
    });
    outputs.push(res.output);
    states = res.states;
    if (res.trace) traces.push(res.trace);
  }
  const output = outputs.length === 1 ? (outputs[0] as tf.Tensor) : tf.concat(outputs, 1);
  const result: StackedSegmentsResult = { output, states };
  if (options.trace) result.trace = joinSegmentTraces(traces);
  return result;
}

/** Per layer, each traced quantity of the reset segments joined along time. */
function joinSegmentTraces(segments: Array<Record<string, tf.Tensor>>[]): Array<Record<string, tf.Tensor3D>> {
  const first = segments[0] ?? [];
  return first.map((layer, l) => {
    const joined: Record<string, tf.Tensor3D> = {};
    for (const key of Object.keys(layer)) {
      const parts = segments.map((seg) => seg[l]?.[key] as tf.Tensor);
      joined[key] = (parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor3D;
    }
    return joined;
  });
}
