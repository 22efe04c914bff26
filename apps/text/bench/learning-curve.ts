// seqgen side of the learning-curve comparison with PyTorch (bench/torch_char_lm.py --steps N --eval-at …):
// the `train` model, data split and hyperparameters for a fixed number of steps, with the whole held-out
// text evaluated at the given steps. Each ablation flag changes one thing, so that one run per row of
// README's "Learning per step" table isolates one difference between the two frameworks' training.
// Run: node dist/bench-learning-curve.js [--steps 6000] [--eval-at 500,2000,6000] [--init pytorch|keras]
//   [--forget-bias 1] [--torch-init embedding,lstm,forget1,output] [--epsilon 1e-8] [--clip 5] [--no-random-offset]
//   [--schedule-steps N]
import { initBackend, Rng, randomNormal, randomUniform } from '@seqgen/core';
import { type LMInit, RecurrentLanguageModel } from '@seqgen/models';
import { type ClipConfig, StreamBatcher, Trainer } from '@seqgen/trainer';
import * as tf from '@tensorflow/tfjs';
import { countChars, readCorpus, splitHeldOut } from '../src/corpus.js';
import { heldOutMetrics } from '../src/evaluate.js';
import { mobyDickPath } from '../src/moby-dick.js';
import { buildTokenizer } from '../src/tokenizer-choice.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

const corpusPath = arg('--corpus', mobyDickPath());
const steps = Number(arg('--steps', '6000'));
const evalAt = new Set(arg('--eval-at', String(steps)).split(',').map(Number));
const seed = Number(arg('--seed', '1'));
const lr = Number(arg('--lr', '3e-3'));
const epsilon = Number(arg('--epsilon', '1e-8'));
const clipNorm = Number(arg('--clip', '5'));
const scheduleSteps = Number(arg('--schedule-steps', String(steps)));
const init = arg('--init', '') as LMInit | '';
const forgetBias = arg('--forget-bias', '');
// Parts re-drawn the way PyTorch's default initializers draw them, after the model is built.
const torchParts = new Set(arg('--torch-init', '').split(',').filter(Boolean));
const randomOffset = !process.argv.includes('--no-random-offset');

const backend = await initBackend();
const { train: trainText, heldOut } = splitHeldOut(readCorpus(corpusPath));
const tokenizer = buildTokenizer('char', trainText);
const trainIds = tokenizer.encode(trainText);
const valIds = tokenizer.encode(heldOut);
const model = new RecurrentLanguageModel({
  vocabSize: tokenizer.vocabSize,
  embeddingSize: 64,
  hiddenSize: 256,
  seed,
  ...(init ? { init } : {}),
  ...(forgetBias ? { forgetBias: Number(forgetBias) } : {}),
});
redrawAsPyTorch(model, torchParts, new Rng(seed + 1000));

const clip: ClipConfig = clipNorm > 0 ? { type: 'norm', maxNorm: clipNorm } : { type: 'none' };
const trainer = new Trainer(
  model,
  {
    optimizer: { type: 'adam', learningRate: lr, epsilon },
    maxSteps: steps,
    seed,
    clip,
    schedule: {
      type: 'warmup-cosine',
      warmupSteps: Math.min(100, Math.ceil(scheduleSteps / 20)),
      totalSteps: scheduleSteps,
      minFactor: 0.1,
    },
    progressBar: false,
  },
  [
    {
      onStepEnd: async (m) => {
        if (m.step % 200 === 1 || m.step === 1) console.log(`step ${m.step - 1}: train loss ${m.loss.toFixed(4)}`);
        if (!evalAt.has(m.step)) return;
        const held = await heldOutMetrics(model, valIds, countChars(heldOut));
        console.log(`seqgen eval step ${m.step}: held-out ${held.loss.toFixed(4)} nats/char (${held.tokens} tokens)`);
      },
    },
  ],
);
console.log(
  `seqgen ${backend.active}: ${steps} steps, init ${model.getConfig().init}, forget bias ${model.getConfig().forgetBias}${torchParts.size ? ` + PyTorch ${[...torchParts]}` : ''}, ` +
    `epsilon ${epsilon}, clip ${clipNorm || 'none'}, schedule over ${scheduleSteps}, random offset ${randomOffset}`,
);
const started = process.cpuUsage();
await trainer.fit(new StreamBatcher({ documents: [trainIds], batchSize: 32, seqLength: 64, seed, randomOffset }));
const cpu = process.cpuUsage(started);
console.log(`seqgen: trained ${steps} steps in ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU`);
trainer.dispose();
model.dispose();

/**
 * Re-draws the chosen parts as PyTorch's defaults do: `nn.Embedding` N(0, 1); `nn.LSTM` every weight and both
 * biases U(±1/√H) (one seqgen bias = b_ih + b_hh); `nn.Linear` weight and bias U(±1/√fan_in).
 */
function redrawAsPyTorch(lm: RecurrentLanguageModel, parts: Set<string>, rng: Rng): void {
  const v = lm.variables;
  const set = (name: string, value: tf.Tensor) => {
    v[name]?.assign(value);
    value.dispose();
  };
  const shape = (name: string) => v[name]?.shape ?? [];
  const k = 1 / Math.sqrt(256);
  if (parts.has('embedding')) set('embedding', randomNormal(rng, shape('embedding')));
  if (parts.has('lstm')) {
    for (const name of Object.keys(v).filter((n) => n.startsWith('rnn/') && !n.endsWith('/bias'))) {
      set(name, randomUniform(rng, shape(name), -k, k));
    }
    for (const name of Object.keys(v).filter((n) => n.startsWith('rnn/') && n.endsWith('/bias'))) {
      set(
        name,
        tf.tidy(() => tf.add(randomUniform(rng, shape(name), -k, k), randomUniform(rng, shape(name), -k, k))),
      );
    }
  }
  if (parts.has('forget1')) {
    // +1 on the forget gate's bias ([i, f, o, g] layout), the Keras/Jozefowicz habit, over PyTorch's draw.
    const bias = v['rnn/layers.0/bias'] as tf.Variable;
    const plusOne = new Float32Array(bias.size);
    plusOne.fill(1, 256, 512);
    set(
      'rnn/layers.0/bias',
      tf.tidy(() => tf.add(bias, tf.tensor1d(plusOne))),
    );
  }
  if (parts.has('output')) {
    set('output/kernel', randomUniform(rng, shape('output/kernel'), -k, k));
    set('output/bias', randomUniform(rng, shape('output/bias'), -k, k));
  }
}
