import { ConfigError } from '@seqgen/core';

/**
 * The browser build's stand-in for `./node.ts`: pngjs needs Node's zlib, so a page colours
 * its own canvas with `divergingColour` instead of asking for PNG bytes.
 */
export function encodePng(_width: number, _height: number, _rgba: Uint8Array): Uint8Array {
  throw new ConfigError(
    'heatmapPng',
    'writes PNG files with pngjs, which needs Node; in a browser draw the cells with divergingColour on a canvas',
  );
}
