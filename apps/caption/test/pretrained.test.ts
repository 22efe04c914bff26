import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { captionScores } from '@seqgen/models';
import { composeCaptionScenes } from '@seqgen/vision';
import { beforeAll, describe, expect, it } from 'vitest';
import { mostFrequentCaption } from '../src/baselines.js';
import { loadCaptioner, PRETRAINED_CHECKPOINT } from '../src/captioner-checkpoint.js';
import { evaluate } from '../src/eval.js';
import { evalScenes, sceneSources } from '../src/scene-data.js';

beforeAll(async () => {
  await initBackend();
});

describe('the shipped captioner', () => {
  it('is small (≤ 3 MB) and loads as an attention captioner of scenes (read at 28×28) on the pretrained CNN', async () => {
    const bytes = readdirSync(PRETRAINED_CHECKPOINT).reduce(
      (n, f) => n + statSync(join(PRETRAINED_CHECKPOINT, f)).size,
      0,
    );
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
    const run = await loadCaptioner(PRETRAINED_CHECKPOINT);
    try {
      expect(run.model.config).toMatchObject({ attention: 'bahdanau', encoder: { inputHeight: 28, inputWidth: 28 } });
      expect(run.metadata).toMatchObject({ app: '@seqgen/app-caption', encoderInit: 'pretrained' });
    } finally {
      run.model.dispose();
    }
  });

  it('eval without --checkpoint scores it on the test scenes beside the baselines, and beats the frequent caption', async () => {
    const report = await evaluate({ beams: 1, limit: 40 });
    expect(report).toMatchObject({ checkpoint: PRETRAINED_CHECKPOINT, split: 'test', examples: 40 });
    const scenes = await evalScenes('test', 40);
    const run = await loadCaptioner(PRETRAINED_CHECKPOINT);
    const data = run.metadata.data as { seed: number; train: number };
    run.model.dispose();
    const train = composeCaptionScenes(await sceneSources('train'), {
      count: Math.min(data.train, 1000),
      seed: data.seed,
    });
    const frequent = mostFrequentCaption(train);
    const expected = captionScores(
      scenes.captions.map(() => frequent),
      scenes.captions,
    );
    expect(report.baselines.most_frequent_caption?.cider_d).toBeCloseTo(expected.ciderD, 3);
    expect(report.metrics.cider_d).toBeGreaterThan(report.baselines.most_frequent_caption?.cider_d ?? 0);
  });
});
