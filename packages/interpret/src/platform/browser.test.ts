import { ConfigError } from '@seqgen/core';
import { describe, expect, it } from 'vitest';
import { encodePng } from './browser.js';

// The module the browser build swaps in for ./node.ts, run here directly.
describe('interpret browser platform', () => {
  it('refuses to encode PNG with a ConfigError that says what works in a browser', () => {
    const error = (() => {
      try {
        encodePng(1, 1, new Uint8Array(4));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      'heatmapPng: writes PNG files with pngjs, which needs Node; in a browser draw the cells with divergingColour on a canvas',
    );
  });
});
