import { ConfigError, ShapeError } from '@seqgen/core';
import { thrown } from '@seqgen/test-utils';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { heatmapPng } from './heatmap-png.js';

describe('heatmapPng', () => {
  it('writes a PNG that decodes to blue, white and red cells of the given size', () => {
    const bytes = heatmapPng(
      [
        [-2, 0, 2],
        [1, 1, 1],
      ],
      { cellWidth: 4, cellHeight: 3 },
    );
    expect(Array.from(bytes.slice(1, 4), (b) => String.fromCharCode(b)).join('')).toBe('PNG');
    const png = PNG.sync.read(Buffer.from(bytes));
    expect([png.width, png.height]).toEqual([12, 6]);
    const pixel = (x: number, y: number) =>
      Array.from(png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4));
    expect(pixel(1, 1)).toEqual([0, 0, 255, 255]);
    expect(pixel(5, 2)).toEqual([255, 255, 255, 255]);
    expect(pixel(11, 0)).toEqual([255, 0, 0, 255]);
    // 1 of ±2: half-way to red.
    expect(pixel(0, 4)).toEqual([255, 128, 128, 255]);
  });

  it('refuses ragged or empty rows and bad cell sizes', () => {
    expect(thrown(() => heatmapPng([[1, 2], [1]]), ShapeError).message).toContain(
      'rows[1] must be 2 values like rows[0], got 1',
    );
    expect(thrown(() => heatmapPng([]), ShapeError).argument).toBe('rows');
    expect(thrown(() => heatmapPng([[1]], { cellWidth: 0 }), ConfigError).field).toBe('cellWidth');
  });
});
