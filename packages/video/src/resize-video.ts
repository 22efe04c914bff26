import { assertPositiveInteger } from '@seqgen/core';
import { resizeImage } from '@seqgen/vision';
import { checkVideo, type Video } from './video.js';
import { frameImage, videoFromImages } from './video-frame-image.js';

/**
 * The video with every frame resized to `width × height` by `@seqgen/vision`'s
 * `resizeImage` (bilinear, antialiased when shrinking).
 */
export function resizeVideo(video: Video, width: number, height: number): Video {
  checkVideo(video);
  assertPositiveInteger('width', width);
  assertPositiveInteger('height', height);
  if (video.frames.length === 0) return { ...video, width, height, frames: [] };
  return videoFromImages(
    video.frames.map((_, t) => resizeImage(frameImage(video, t), width, height)),
    video.delaysMs,
  );
}
