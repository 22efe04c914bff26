import { existsSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import {
  convertVideoChannels,
  readFrameFolder,
  readGif,
  resizeVideo,
  type Video,
  type VideoLimits,
} from '@seqgen/video';
import * as tf from '@tensorflow/tfjs';

/** What {@link readInputClip} returns: the clip as the model sees it and what was done to get there. */
export type InputClip = {
  /** Gray frames at the model's size. */
  video: Video;
  /** `[1, T, height, width, 1]` in [0, 1]; the caller disposes it. */
  tensor: tf.Tensor5D;
  /** The frames' size as read, when it was resized. */
  resizedFrom?: [number, number];
};

/**
 * Reads `--input`: an animated GIF or a folder of PNG/JPEG frames (every
 * failure a one-line error naming the file), as gray frames resized to
 * `width × height`; fewer than `minFrames` frames is an error.
 */
export function readInputClip(
  path: string,
  size: { width: number; height: number },
  minFrames: number,
  limits: VideoLimits = {},
): InputClip {
  if (!existsSync(path)) throw new InputError(`--input ${path}: no such file or folder`, path);
  let video: Video;
  if (statSync(path).isDirectory()) video = readFrameFolder(path, { ...limits, channels: 1, minFrames });
  else if (extname(path).toLowerCase() === '.gif') video = readGif(path, { ...limits, channels: 1, minFrames });
  else throw new InputError(`--input ${path}: not a .gif file or a folder of frames`, path);
  const gray = video.channels === 1 ? video : convertVideoChannels(video, 1);
  const resized =
    gray.width === size.width && gray.height === size.height ? gray : resizeVideo(gray, size.width, size.height);
  const T = resized.frames.length;
  const data = new Float32Array(T * size.width * size.height);
  resized.frames.forEach((frame, t) => {
    for (let i = 0; i < frame.length; i++) data[t * frame.length + i] = (frame[i] as number) / 255;
  });
  return {
    video: resized,
    tensor: tf.tensor5d(data, [1, T, size.height, size.width, 1]),
    ...(resized === gray ? {} : { resizedFrom: [gray.width, gray.height] as [number, number] }),
  };
}
