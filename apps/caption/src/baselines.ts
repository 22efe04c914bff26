import type { CaptionScenes } from '@seqgen/vision';
import { loadPretrainedEncoder } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { MODEL_INPUT_SIZE, scenePixels } from './scene-data.js';

/**
 * The most frequent reference caption of the training scenes, given to every
 * image: what a captioner that ignores its input at best learns.
 */
export function mostFrequentCaption(train: CaptionScenes): string {
  const counts = new Map<string, number>();
  for (const refs of train.captions) for (const c of refs) counts.set(c, (counts.get(c) ?? 0) + 1);
  let best = '';
  let most = 0;
  for (const [c, n] of counts) {
    if (n > most || (n === most && c < best)) [best, most] = [c, n];
  }
  return best;
}

/**
 * Retrieval: each test image gets the first reference caption of the
 * training scene nearest to it by the cosine of the pretrained Fashion-MNIST
 * CNN's pooled features (no captioning model at all).
 */
export async function nearestNeighbourCaptions(train: CaptionScenes, test: CaptionScenes): Promise<string[]> {
  // The scenes are shrunk to the CNN's own 28×28 input, so the pretrained encoder reads them as they are.
  const encoder = await loadPretrainedEncoder();
  const size = MODEL_INPUT_SIZE;
  const pooled = (scenes: CaptionScenes): tf.Tensor2D => {
    const pixels = scenePixels(scenes, size);
    const parts: tf.Tensor2D[] = [];
    for (let start = 0; start < scenes.count; start += 200) {
      const count = Math.min(200, scenes.count - start);
      parts.push(
        tf.tidy(() => {
          const bytes = pixels.subarray(start * size * size, (start + count) * size * size);
          const images = tf.div(tf.tensor4d(Float32Array.from(bytes), [count, size, size, 1]), 255) as tf.Tensor4D;
          const { featureMap, memory, pooled: v } = encoder.encode(images);
          tf.dispose([featureMap, memory]);
          return tf.div(v, tf.add(tf.norm(v, 2, 1, true), 1e-8)) as tf.Tensor2D;
        }),
      );
    }
    const all = tf.concat(parts, 0) as tf.Tensor2D;
    tf.dispose(parts);
    return all;
  };
  const a = pooled(train);
  const b = pooled(test);
  const nearest = tf.tidy(() => tf.argMax(tf.matMul(b, tf.transpose(a)), 1));
  const indices = Array.from(await nearest.data());
  tf.dispose([a, b, nearest]);
  encoder.dispose();
  return indices.map((i) => train.captions[i]?.[0] ?? '');
}
