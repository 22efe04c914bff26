import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/video public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_VIDEO_LIMITS',
      'MOVING_MNIST_INFO',
      'MOVING_MNIST_NPY',
      'MovingMnist',
      'VIDEO_CODEC_TYPE',
      'VideoCodec',
      'VideoDataError',
      'batchToTensor',
      'checkVideo',
      'clipFeatures',
      'clipStarts',
      'clipsToBatch',
      'contactSheet',
      'convertVideoChannels',
      'decodeGif',
      'decodeNpy',
      'encodeGif',
      'encodeNpy',
      'listFrameFiles',
      'movingMnistTestSet',
      'naturalCompare',
      'randomClips',
      'readFrameFolder',
      'readGif',
      'readMovingMnistTestSet',
      'readNpy',
      'registerVideoCodec',
      'resizeVideo',
      'slidingClips',
      'tensorToVideos',
      'writeFrameFolder',
      'writeGif',
      'writeMovingMnistTestSet',
      'writeNpy',
    ]);
  });
});
