import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, PRETRAINED_CHECKPOINT } from './eval.js';
import { speakToFiles } from './speak-files.js';
import { train } from './train.js';

const SENTENCE = 'Call me Ishmael. It was the 3rd of June, and Dr. Bunger paid $12.';

/**
 * The demo: speaks 210 short Moby-Dick sentences with espeak-ng, trains a
 * small Tacotron for `minutes`, speaks one sentence with it and with the
 * shipped checkpoint (WAV + mel and alignment PNGs), and evaluates the
 * shipped checkpoint on three held-out sentences.
 */
export async function runDemo(o: { minutes: number }): Promise<void> {
  const dir = join(process.cwd(), 'runs', 'demo');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, 'model');
  await train({
    data: join(dir, 'data'),
    prepare: { train: 200, valid: 5, test: 5, minChars: 12, maxChars: 40, seed: 1 },
    phonemes: false,
    maxFrames: 300,
    embedding: 64,
    encoderUnits: 48,
    decoderUnits: 128,
    prenetUnits: 64,
    attentionUnits: 48,
    postnetChannels: 48,
    reduction: 3,
    guidedAttention: 2,
    out,
    force: true,
    minutes: o.minutes,
    steps: 100_000,
    batch: 16,
    lr: 3e-3,
    seed: 1,
  });
  for (const [name, checkpoint] of [
    ['demo model', out],
    ['shipped model', PRETRAINED_CHECKPOINT],
  ] as const) {
    const wav = join(dir, `${name.split(' ')[0]}.wav`);
    const r = await speakToFiles({ checkpoint, text: SENTENCE, out: wav, force: true });
    console.log(
      `${name}: "${r.pieces.join(' | ')}" → ${wav} (${r.audioSeconds.toFixed(1)} s, RTF ${r.realTimeFactor.toFixed(2)}), ${r.melPng}, ${r.alignmentPngs.join(', ')}`,
    );
  }
  const report = await evaluate({ limit: 3 });
  console.log(JSON.stringify(report.metrics), JSON.stringify(report.baselines));
}
