import { resolve } from 'node:path';
import { matchKeyframes, selectKeyframes } from '@seqgen/models';
import { MovingMnist } from '@seqgen/video';
import { pretrainedCheckpointPath } from '@seqgen/vision';
import * as tf from '@tensorflow/tfjs';
import { loadBaseline, loadClassifier, loadForecaster } from './checkpoints.js';
import { labelledClips } from './clip-features-data.js';
import { forecastFigures } from './forecast-eval.js';
import { digitsOf, heldOutBatches, TEST_SEED } from './moving-mnist-data.js';
import { PRETRAINED_CLASSIFIER, PRETRAINED_FORECASTER } from './paths.js';
import { frameChangeScores, KEYFRAME_GAP } from './summarize.js';

/** What `eval` scores: frame prediction, motion classification or keyframe summaries. */
export type EvalTask = 'predict' | 'classify' | 'summarize';

/** `eval --json`'s object (the apps' shared shape). */
export type EvalReport = {
  checkpoint: string;
  task: EvalTask;
  split: 'test';
  examples: number;
  metrics: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  seconds: number;
};

/** Frames per clip of the summarization test (20: the standard sequence, long enough for bounces). */
const SUMMARY_FRAMES = 20;

/**
 * Scores a checkpoint on held-out Moving MNIST (sequences from the test
 * digits, seed {@link TEST_SEED}, never trained on) beside the baselines the
 * same command computes: copy-last-frame and linear extrapolation
 * (`predict`), the mean-pooled-features classifier (`classify`), evenly
 * spaced keyframes (`summarize`, scored as the pretrained CNN whose features it reads).
 */
export async function evaluate(o: { task: EvalTask; checkpoint?: string; examples: number }): Promise<EvalReport> {
  const started = performance.now();
  const report = (
    checkpoint: string,
    examples: number,
    metrics: Record<string, number>,
    baselines: EvalReport['baselines'],
  ) => ({
    checkpoint: resolve(checkpoint),
    task: o.task,
    split: 'test' as const,
    examples,
    metrics,
    baselines,
    seconds: (performance.now() - started) / 1000,
  });
  if (o.task === 'predict') {
    const checkpoint = o.checkpoint ?? PRETRAINED_FORECASTER;
    const model = await loadForecaster(checkpoint);
    try {
      const f = await forecastFigures(model, heldOutBatches(o.examples, { batchSize: 16 }));
      return report(checkpoint, f.examples, f.model, f.baselines);
    } finally {
      model.dispose();
    }
  }
  if (o.task === 'summarize') return report(pretrainedCheckpointPath(), ...(await summaryFigures(o.examples)));
  const checkpoint = o.checkpoint ?? PRETRAINED_CLASSIFIER;
  const classifier = await loadClassifier(checkpoint);
  try {
    const clips = await labelledClips('test', TEST_SEED, o.examples, classifier.features);
    const score = await classifier.model.evaluate(clips.batches);
    const baselines: EvalReport['baselines'] = { chance: { accuracy: 1 / classifier.model.config.classes } };
    const baseline = await loadBaseline(checkpoint);
    if (baseline) {
      try {
        baselines.mean_pooled_features = { accuracy: (await baseline.model.evaluate(clips.batches)).accuracy };
      } finally {
        baseline.model.dispose();
      }
    }
    return report(checkpoint, score.examples, { accuracy: score.accuracy, nats_per_clip: score.loss }, baselines);
  } finally {
    classifier.model.dispose();
  }
}

/**
 * Keyframes of one-digit 20-frame clips against the frames where the
 * generator bounced the digit: as many keyframes as the clip has bounce
 * frames (so precision and recall are not bought with more frames), beside
 * the same number of evenly spaced frames.
 */
async function summaryFigures(examples: number): Promise<[number, Record<string, number>, EvalReport['baselines']]> {
  const generator = new MovingMnist(digitsOf('test'), {
    seed: TEST_SEED + 1,
    frames: SUMMARY_FRAMES,
    digitsPerSequence: 1,
    batchSize: 16,
  });
  const sums = { model: { precision: 0, recall: 0 }, even: { precision: 0, recall: 0 } };
  let counted = 0;
  while (counted < examples) {
    const batch = generator.next();
    const [B, T, H, W, C] = batch.shape;
    const clips = tf.tensor5d(batch.data, [B, T, H, W, C]);
    const scores = await frameChangeScores(clips).finally(() => clips.dispose());
    for (let b = 0; b < B && counted < examples; b++) {
      const bounces = [...new Set((batch.info[b]?.bounces ?? []).map((e) => e.frame))];
      // Clips without a bounce have nothing to find.
      if (bounces.length === 0) continue;
      const K = bounces.length;
      const even = Array.from({ length: K }, (_, k) => Math.round(((k + 1) * (T - 1)) / (K + 1)));
      const keyframes = selectKeyframes(scores[b] as Float64Array, K, KEYFRAME_GAP);
      for (const [name, chosen] of [
        ['model', keyframes],
        ['even', even],
      ] as const) {
        const m = matchKeyframes(chosen, bounces, 1);
        sums[name].precision += m.precision;
        sums[name].recall += m.recall;
      }
      counted++;
    }
  }
  const figures = (s: { precision: number; recall: number }) => ({
    bounce_recall: s.recall / counted,
    keyframe_precision: s.precision / counted,
  });
  return [counted, figures(sums.model), { evenly_spaced: figures(sums.even) }];
}
