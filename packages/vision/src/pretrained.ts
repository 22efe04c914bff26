import type { ConvEncoder } from './conv-encoder.js';
import { ImageClassifier } from './image-classifier.js';

/** File name of the shipped checkpoint in the package's `pretrained/` folder. */
export const PRETRAINED_CHECKPOINT = 'fashion-mnist-cnn.seqgen';

/** Path of the shipped Fashion-MNIST classifier checkpoint (encoder + head), beside `dist/`. */
export function pretrainedCheckpointPath(): string {
  return decodeURIComponent(new URL(`../pretrained/${PRETRAINED_CHECKPOINT}`, import.meta.url).pathname);
}

/**
 * The shipped CNN pretrained on Fashion-MNIST classification (28×28×1 →
 * 7×7×128; test accuracy in the README and in the checkpoint's metadata),
 * encoder and classifier head.
 */
export function loadPretrainedClassifier(): Promise<ImageClassifier> {
  return ImageClassifier.load(pretrainedCheckpointPath());
}

/**
 * The shipped pretrained encoder alone (its head freed): for transfer
 * learning, freeze its `encoder/**` variables first, then fine-tune them at a
 * lower learning rate.
 */
export async function loadPretrainedEncoder(): Promise<ConvEncoder> {
  const classifier = await loadPretrainedClassifier();
  classifier.variables['head/kernel']?.dispose();
  classifier.variables['head/bias']?.dispose();
  return classifier.encoder;
}
