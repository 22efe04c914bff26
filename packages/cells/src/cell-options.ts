import { Rng } from '@seqgen/core';

/** Options shared by every cell constructor. */
export interface BaseCellOptions {
  /** Features per input step (channels for a ConvLSTM cell). */
  inputSize: number;
  /** Hidden units H (filters for a ConvLSTM cell). */
  units: number;
  /** Seed for the weight initializers (default 0); ignored when `rng` is given. */
  seed?: number;
  /** Draw initial weights from this generator (advances it). */
  rng?: Rng;
}

export function cellRng(options: BaseCellOptions): Rng {
  return options.rng ?? new Rng(options.seed ?? 0);
}
