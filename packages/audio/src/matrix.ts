import { ShapeError } from '@seqgen/base';

/**
 * A row-major matrix of 32-bit floats: spectrogram-like features are `rows`
 * frames of `cols` values each (frame-major, ready for
 * `tf.tensor2d(m.data, [m.rows, m.cols])`); a filterbank is `rows` filters of
 * `cols` frequency bins.
 */
export type Matrix = {
  /** `rows × cols` values, row after row. */
  data: Float32Array;
  /** Number of rows (frames, or filters). */
  rows: number;
  /** Number of values in each row. */
  cols: number;
};

/** Checks a {@link Matrix} argument: consistent sizes, at least one row, finite values. */
export function assertMatrix(argument: string, m: unknown, context: string, cols?: number): asserts m is Matrix {
  const candidate = m as Partial<Matrix> | null | undefined;
  if (!candidate || !(candidate.data instanceof Float32Array)) {
    throw new ShapeError(argument, 'a Matrix { data: Float32Array, rows, cols }', String(m), context);
  }
  const { data, rows, cols: actualCols } = candidate;
  if (
    !Number.isSafeInteger(rows) ||
    !Number.isSafeInteger(actualCols) ||
    (rows as number) < 1 ||
    (actualCols as number) < 1
  ) {
    throw new ShapeError(argument, 'rows and cols positive integers', `rows ${rows}, cols ${actualCols}`, context);
  }
  if (data.length !== (rows as number) * (actualCols as number)) {
    throw new ShapeError(
      argument,
      `data of length rows × cols = ${(rows as number) * (actualCols as number)}`,
      `length ${data.length}`,
      context,
    );
  }
  if (cols !== undefined && actualCols !== cols) {
    throw new ShapeError(argument, `${cols} columns`, `${actualCols}`, context);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new ShapeError(
        argument,
        'finite values',
        `${data[i]} at row ${Math.floor(i / (actualCols as number))}`,
        context,
      );
    }
  }
}
