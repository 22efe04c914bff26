import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { melCepstralDistortion, melCepstrum } from '@seqgen/audio';
import { initBackend } from '@seqgen/core';
import { alignmentQuality } from '@seqgen/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { espeakAudio, espeakPhonemes } from '../src/espeak.js';
import { PRETRAINED_CHECKPOINT } from '../src/eval.js';
import { explainSpeech } from '../src/explain.js';
import { logMelOf } from '../src/features.js';
import { speakText } from '../src/speak.js';
import { loadSpeechModel } from '../src/speech-model.js';
import { speechToolsPresent } from './run-cli.js';

const present = speechToolsPresent();

beforeAll(async () => {
  await initBackend();
});

describe('the shipped Moby-Dick / espeak-ng checkpoint', () => {
  it('is small (≤ 4 MB) and carries its held-out test sentences', async () => {
    const bytes = readdirSync(PRETRAINED_CHECKPOINT).reduce(
      (n, f) => n + statSync(join(PRETRAINED_CHECKPOINT, f)).size,
      0,
    );
    expect(bytes).toBeLessThan(4 * 1024 * 1024);
    const speech = await loadSpeechModel(PRETRAINED_CHECKPOINT);
    try {
      expect(speech.metadata.test.length).toBe(30);
      expect(speech.metadata.symbols).toBe('phoneme');
      expect(speech.model.config).toMatchObject({ melBins: 40, reduction: 4 });
    } finally {
      speech.model.dispose();
    }
  });

  it.skipIf(!present)(
    'speaks a held-out sentence to its stop token, reading it in order, about as long as espeak-ng',
    async () => {
      const speech = await loadSpeechModel(PRETRAINED_CHECKPOINT);
      try {
        const sentence = speech.metadata.test[0]?.normalized as string;
        const result = await speakText(speech, sentence, { iterations: 8 });
        const spoken = espeakAudio(sentence);
        const reference = logMelOf(spoken.samples, spoken.sampleRate);
        const silence = {
          data: new Float32Array(reference.data.length).fill(Math.log(1e-3)),
          rows: reference.rows,
          cols: 40,
        };
        const mcd = melCepstralDistortion(melCepstrum(reference), melCepstrum(result.mel));
        console.info(
          `[pretrained] "${sentence}": MCD ${mcd.toFixed(2)} dB, ${result.mel.rows} frames (reference ${reference.rows})`,
        );
        expect(mcd).toBeLessThan(melCepstralDistortion(melCepstrum(reference), melCepstrum(silence)));
        expect(result.guarded).toEqual([]);
        expect(Math.abs(result.mel.rows - reference.rows) / reference.rows).toBeLessThan(0.3);
        const quality = alignmentQuality(result.alignments[0] ?? []);
        expect(quality.monotonic).toBeGreaterThan(0.9);
        expect(quality.diagonal).toBeGreaterThan(0.8);
      } finally {
        speech.model.dispose();
      }
    },
  );
  // The shipped model reads espeak-ng's phonemes of the text, so explaining it needs espeak-ng.
  it.skipIf(!present)(
    'explain: traces the decoder over its own speech and finds units that follow the attention through the text',
    async () => {
      const speech = await loadSpeechModel(PRETRAINED_CHECKPOINT);
      try {
        const report = await explainSpeech(speech, 'Call me Ishmael. Some years ago.', 3);
        expect(report.text).toBe('call me ishmael.');
        expect(report.symbols).toBe(espeakPhonemes(report.text).length);
        expect(report.features.map((f) => f.feature)).toEqual([
          'text-progress',
          'attended-symbol',
          'attention-entropy',
          'stop-probability',
        ]);
        for (const f of report.features) {
          const r = f.units.map((u) => Math.abs(u.correlation));
          expect(r).toHaveLength(3);
          expect([...r].sort((a, b) => b - a)).toEqual(r);
        }
        // The shipped model reads in order: the attended symbol walks from the first towards the last.
        expect(report.attended[0]).toBeLessThan(3);
        expect(report.attended.at(-1)).toBeGreaterThan(report.symbols - 5);
        expect(Math.abs(report.features[0]?.units[0]?.correlation ?? 0)).toBeGreaterThan(0.9);
      } finally {
        speech.model.dispose();
      }
    },
  );
});
