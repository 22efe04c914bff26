// The part of gifenc's API (https://github.com/mattdesl/gifenc, no bundled types) this package uses.
declare module 'gifenc' {
  type Palette = number[][];
  type FrameOptions = { palette?: Palette; delay?: number; repeat?: number };
  type Encoder = {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
  };
  export function GIFEncoder(): Encoder;
  export function quantize(
    rgba: Uint8Array,
    maxColors: number,
    options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' },
  ): Palette;
  export function applyPalette(
    rgba: Uint8Array,
    palette: Palette,
    format?: 'rgb565' | 'rgb444' | 'rgba4444',
  ): Uint8Array;
}
