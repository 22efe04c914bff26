// Moved to @seqgen/core (initBackend registers them); re-exported for code written against 0.1.
export { registerWasmConvKernels } from '@seqgen/core';
export type {
  HeldOutCombination,
  Scene,
  SceneLayout,
  SceneObject,
  SceneObjectKind,
  SceneSplit,
} from './caption-scene.js';
export {
  DEFAULT_HELD_OUT,
  randomScene,
  SCENE_CELL_SIZE,
  SCENE_CELLS,
  SCENE_OBJECT_KINDS,
  SCENE_SIZE,
  showsHeldOut,
} from './caption-scene.js';
export type { CaptionScenes, ComposeScenesOptions } from './caption-scenes.js';
export { composeCaptionScenes, sceneImage } from './caption-scenes.js';
export type { CaptionDatasetOptions, CaptionedImage } from './captioned-image.js';
export { loadCaptionedImage } from './captioned-image.js';
export { parseCocoCaptions, readCocoCaptions } from './coco-captions.js';
export { convertChannels, toGrayscale, toRgb } from './color-conversion.js';
export type { ConvEncoderConfig, EncodedImages } from './conv-encoder.js';
export { CONV_ENCODER_TYPE, ConvEncoder, convEncoderConfig } from './conv-encoder.js';
export type { CropBox } from './crop-image.js';
export { centerCrop, cropImage } from './crop-image.js';
export type { DecodeImageOptions } from './decode-image.js';
export { DEFAULT_MAX_PIXELS, decodeImage } from './decode-image.js';
export { encodeJpeg, encodePng } from './encode-image.js';
export { parseFlickr8kTokens, readFlickr8kCaptions } from './flickr8k-captions.js';
export type { IdxArray } from './idx-file.js';
export { parseIdx, readIdxFile } from './idx-file.js';
export type { Image, ImageChannels } from './image.js';
export { assertImage } from './image.js';
export type { ImageBatch } from './image-batcher.js';
export { gatherBatch, ImageBatcher, imageBatches } from './image-batcher.js';
export type { ImageClassifierConfig } from './image-classifier.js';
export { IMAGE_CLASSIFIER_TYPE, ImageClassifier, registerVisionModels } from './image-classifier.js';
export type { ImageCodecOptions } from './image-codec.js';
export { IMAGE_CODEC_TYPE, ImageCodec, registerImageCodec } from './image-codec.js';
export type { LabeledImages } from './image-dataset.js';
export { imageAt, sliceImages } from './image-dataset.js';
export type { ImageFormat, ImageHeader } from './image-format.js';
export { readImageHeader, sniffImageFormat } from './image-format.js';
export type { ChannelStats, ImagesToTensorOptions, PixelNormalization } from './images-to-tensor.js';
export { imagesToTensor, normalizePixels, tensorToImages } from './images-to-tensor.js';
export type { MnistLoadOptions } from './mnist-datasets.js';
export { FASHION_MNIST_CLASSES, FASHION_MNIST_DIR, loadFashionMnist, readIdxImageSet } from './mnist-datasets.js';
export type { MnistDigitsOptions, MnistSplit } from './mnist-digits.js';
export { loadMnistDigits, MNIST_DIGIT_CLASSES, MNIST_DIGIT_SIZE } from './mnist-digits.js';
export {
  loadPretrainedClassifier,
  loadPretrainedEncoder,
  PRETRAINED_CHECKPOINT,
  pretrainedCheckpointPath,
} from './pretrained.js';
export { resizeImage } from './resize-image.js';
export { sceneCaptions, sceneCaptionWords } from './scene-captions.js';
export type { SceneSourceOptions, SceneSources } from './scene-sources.js';
export { loadSceneSources, sceneSourcesOf } from './scene-sources.js';
export type { VisionDataFailure } from './vision-data-error.js';
export { VisionDataError } from './vision-data-error.js';
