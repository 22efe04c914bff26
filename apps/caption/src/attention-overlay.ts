import type { Image } from '@seqgen/vision';

/** Side of an overlay in pixels (the model's input is scaled up to about it). */
const OVERLAY_SIZE = 224;

/**
 * One word's attention drawn over the image: the gray input, dimmed where
 * the decoder did not look and tinted red where it did. `weights` are the
 * word's attention over the `gridH × gridW` feature-map positions (row-major),
 * spread over the image bilinearly and scaled so the largest weight is full red.
 */
export function attentionOverlay(input: Image, weights: Float32Array, gridH: number, gridW: number): Image {
  const SCALE = Math.max(1, Math.round(OVERLAY_SIZE / input.width));
  const W = input.width * SCALE;
  const H = input.height * SCALE;
  const data = new Uint8Array(W * H * 3);
  let peak = 0;
  for (const w of weights) peak = Math.max(peak, w);
  const at = (gy: number, gx: number) => (weights[gy * gridW + gx] ?? 0) / (peak || 1);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      // Position in feature-map cells (cell centres at .5), clamped for bilinear interpolation.
      const fy = Math.min(Math.max(((y + 0.5) / H) * gridH - 0.5, 0), gridH - 1);
      const fx = Math.min(Math.max(((x + 0.5) / W) * gridW - 0.5, 0), gridW - 1);
      const [y0, x0] = [Math.floor(fy), Math.floor(fx)];
      const [y1, x1] = [Math.min(y0 + 1, gridH - 1), Math.min(x0 + 1, gridW - 1)];
      const [dy, dx] = [fy - y0, fx - x0];
      const a =
        at(y0, x0) * (1 - dy) * (1 - dx) +
        at(y0, x1) * (1 - dy) * dx +
        at(y1, x0) * dy * (1 - dx) +
        at(y1, x1) * dy * dx;
      const gray = input.data[Math.floor(y / SCALE) * input.width + Math.floor(x / SCALE)] as number;
      const o = (y * W + x) * 3;
      const dim = gray * (0.35 + 0.65 * a);
      data[o] = Math.min(255, Math.round(dim + 200 * a));
      data[o + 1] = Math.round(dim);
      data[o + 2] = Math.round(dim);
    }
  }
  return { width: W, height: H, channels: 3, data };
}
