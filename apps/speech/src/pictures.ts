import type { Matrix } from '@seqgen/audio';
import { heatmapPng } from '@seqgen/interpret';

/** A log-mel spectrogram as a PNG: time left to right, low bands at the bottom, blue quiet, red loud. */
export function melPng(mel: Matrix): Uint8Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of mel.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const rows = Array.from({ length: mel.cols }, (_, k) => {
    const band = mel.cols - 1 - k;
    return Float32Array.from({ length: mel.rows }, (_, t) => mel.data[t * mel.cols + band] as number);
  });
  return heatmapPng(rows, { cellWidth: 2, cellHeight: 4, min: lo, max: hi === lo ? lo + 1 : hi });
}

/**
 * An attention alignment as a PNG: decoder steps left to right, input
 * symbols bottom to top (a good alignment is a rising diagonal), white for
 * no attention, red for all of it.
 */
export function alignmentPng(alignment: readonly Float32Array[]): Uint8Array {
  const symbols = alignment[0]?.length ?? 0;
  const rows = Array.from({ length: symbols }, (_, k) =>
    Float32Array.from(alignment, (step) => step[symbols - 1 - k] as number),
  );
  return heatmapPng(rows, { cellWidth: 4, cellHeight: 4, min: -1, max: 1 });
}
