import { assertNonNegativeInteger, ConfigError, ShapeError } from '@seqgen/base';
import { assertMatrix, type Matrix } from './matrix.js';

/** Options of {@link dtwAlign}. */
export type DtwOptions = {
  /** First column used in the frame distance (1 skips c0, the energy term of cepstra). Default 0. */
  fromColumn?: number;
};

/** A dynamic-time-warping alignment: frame `pathA[i]` of `a` matches frame `pathB[i]` of `b`. */
export type DtwAlignment = {
  /** Frames of `a` along the path, non-decreasing from 0 to `a.rows − 1`. */
  pathA: Int32Array;
  /** Frames of `b` along the path, non-decreasing from 0 to `b.rows − 1`. */
  pathB: Int32Array;
  /** Sum of the Euclidean frame distances along the path. */
  cost: number;
};

/** The most cells (a.rows × b.rows) aligned at once: 25M cells take ~125 MB. */
const MAX_CELLS = 25_000_000;

/**
 * The minimum-cost monotonic alignment of two feature sequences (rows are
 * frames) under Euclidean frame distance, with the symmetric steps
 * (1,0), (0,1), (1,1), by dynamic programming.
 *
 * @throws `ShapeError` when the matrices are malformed, differ in width, or
 *   are too long to align (more than 25 million frame pairs: split them);
 *   `ConfigError` when `fromColumn` is not below the width.
 */
export function dtwAlign(a: Matrix, b: Matrix, options: DtwOptions = {}): DtwAlignment {
  assertMatrix('a', a, 'dtwAlign');
  assertMatrix('b', b, 'dtwAlign', a.cols);
  const from = options.fromColumn ?? 0;
  assertNonNegativeInteger('fromColumn', from);
  if (from >= a.cols) throw new ConfigError('fromColumn', `must be below the ${a.cols} columns, got ${from}`);
  const n = a.rows;
  const m = b.rows;
  if (n * m > MAX_CELLS) {
    throw new ShapeError('a, b', `at most ${MAX_CELLS} frame pairs to align`, `${n} × ${m}`, 'dtwAlign');
  }
  const d = a.cols;
  const total = new Float64Array(n * m);
  const move = new Uint8Array(n * m); // 0 diagonal, 1 from above (i−1), 2 from the left (j−1)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let sq = 0;
      for (let c = from; c < d; c++) sq += (a.data[i * d + c]! - b.data[j * d + c]!) ** 2;
      const cost = Math.sqrt(sq);
      if (i === 0 && j === 0) {
        total[0] = cost;
        continue;
      }
      const diag = i > 0 && j > 0 ? total[(i - 1) * m + j - 1]! : Infinity;
      const up = i > 0 ? total[(i - 1) * m + j]! : Infinity;
      const left = j > 0 ? total[i * m + j - 1]! : Infinity;
      let best = diag;
      let step = 0;
      if (up < best) [best, step] = [up, 1];
      if (left < best) [best, step] = [left, 2];
      total[i * m + j] = best + cost;
      move[i * m + j] = step;
    }
  }
  const pathA: number[] = [];
  const pathB: number[] = [];
  let i = n - 1;
  let j = m - 1;
  for (;;) {
    pathA.push(i);
    pathB.push(j);
    if (i === 0 && j === 0) break;
    const step = i === 0 ? 2 : j === 0 ? 1 : move[i * m + j]!;
    if (step !== 2) i--;
    if (step !== 1) j--;
  }
  return { pathA: Int32Array.from(pathA.reverse()), pathB: Int32Array.from(pathB.reverse()), cost: total[n * m - 1]! };
}
