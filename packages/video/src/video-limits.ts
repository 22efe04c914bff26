import { assertPositiveInteger } from '@seqgen/core';

/**
 * Limits a reader checks before it allocates, so that a hostile or huge file
 * (a GIF claiming 65535×65535 pixels, a folder of a million frames) is refused
 * with a `VideoDataError` instead of exhausting memory.
 */
export type VideoLimits = {
  /** Most frames one video may have (default 4,096). */
  maxFrames?: number;
  /**
   * Most pixels in all frames together, `width × height × frames` (default
   * 2²⁵ ≈ 33.5 M: 100 frames of 640 × 480 — about 100 MB as RGB bytes).
   */
  maxPixels?: number;
  /** Largest file read, in bytes (default 1 GiB). */
  maxFileBytes?: number;
};

/** The defaults of every {@link VideoLimits} field. */
export const DEFAULT_VIDEO_LIMITS: Readonly<Required<VideoLimits>> = Object.freeze({
  maxFrames: 4096,
  maxPixels: 2 ** 25,
  maxFileBytes: 2 ** 30,
});

/** `limits` with defaults filled in; a given value must be a positive integer (ConfigError). */
export function resolveLimits(limits: VideoLimits = {}): Required<VideoLimits> {
  const resolved = { ...DEFAULT_VIDEO_LIMITS };
  for (const key of Object.keys(DEFAULT_VIDEO_LIMITS) as Array<keyof VideoLimits>) {
    const value = limits[key];
    if (value === undefined) continue;
    assertPositiveInteger(key, value);
    resolved[key] = value;
  }
  return resolved;
}
