export type { ClipFeatureOptions } from './clip-features.js';
export { clipFeatures } from './clip-features.js';
export type { RandomClipOptions, SlidingClipOptions } from './clips.js';
export { clipStarts, randomClips, slidingClips } from './clips.js';
export type { ContactSheetOptions } from './contact-sheet.js';
export { contactSheet } from './contact-sheet.js';
export { convertVideoChannels } from './convert-video-channels.js';
export type { DecodeGifOptions } from './decode-gif.js';
export { decodeGif } from './decode-gif.js';
export type { EncodeGifOptions } from './encode-gif.js';
export { encodeGif } from './encode-gif.js';
export type { FrameBatch } from './frame-batch.js';
export { batchToTensor, clipsToBatch, tensorToVideos } from './frame-batch.js';
export type { ReadFrameFolderOptions } from './frame-folder.js';
export { listFrameFiles, readFrameFolder, writeFrameFolder } from './frame-folder.js';
export { readGif, writeGif } from './gif-files.js';
export type {
  BounceEvent,
  MovingMnistBatch,
  MovingMnistInfo,
  MovingMnistOptions,
  MovingMnistSequence,
  MovingMnistState,
} from './moving-mnist.js';
export { MovingMnist } from './moving-mnist.js';
export type { MovingMnistTestSet } from './moving-mnist-test-set.js';
export {
  MOVING_MNIST_INFO,
  MOVING_MNIST_NPY,
  movingMnistTestSet,
  readMovingMnistTestSet,
  writeMovingMnistTestSet,
} from './moving-mnist-test-set.js';
export { naturalCompare } from './natural-compare.js';
export type { NpyArray, NpyDType } from './npy.js';
export { decodeNpy, encodeNpy } from './npy.js';
export { readNpy, writeNpy } from './npy-files.js';
export { resizeVideo } from './resize-video.js';
export type { Video } from './video.js';
export { checkVideo } from './video.js';
export type { VideoCodecOptions } from './video-codec.js';
export { registerVideoCodec, VIDEO_CODEC_TYPE, VideoCodec } from './video-codec.js';
export type { VideoDataFailure } from './video-data-error.js';
export { VideoDataError } from './video-data-error.js';
export type { VideoLimits } from './video-limits.js';
export { DEFAULT_VIDEO_LIMITS } from './video-limits.js';
