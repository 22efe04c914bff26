import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadMusicModel, PRETRAINED_CHECKPOINT } from '../src/checkpoint.js';
import { evaluateMusic } from '../src/evaluate-music.js';
import { haveOpenmsx } from './run-cli.js';

const data = haveOpenmsx();
beforeAll(async () => {
  await initBackend();
});

describe('the shipped openmsx checkpoint', () => {
  it('is small (≤ 3 MB) and loads as a chord-conditioned performance model with its split', async () => {
    const bytes = readdirSync(PRETRAINED_CHECKPOINT).reduce(
      (n, f) => n + statSync(join(PRETRAINED_CHECKPOINT, f)).size,
      0,
    );
    expect(bytes).toBeLessThan(3 * 1024 * 1024);
    const loaded = await loadMusicModel(PRETRAINED_CHECKPOINT);
    try {
      expect(loaded.model.config).toMatchObject({ cell: 'lstm', hiddenSize: 256, conditionOn: 'next' });
      expect(loaded.metadata.heldOut).toEqual(['city_blues_redfarn.mid', 'modern_motion.mid', 'the_fast_route.mid']);
      expect(loaded.metadata.train).toHaveLength(26);
    } finally {
      loaded.model.dispose();
    }
  });

  // The README's figure: on the held-out pieces the model's NLL per event is at least 15% below the 5-gram's.
  it.skipIf(!data)(
    'eval without --checkpoint: ≥ 15% lower NLL per event than the n-gram baseline',
    async () => {
      const report = await evaluateMusic({ baselineOrder: 5, samples: 1, sampleSeconds: 2, key: 'C major', seed: 1 });
      expect(report.checkpoint).toBe(PRETRAINED_CHECKPOINT);
      expect(report.examples).toBe(3);
      expect(report.events).toBeGreaterThan(12_000);
      expect(report.nll_reduction).toBeGreaterThanOrEqual(0.15);
      expect(report.statistics.generated_in_key.in_key_ratio).toBe(1);
    },
    120_000,
  );
});
