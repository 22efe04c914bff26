import type { Video } from '@seqgen/video';

/**
 * Per frame, the mean absolute change of its pixels from the frame before
 * (0–255): how much moves at that step, for any clip. Frame 0 has no frame
 * before it and takes frame 1's value, so the first step is no outlier.
 */
export function frameChange(video: Video, frames = video.frames.length): Float32Array {
  const out = new Float32Array(frames);
  for (let t = 1; t < frames; t++) {
    const [a, b] = [video.frames[t - 1] as Uint8Array, video.frames[t] as Uint8Array];
    let sum = 0;
    for (let i = 0; i < b.length; i++) sum += Math.abs((b[i] as number) - (a[i] as number));
    out[t] = sum / b.length;
  }
  if (frames > 1) out[0] = out[1] as number;
  return out;
}
