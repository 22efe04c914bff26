import type { Image } from '@seqgen/vision';
import type { Video } from './video.js';

/** Frame `t` of a video as a `@seqgen/vision` Image (sharing its bytes). */
export function frameImage(video: Video, t: number): Image {
  return { width: video.width, height: video.height, channels: video.channels, data: video.frames[t] as Uint8Array };
}

/** A video made of same-sized images (the first one's size and channels), keeping `delaysMs`. */
export function videoFromImages(images: readonly Image[], delaysMs?: number[]): Video {
  const first = images[0] as Image;
  const video: Video = {
    width: first.width,
    height: first.height,
    channels: first.channels,
    frames: images.map((i) => i.data),
  };
  if (delaysMs) video.delaysMs = delaysMs;
  return video;
}
