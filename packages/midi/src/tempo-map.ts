import { DEFAULT_QPM, type TempoChange } from './note-sequence.js';

type Segment = { time: number; quarters: number; qpm: number; implied?: boolean };

/**
 * Seconds ⇄ quarter notes through a sequence's tempo changes (piecewise
 * linear). Before the first change, and when there is none, the tempo is
 * 120 qpm. Quantization and MIDI writing go through it, so a piece whose
 * tempo changes keeps its beat grid.
 */
export class TempoMap {
  private readonly segments: Segment[];

  /** `tempos`: the sequence's tempo changes (any order; a later entry at the same time wins). */
  constructor(tempos: readonly TempoChange[]) {
    const sorted = [...tempos].sort((a, b) => a.time - b.time);
    const segments: Segment[] = [{ time: 0, quarters: 0, qpm: DEFAULT_QPM, implied: true }];
    for (const tempo of sorted) {
      const last = segments[segments.length - 1] as Segment;
      const quarters = last.quarters + ((tempo.time - last.time) * last.qpm) / 60;
      if (tempo.time === last.time)
        segments[segments.length - 1] = { time: last.time, quarters: last.quarters, qpm: tempo.qpm };
      else segments.push({ time: tempo.time, quarters, qpm: tempo.qpm });
    }
    this.segments = segments;
  }

  /** Quarter notes elapsed at `seconds`. */
  secondsToQuarters(seconds: number): number {
    const s = this.find('time', seconds);
    return s.quarters + ((seconds - s.time) * s.qpm) / 60;
  }

  /** Seconds elapsed at `quarters` quarter notes. */
  quartersToSeconds(quarters: number): number {
    const s = this.find('quarters', quarters);
    return s.time + ((quarters - s.quarters) * 60) / s.qpm;
  }

  /** The sequence's tempo changes as (quarter position, qpm), for writing ticks (the implied 120 qpm start left out). */
  changesInQuarters(): Array<{ quarters: number; qpm: number }> {
    return this.segments.filter((s) => !s.implied).map(({ quarters, qpm }) => ({ quarters, qpm }));
  }

  /** The last segment starting at or before `at` (binary search: segments are sorted both ways). */
  private find(key: 'time' | 'quarters', at: number): Segment {
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.segments[mid] as Segment)[key] <= at) lo = mid;
      else hi = mid - 1;
    }
    return this.segments[lo] as Segment;
  }
}
