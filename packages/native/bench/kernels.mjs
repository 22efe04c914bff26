// Throughput of @seqgen/native's kernels on this machine: the packed GEMM at the shapes seqgen's
// models run (a large square for the machine's ceiling, a char-RNN's recurrent step, seq2seq's
// output projection and per-step products, with and without a transposed operand) and the
// LSTM/GRU whole-sequence kernels, forward and backward, at the char-RNN bench's shape.
// Run after a build: pnpm --filter @seqgen/native bench [-- --threads 1,2]
import { parseArgs } from 'node:util';
import { configureNative, gemm, nativeStatus, sequenceBackward, sequenceForward } from '../dist/index.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== '--'),
  options: { threads: { type: 'string', default: '1,2' } },
});
const threadCounts = values.threads.split(',').map(Number);

/** Best of five timed rounds, in milliseconds per call. */
function bestMs(fn, reps) {
  for (let i = 0; i < 3; i++) fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 5; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e6 / reps);
  }
  return best;
}

const random = (n) => Float32Array.from({ length: n }, () => Math.random() * 0.2 - 0.1);
const gemmShapes = [
  // [M, N, K, transB, what]
  [1024, 1024, 1024, false, 'square (the ceiling)'],
  [32, 1024, 256, false, 'char-LSTM recurrent step'],
  [1280, 4000, 256, false, 'seq2seq output projection'],
  [64, 768, 512, false, 'seq2seq decoder input gates'],
  [64, 512, 768, true, 'their input gradient (Bᵀ)'],
];

for (const threads of threadCounts) {
  configureNative({ threads });
  console.log(`\n${nativeStatus().isa}, ${threads} thread(s)`);
  for (const [M, N, K, transB, what] of gemmShapes) {
    const A = random(M * K);
    const B = random(K * N);
    const C = new Float32Array(M * N);
    const reps = Math.max(5, Math.round(2e9 / (2 * M * N * K)));
    const ms = bestMs(() => gemm(M, N, K, A, B, C, { transB }), reps);
    const gflops = (2 * M * N * K) / ms / 1e6;
    console.log(
      `gemm [${M}, ${K}] × [${K}, ${N}]${transB ? 'ᵀ' : ''} (${what}): ${ms.toFixed(3)} ms, ${gflops.toFixed(0)} GFLOP/s`,
    );
  }
  for (const cell of ['lstm', 'gru']) {
    const [B, T, I, H] = [32, 64, 64, 256];
    const G = (cell === 'lstm' ? 4 : 3) * H;
    const args = {
      cell,
      x: random(B * T * I),
      kernel: random(I * G),
      recurrentKernel: random(H * G),
      bias: random(G),
      ...(cell === 'gru' ? { recurrentBias: random(G) } : { c0: new Float32Array(B * H) }),
      h0: new Float32Array(B * H),
      batch: B,
      steps: T,
      inputSize: I,
      units: H,
    };
    const dy = random(B * (T + (cell === 'lstm' ? 2 : 1)) * H);
    const flops = 2 * B * T * (I + H) * G;
    const forward = bestMs(() => sequenceForward({ ...args, save: false }), 10);
    const both = bestMs(() => sequenceBackward(sequenceForward(args).saved, dy), 10);
    console.log(
      `${cell} B ${B} T ${T} in ${I} H ${H}: forward ${forward.toFixed(2)} ms (${(flops / forward / 1e6).toFixed(0)} GFLOP/s), ` +
        `forward + backward ${both.toFixed(2)} ms (${((3 * flops) / both / 1e6).toFixed(0)} GFLOP/s)`,
    );
  }
}
