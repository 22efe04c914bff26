import { ConfigError, ShapeError } from '@seqgen/core';
import { encodePng } from './platform/node.js';

/** Options of {@link heatmapPng}. */
export type HeatmapPngOptions = {
  /** Pixels per cell, horizontally (default 8). */
  cellWidth?: number;
  /** Pixels per cell, vertically (default 16). */
  cellHeight?: number;
  /** Value drawn fully blue (default: −max |value|). */
  min?: number;
  /** Value drawn fully red (default: max |value|). */
  max?: number;
};

/**
 * A heat map as PNG bytes: one row of cells per entry of `rows` (all equally
 * long), blue for low, white for the middle, red for high — the terminal's
 * view of an activation or saliency strip. Encoded by `pngjs` under Node; the
 * browser build throws a ConfigError (colour a canvas with {@link divergingColour}).
 */
export function heatmapPng(rows: ReadonlyArray<ArrayLike<number>>, options: HeatmapPngOptions = {}): Uint8Array {
  const cellWidth = options.cellWidth ?? 8;
  const cellHeight = options.cellHeight ?? 16;
  for (const [name, v] of [
    ['cellWidth', cellWidth],
    ['cellHeight', cellHeight],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 256)
      throw new ConfigError(name, `must be an integer in [1, 256], got ${v}`);
  }
  if (!Array.isArray(rows) || rows.length === 0) throw new ShapeError('rows', 'at least one row', 'none', 'heatmapPng');
  const columns = (rows[0] as ArrayLike<number>).length;
  if (columns === 0) throw new ShapeError('rows[0]', 'at least one value', 'none', 'heatmapPng');
  let extent = 0;
  rows.forEach((row, r) => {
    if (row.length !== columns)
      throw new ShapeError(`rows[${r}]`, `${columns} values like rows[0]`, `${row.length}`, 'heatmapPng');
    for (let i = 0; i < row.length; i++) extent = Math.max(extent, Math.abs(row[i] as number));
  });
  const lo = options.min ?? -extent;
  const hi = options.max ?? extent;
  const width = columns * cellWidth;
  const height = rows.length * cellHeight;
  const rgba = new Uint8Array(width * height * 4);
  rows.forEach((row, r) => {
    for (let col = 0; col < columns; col++) {
      const [red, green, blue] = divergingColour(row[col] as number, lo, hi);
      for (let y = r * cellHeight; y < (r + 1) * cellHeight; y++) {
        for (let x = col * cellWidth; x < (col + 1) * cellWidth; x++) {
          const at = (y * width + x) * 4;
          rgba[at] = red;
          rgba[at + 1] = green;
          rgba[at + 2] = blue;
          rgba[at + 3] = 255;
        }
      }
    }
  });
  return encodePng(width, height, rgba);
}

/** Blue (lo) → white (middle) → red (hi), as 0–255 RGB. */
export function divergingColour(value: number, lo: number, hi: number): [number, number, number] {
  const mid = (lo + hi) / 2;
  const half = (hi - lo) / 2 || 1;
  const s = Math.max(-1, Math.min(1, (value - mid) / half));
  const fade = Math.round(255 * (1 - Math.abs(s)));
  return s >= 0 ? [255, fade, fade] : [fade, fade, 255];
}
