/**
 * Speed of @seqgen/models' Seq2Seq: a GRU encoder–decoder with Bahdanau
 * attention (input feeding on, as the model's default), on random token data.
 * Prints training target tokens/s (@seqgen/trainer's Adam, as `Trainer` applies
 * it; teacher forcing, masked loss) and
 * batched beam-search translation sentences/s (`translateBatch`: every
 * sentence × beam advances in one decoder step). Defaults match the PyTorch
 * peer, apps/translate/bench/torch_seq2seq.py --mode speed.
 *
 *   pnpm --filter @seqgen/models bench:seq2seq -- [--vocab 4000] [--embedding 256] [--hidden 256]
 *     [--layers 1] [--batch 64] [--src-len 20] [--tgt-len 20] [--beams 5] [--max-new 25]
 *     [--sentences 64] [--steps 5] [--no-input-feeding] [--attention bahdanau] [--backend cpu]
 */
import { parseArgs } from 'node:util';
import { type BackendName, initBackend, Rng } from '@seqgen/core';
import { Adam } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { Seq2Seq } from '../src/seq2seq/seq2seq.js';
import { type Seq2SeqPair, seq2seqBatches } from '../src/seq2seq/seq2seq-batches.js';
import type { Seq2SeqAttention, Seq2SeqOptions } from '../src/seq2seq/seq2seq-config.js';
import { translateBatch } from '../src/seq2seq/translate-batch.js';

const { values: args } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: {
    vocab: { type: 'string', default: '4000' },
    embedding: { type: 'string', default: '256' },
    hidden: { type: 'string', default: '256' },
    layers: { type: 'string', default: '1' },
    batch: { type: 'string', default: '64' },
    'src-len': { type: 'string', default: '20' },
    'tgt-len': { type: 'string', default: '20' },
    beams: { type: 'string', default: '5' },
    'max-new': { type: 'string', default: '25' },
    sentences: { type: 'string', default: '64' },
    steps: { type: 'string', default: '5' },
    attention: { type: 'string', default: 'bahdanau' },
    'no-input-feeding': { type: 'boolean', default: false },
    backend: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

if (args.help) {
  console.log(`Seq2Seq speed: GRU encoder-decoder with attention on random tokens.

  --vocab N            source and target vocabulary (default 4000)
  --embedding N        embedding width (256)       --hidden N   units per layer (256)
  --layers N           encoder and decoder layers (1)
  --batch N            training batch (64)         --src-len N / --tgt-len N   lengths (20 / 20)
  --steps N            timed training steps after one warm-up (5)
  --beams N            beam width (5)              --max-new N  most new tokens (25)
  --sentences N        sentences decoded in one beam batch (64)
  --attention KIND     bahdanau | luong-general | luong-dot | none (bahdanau)
  --no-input-feeding   feed only the token (default: also the last attentional vector)
  --backend NAME       wasm | cpu | node (default: initBackend's choice)

Prints "<n> target tokens/s" (training) and "<n> sentences/s" (beam search).`);
  process.exit(0);
}

const n = (k: keyof typeof args) => Number(args[k]);
const backend = await initBackend(args.backend ? { backend: args.backend as BackendName } : {});
const V = n('vocab');
const B = n('batch');
const S = n('src-len');
const T = n('tgt-len');
const PAD = 0;
const BOS = 1;
const EOS = 2;
const options: Seq2SeqOptions = {
  sourceVocabSize: V,
  targetVocabSize: V,
  embeddingSize: n('embedding'),
  hiddenSize: n('hidden'),
  encoderLayers: n('layers'),
  decoderLayers: n('layers'),
  cell: 'gru',
  attention: args.attention as Seq2SeqAttention,
  inputFeeding: !args['no-input-feeding'],
  padId: PAD,
  bosId: BOS,
  eosId: EOS,
  seed: 1,
};
const model = Seq2Seq.create(options);
const rng = new Rng(1);
const tokens = (length: number) => Array.from({ length }, () => 3 + rng.int(V - 3));
const pairs: Seq2SeqPair[] = Array.from({ length: B }, () => ({ source: tokens(S), target: tokens(T - 1) }));
const [batch] = seq2seqBatches(pairs, { batchSize: B, padId: PAD, bosId: BOS, eosId: EOS });
if (!batch) throw new Error('no batch');
const optimizer = new Adam();
const variables = Object.fromEntries(Object.values(model.variables).map((v) => [v.name, v]));
const trainStep = () => {
  const { value, grads } = tf.variableGrads(
    () => model.loss(batch, undefined, { training: true }).loss,
    Object.values(variables),
  );
  optimizer.apply(variables, grads, () => 1e-3);
  value.dataSync();
  tf.dispose([value, ...Object.values(grads)]);
};
console.log(
  `backend ${backend.active}; GRU ${args.attention} seq2seq, vocab ${V}, embedding ${n('embedding')}, hidden ${n('hidden')}, layers ${n('layers')}, input feeding ${!args['no-input-feeding']}`,
);
/** CPU milliseconds of this process (all its threads) since `from`: on a shared machine, steadier than wall time. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};
trainStep(); // warm-up: kernels, buffers
const t0 = performance.now();
const c0 = process.cpuUsage();
for (let i = 0; i < n('steps'); i++) trainStep();
const trainSeconds = (performance.now() - t0) / 1000;
const perStep = (trainSeconds / n('steps')) * 1000;
console.log(
  `training (batch ${B}, source ${S}, target ${T}): ${perStep.toFixed(0)} ms/step, ${((B * T * n('steps')) / trainSeconds).toFixed(0)} target tokens/s (${(cpuMs(c0) / n('steps')).toFixed(0)} CPU ms/step)`,
);

const sources = Array.from({ length: n('sentences') }, () => tokens(S));
// A fresh, untrained model (the same initial weights): EOS comes only by chance, so every sentence runs the full
// --max-new steps whatever --steps trained, as in the peer.
model.dispose();
const decoder = Seq2Seq.create(options);
await translateBatch(decoder, sources.slice(0, 2), { numBeams: n('beams'), maxLength: 2 });
const t1 = performance.now();
const c1 = process.cpuUsage();
const out = await translateBatch(decoder, sources, { numBeams: n('beams'), maxLength: n('max-new') });
const beamSeconds = (performance.now() - t1) / 1000;
const generated = out.reduce((s, r) => s + (r.sequences[0]?.tokens.length ?? 0), 0);
console.log(
  `beam-${n('beams')} translation of ${sources.length} sentences (≤ ${n('max-new')} new tokens, ${generated} generated): ${(beamSeconds * 1000).toFixed(0)} ms, ${(sources.length / beamSeconds).toFixed(2)} sentences/s (${cpuMs(c1).toFixed(0)} CPU ms)`,
);
decoder.dispose();
