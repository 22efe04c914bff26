import { assertInRange } from '@seqgen/base';
import { assertMatrix, type Matrix } from './matrix.js';

/** Options of {@link powerToDb} (librosa's `power_to_db` arguments and defaults). */
export type PowerToDbOptions = {
  /** The power that maps to 0 dB. Default 1. */
  ref?: number;
  /** Smallest power considered, to keep the logarithm finite. Default 1e-10. */
  amin?: number;
  /** Values more than this many dB below the maximum are raised to it; `null` keeps all. Default 80. */
  topDb?: number | null;
};

/**
 * A power spectrogram in decibels, `10·log10(max(amin, S)) − 10·log10(max(amin, ref))`,
 * floored at `max − topDb` (librosa's `power_to_db`). Returns a new matrix.
 *
 * @throws `ConfigError` for bad options; `ShapeError` for a malformed matrix.
 */
export function powerToDb(power: Matrix, options: PowerToDbOptions = {}): Matrix {
  assertMatrix('power', power, 'powerToDb');
  const ref = options.ref ?? 1;
  assertInRange('ref', ref, 0, Number.MAX_VALUE, { openMin: true });
  const amin = options.amin ?? 1e-10;
  assertInRange('amin', amin, 0, Number.MAX_VALUE, { openMin: true });
  const topDb = options.topDb === undefined ? 80 : options.topDb;
  if (topDb !== null) assertInRange('topDb', topDb, 0, Number.MAX_VALUE);
  const offset = 10 * Math.log10(Math.max(amin, ref));
  const out = new Float32Array(power.data.length);
  let max = -Infinity;
  for (let i = 0; i < out.length; i++) {
    const db = 10 * Math.log10(Math.max(amin, power.data[i]!)) - offset;
    out[i] = db;
    if (db > max) max = db;
  }
  if (topDb !== null) for (let i = 0; i < out.length; i++) out[i] = Math.max(out[i]!, max - topDb);
  return { data: out, rows: power.rows, cols: power.cols };
}
