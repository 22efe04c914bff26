import * as tf from '@tensorflow/tfjs';
import { type LoadedClassifier, loadClassifier } from './checkpoints.js';
import { featuresOf } from './clip-features-data.js';
import { readInputClip } from './input-clip.js';

/** One clip's classification. */
export type Classification = {
  input: string;
  /** The most probable class name. */
  label: string;
  /** Its probability. */
  probability: number;
  /** Every class's probability, most probable first. */
  ranked: { label: string; probability: number }[];
  frames: number;
};

/** Reads each clip (GIF or frame folder, at least 2 frames), encodes its frames and classifies its motion. */
export async function classifyClips(inputs: readonly string[], checkpoint?: string): Promise<Classification[]> {
  const classifier = await loadClassifier(checkpoint);
  try {
    const out: Classification[] = [];
    for (const input of inputs) out.push(await classifyOne(classifier, input));
    return out;
  } finally {
    classifier.model.dispose();
  }
}

async function classifyOne({ model, features }: LoadedClassifier, input: string): Promise<Classification> {
  const clip = readInputClip(input, { width: 64, height: 64 }, 2);
  const T = clip.tensor.shape[1];
  const values = await featuresOf(clip.tensor, features).finally(() => clip.tensor.dispose());
  const x = tf.tensor3d(values, [1, T, values.length / T]);
  const p = model.probabilities(x);
  const probabilities = Array.from(await p.data());
  tf.dispose([x, p]);
  const ranked = probabilities
    .map((probability, i) => ({ label: model.config.classNames[i] as string, probability }))
    .sort((a, b) => b.probability - a.probability);
  const best = ranked[0] as { label: string; probability: number };
  return { input, label: best.label, probability: best.probability, ranked, frames: T };
}
