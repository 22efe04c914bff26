import type { SequenceModel } from '@seqgen/core';
import type * as tf from '@tensorflow/tfjs';
import { disposeState, gatherState, stepModel } from '../model-state.js';
import { concatPaddedStates } from './concat-padded-states.js';

/**
 * Rows that advance together: one recurrent state with a row per entry of
 * `rows`, batch on axis 0. Rows join by concatenation and leave by gathering
 * the others, so the state always has exactly `rows.length` rows and no
 * tensor outlives the batch that owns it.
 */
export class RowBatch<State, Row> {
  rows: Row[] = [];
  private state: State | undefined;

  constructor(private readonly model: SequenceModel<State, unknown>) {}

  get size(): number {
    return this.rows.length;
  }

  /** Appends rows with their state (`rows.length` rows); takes ownership of `state`. */
  add(rows: readonly Row[], state: State): void {
    if (rows.length === 0) {
      disposeState(state);
      return;
    }
    if (this.state === undefined) {
      this.state = state;
    } else {
      const joined = concatPaddedStates([this.state, state]);
      disposeState(this.state);
      disposeState(state);
      this.state = joined;
    }
    this.rows.push(...rows);
  }

  /**
   * Removes the rows `leaving` says to; returns them with their state (owned
   * by the caller) in batch order. The rows that stay keep their order.
   */
  take(leaving: (row: Row) => boolean): { rows: Row[]; state: State | undefined } {
    const out: number[] = [];
    const kept: number[] = [];
    this.rows.forEach((row, i) => {
      (leaving(row) ? out : kept).push(i);
    });
    if (out.length === 0 || this.state === undefined) return { rows: [], state: undefined };
    const rows = out.map((i) => this.rows[i] as Row);
    const taken = gatherState(this.state, out);
    this.keep(kept);
    return { rows, state: taken };
  }

  /** Drops (and frees) the rows `leaving` says to. */
  drop(leaving: (row: Row) => boolean): Row[] {
    const kept: number[] = [];
    const dropped: Row[] = [];
    this.rows.forEach((row, i) => {
      if (leaving(row)) dropped.push(row);
      else kept.push(i);
    });
    if (dropped.length > 0) this.keep(kept);
    return dropped;
  }

  /** One `model.step` for every row, each fed `input(row)`; returns the logits (the caller disposes them). */
  step(input: (row: Row) => number): tf.Tensor2D {
    const out = stepModel(this.model, this.rows.map(input), this.state as State);
    this.state = out.state;
    return out.logits;
  }

  /** Frees the state; the batch is empty afterwards. */
  dispose(): void {
    if (this.state !== undefined) disposeState(this.state);
    this.state = undefined;
    this.rows = [];
  }

  private keep(indices: number[]): void {
    const previous = this.state as State;
    this.rows = indices.map((i) => this.rows[i] as Row);
    this.state = indices.length === 0 ? undefined : gatherState(previous, indices);
    disposeState(previous);
  }
}
