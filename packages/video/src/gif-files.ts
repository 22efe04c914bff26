import { type DecodeGifOptions, decodeGif } from './decode-gif.js';
import { type EncodeGifOptions, encodeGif } from './encode-gif.js';
import { readFileChecked } from './read-file-checked.js';
import type { Video } from './video.js';
import { resolveLimits } from './video-limits.js';
import { writeFileAtomic } from './write-file-atomic.js';

/**
 * Reads an animated GIF file into frames ({@link decodeGif}); the file size,
 * frame and pixel limits are checked before decoding, and every failure is a
 * `VideoDataError` naming the path (and the frame).
 */
export function readGif(path: string, options: Omit<DecodeGifOptions, 'source'> = {}): Video {
  const bytes = readFileChecked(path, resolveLimits(options).maxFileBytes);
  return decodeGif(bytes, { ...options, source: path });
}

/** Writes a video as an animated GIF file ({@link encodeGif}), atomically (a temporary file, then a rename). */
export function writeGif(path: string, video: Video, options: EncodeGifOptions = {}): void {
  writeFileAtomic(path, encodeGif(video, options));
}
