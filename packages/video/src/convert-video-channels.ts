import { ConfigError } from '@seqgen/core';
import { convertChannels, type ImageChannels } from '@seqgen/vision';
import { checkVideo, type Video } from './video.js';
import { frameImage, videoFromImages } from './video-frame-image.js';

/**
 * The video with every frame converted to `channels` by `@seqgen/vision`'s
 * `convertChannels` (gray → RGB repeats, color → gray is BT.601 luma, alpha
 * dropped or made opaque).
 */
export function convertVideoChannels(video: Video, channels: ImageChannels): Video {
  checkVideo(video);
  if (channels !== 1 && channels !== 3 && channels !== 4)
    throw new ConfigError('channels', `must be 1, 3 or 4, got ${String(channels)}`);
  if (video.frames.length === 0) return { ...video, channels, frames: [] };
  return videoFromImages(
    video.frames.map((_, t) => convertChannels(frameImage(video, t), channels)),
    video.delaysMs,
  );
}
