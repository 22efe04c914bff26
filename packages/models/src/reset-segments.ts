import { ShapeError } from '@seqgen/core';

/** A run of time steps `[start, end)` that starts with some rows' state zeroed. */
export interface ResetSegment {
  start: number;
  end: number;
  /** Per row: 0 to zero that row's state before `start`, 1 to keep it; null when no row resets here. */
  keep: Float32Array | null;
}

/**
 * Cuts `[B, T]` reset flags (row-major, 1 = zero the state before reading
 * this position, as `StreamBatch.resets` marks document starts) into runs
 * that the fused whole-sequence kernels can process: the sequence is split
 * only at the time steps where some row resets, so a batch with no document
 * boundary runs as one segment.
 */
export function resetSegments(resets: ArrayLike<number> | undefined, batch: number, steps: number): ResetSegment[] {
  if (!resets) return [{ start: 0, end: steps, keep: null }];
  if (resets.length !== batch * steps) {
    throw new ShapeError('resets', `${batch * steps} flags ([${batch}, ${steps}] row-major)`, `${resets.length}`);
  }
  const segments: ResetSegment[] = [];
  let current: ResetSegment = { start: 0, end: steps, keep: null };
  for (let t = 0; t < steps; t++) {
    let keep: Float32Array | null = null;
    for (let b = 0; b < batch; b++) {
      if (resets[b * steps + t] !== 0) {
        keep ??= new Float32Array(batch).fill(1);
        keep[b] = 0;
      }
    }
    if (!keep) continue;
    if (t === 0) {
      current.keep = keep;
    } else {
      current.end = t;
      segments.push(current);
      current = { start: t, end: steps, keep };
    }
  }
  segments.push(current);
  return segments;
}
