// seqgen-music's speed, in CPU seconds of this process (steady on a shared machine): generation as a multiple of
// real time on one core (wasm, one thread: seconds of music per CPU second, 30 s over "C G Am F" from the shipped
// checkpoint) and training events/s of the shipped model's shape (batch 32 x 64 events, LSTM 256) on the data
// bench/export-events.ts describes. Usage: tsx bench/speed.ts [--train-steps N]
import { initBackend } from '@seqgen/core';
import { ConditionedStreamSource } from '@seqgen/models';
import { StreamBatcher, Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { loadMusicModel, PRETRAINED_CHECKPOINT } from '../src/checkpoint.js';
import { compose } from '../src/compose.js';
import { augmentedDocuments, musicCodecs } from '../src/event-data.js';
import { OPENMSX_DIR, readPieces } from '../src/pieces.js';
import { buildModel } from '../src/train.js';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const stepsArg = process.argv.indexOf('--train-steps');
const trainSteps = stepsArg > 0 ? Number(process.argv[stepsArg + 1]) : 20;
await initBackend({ backend: 'wasm', wasmThreads: 1 });
console.log(`backend ${tf.getBackend()}`);

const loaded = await loadMusicModel(PRETRAINED_CHECKPOINT);
const settings = { seconds: 30, chords: 'C G Am F', qpm: 120, beatsPerChord: 4, density: 1, temperature: 1, topP: 1 };
await compose(loaded, { ...settings, seconds: 2, seed: 0 }); // warm-up
for (const seed of [1, 2, 3, 4]) {
  const c0 = cpu();
  const piece = await compose(loaded, { ...settings, seed });
  const c = cpu() - c0;
  console.log(
    `generate: ${piece.musicSeconds.toFixed(1)} s of music, ${piece.generated} events in ${c.toFixed(2)} CPU s ` +
      `(${piece.computeSeconds.toFixed(2)} s wall): ${(piece.musicSeconds / c).toFixed(1)}x real time, ` +
      `${(piece.generated / c).toFixed(0)} events/CPU-s, ${((c / piece.generated) * 1e6).toFixed(0)} us/event`,
  );
}
loaded.model.dispose();

const codecs = musicCodecs();
const split = readPieces(OPENMSX_DIR);
const docs = augmentedDocuments(split.train, codecs, { transpose: 3, stretch: 0.05, noChordShare: 0.2, seed: 1 });
const model = buildModel(
  { cell: 'lstm', layers: 1, hidden: 256, embedding: 64, chordEmbedding: 16, dropout: 0, seed: 1 },
  codecs,
);
const cut = { batchSize: 32, seqLength: 64, seed: 1 };
const data = new ConditionedStreamSource(
  new StreamBatcher({ documents: docs.tokens, ...cut }),
  new StreamBatcher({ documents: docs.conditions, ...cut }),
  { conditionOn: 'next' },
);
// Three warm-up steps, then `trainSteps` timed ones.
let c0 = 0;
let w0 = 0;
let events = 0;
const trainer = new Trainer(
  model,
  { optimizer: { type: 'adam', learningRate: 3e-3 }, maxSteps: 3 + trainSteps, progressBar: false },
  [
    {
      onStepEnd: (m) => {
        if (m.step === 3) {
          c0 = cpu();
          w0 = performance.now();
        } else if (m.step > 3) events += m.tokens;
      },
    },
  ],
);
await trainer.fit(data);
const c = cpu() - c0;
const w = (performance.now() - w0) / 1000;
console.log(
  `train: ${trainSteps} steps of 32 x 64 events in ${c.toFixed(1)} CPU s (${w.toFixed(1)} s wall): ` +
    `${(events / c).toFixed(0)} events/CPU-s, ${(events / w).toFixed(0)} events/s wall`,
);
trainer.dispose();
model.dispose();
