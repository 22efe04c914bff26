import { PNG } from 'pngjs';

/** PNG bytes of an RGBA image (`width × height × 4` bytes), encoded by `pngjs` (Node only: it needs zlib). */
export function encodePng(width: number, height: number, rgba: Uint8Array): Uint8Array {
  const png = new PNG({ width, height });
  png.data.set(rgba);
  return new Uint8Array(PNG.sync.write(png));
}
