// Does tracing cost anything when it is off, for the music, speech and video
// models? Times each model's teacher-forced `forward` with no trace option
// (the hook absent), with `trace: false` (off) and with `trace: true`,
// interleaved so that machine load hits all three alike.
// Run: pnpm --filter @seqgen/interpret bench:models [-- --backend wasm --reps 20]
import { initBackend, Rng } from '@seqgen/core';
import { ConditionedLanguageModel, ConvLstmForecaster, Tacotron } from '@seqgen/models';
import * as tf from '@tensorflow/tfjs';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? (process.argv[at + 1] as string) : fallback;
};
const backend = arg('backend', 'wasm');
const reps = Number(arg('reps', '20'));
await initBackend({ backend: backend as 'wasm' | 'cpu' });
const rng = new Rng(1);
const uniform = (n: number) => Float32Array.from({ length: n }, () => rng.float());

type Forward = (trace: boolean | undefined) => void;
const run =
  (f: (options: { trace?: boolean }) => tf.TensorContainer): Forward =>
  (trace) =>
    tf.tidy(() => {
      f(trace === undefined ? {} : { trace });
    });

// Music: chord-conditioned Performance-RNN-sized LSTM over [4, 128] events.
const music = new ConditionedLanguageModel({
  vocabSize: 388,
  conditionVocabSize: 25,
  embeddingSize: 64,
  conditionEmbeddingSize: 16,
  hiddenSize: 256,
  seed: 1,
});
const [B, T] = [4, 128];
const events = tf.tensor2d(
  Array.from({ length: B * T }, (_, k) => (k * 37) % 388),
  [B, T],
  'int32',
);
const chords = tf.tensor2d(
  Array.from({ length: B * T }, (_, k) => Math.floor(k / 16) % 25),
  [B, T],
  'int32',
);
// Speech: the decoder over 40 symbols and 120 mel frames (60 steps of 2).
const speech = Tacotron.create({ vocabSize: 40, melBins: 40, reduction: 2, prenetDropout: 0, seed: 1 });
const symbols = tf.tensor2d(
  Array.from({ length: 40 }, (_, k) => 1 + (k % 39)),
  [1, 40],
  'int32',
);
const mels = tf.tensor3d(uniform(120 * 40), [1, 120, 40]);
// Video: Moving-MNIST-sized ConvLSTM over 10 frames of 64×64.
const video = new ConvLstmForecaster({
  height: 64,
  width: 64,
  patchSize: 4,
  hiddenChannels: [32, 32],
  kernelSize: 3,
  contextFrames: 10,
  seed: 1,
});
const frames = tf.tensor5d(uniform(2 * 10 * 64 * 64), [2, 10, 64, 64, 1]);

const models: Record<string, Forward> = {
  'music (ConditionedLanguageModel 1×256, [4, 128] events)': run((o) => music.forward(events, chords, o).logits),
  'speech (Tacotron decoder, 40 symbols, 60 steps)': run((o) => speech.forward(symbols, [40], mels, [120], o).melAfter),
  'video (ConvLstmForecaster 2×32, [2, 10] frames of 64×64)': run((o) => video.forward(frames, o).predictions),
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
/** CPU milliseconds this process spent (user + system): less sensitive to a loaded machine than wall time. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
console.log(`backend ${tf.getBackend()}, median of ${reps} interleaved runs, CPU ms (wall ms)`);
for (const [name, forward] of Object.entries(models)) {
  const variants = { absent: undefined, off: false, on: true } as const;
  const cpu: Record<string, number[]> = { absent: [], off: [], on: [] };
  const wall: Record<string, number[]> = { absent: [], off: [], on: [] };
  for (const trace of Object.values(variants)) forward(trace); // warm-up
  for (let r = 0; r < reps; r++) {
    for (const [variant, trace] of Object.entries(variants)) {
      const [c0, w0] = [cpuMs(), performance.now()];
      forward(trace);
      cpu[variant]?.push(cpuMs() - c0);
      wall[variant]?.push(performance.now() - w0);
    }
  }
  const at = (v: string) => [median(cpu[v] as number[]), median(wall[v] as number[])] as const;
  const [absent, absentWall] = at('absent');
  const [off, offWall] = at('off');
  const [on, onWall] = at('on');
  console.log(name);
  console.log(`  trace option absent: ${absent.toFixed(1)} ms (${absentWall.toFixed(1)})`);
  console.log(
    `  trace: false       : ${off.toFixed(1)} ms (${offWall.toFixed(1)})  ${(((off - absent) / absent) * 100).toFixed(1)}% vs absent`,
  );
  console.log(`  trace: true        : ${on.toFixed(1)} ms (${onWall.toFixed(1)})  ${(on / absent).toFixed(2)}× absent`);
}
tf.dispose([events, chords, symbols, mels, frames]);
music.dispose();
speech.dispose();
video.dispose();
