// The `@seqgen/vision/encoder` entry: the conv encoder alone (tfjs ops, no files, no image codecs),
// so that a model built on it (`@seqgen/models`' captioner) bundles for the browser.
export type { ConvEncoderConfig, EncodedImages } from './conv-encoder.js';
export { CONV_ENCODER_TYPE, ConvEncoder, convEncoderConfig } from './conv-encoder.js';
