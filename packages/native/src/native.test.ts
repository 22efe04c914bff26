import { SeqgenError, ShapeError } from '@seqgen/base';
import { describe, expect, it } from 'vitest';
import {
  configureNative,
  decodeStep,
  gemm,
  type NativeCell,
  nativeCallCounts,
  nativeMemory,
  nativeStatus,
  packDecoder,
  packStepWeights,
  releaseSaved,
  sequenceBackward,
  sequenceForward,
  stepForward,
} from './index.js';
import { type RefParams, referenceForward } from './reference.js';
import { fill, isas, random, required, status } from './test-support.js';

/** The head's logits `[B, V]` of top-layer states `x` `[B, top]`, in plain loops: `weight(k, v)` is the kernel's entry. */
function referenceLogits(
  x: Float32Array,
  B: number,
  top: number,
  V: number,
  bias: Float32Array,
  weight: (k: number, v: number) => number,
): Float32Array {
  const ref = new Float32Array(B * V);
  for (let i = 0; i < B; i++)
    for (let v = 0; v < V; v++) {
      let acc = bias[v] as number;
      for (let k = 0; k < top; k++) acc += (x[i * top + k] as number) * weight(k, v);
      ref[i * V + v] = acc;
    }
  return ref;
}

/** Random decoder layers, bottom to top: layer 0 reads `inputSize` features, each next layer the previous one's units. */
function decoderLayers(
  cell: 'lstm' | 'gru' | 'rnn',
  inputSize: number,
  units: readonly number[],
  r: (s?: number) => number,
) {
  const G = cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1;
  let inSize = inputSize;
  return units.map((H) => {
    const l = {
      units: H,
      kernel: fill(inSize * G * H, r, 0.3),
      recurrentKernel: fill(H * G * H, r, 0.3),
      bias: fill(G * H, r, 0.1),
      ...(cell === 'gru' ? { recurrentBias: fill(G * H, r, 0.1) } : {}),
    };
    inSize = H;
    return l;
  });
}
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
};

interface Case extends RefParams {
  x: Float32Array;
  W: Float32Array;
  U: Float32Array;
  b: Float32Array;
  rb?: Float32Array;
  h0: Float32Array;
  c0?: Float32Array;
  mask?: Float32Array;
}

function makeCase(
  cell: NativeCell,
  B: number,
  T: number,
  I: number,
  H: number,
  masked: boolean,
  reverse: boolean,
  relu = false,
): Case {
  const r = random(B * 1000 + T * 100 + I * 10 + H + (masked ? 7 : 0) + (reverse ? 13 : 0));
  const G = (cell === 'lstm' ? 4 : cell === 'gru' ? 3 : 1) * H;
  const c: Case = {
    cell,
    B,
    T,
    I,
    H,
    reverse,
    relu,
    x: fill(B * T * I, r),
    W: fill(I * G, r, 0.6),
    U: fill(H * G, r, 0.6),
    b: fill(G, r, 0.3),
    h0: fill(B * H, r, 0.5),
  };
  if (cell === 'gru') c.rb = fill(G, r, 0.3);
  if (cell === 'lstm') c.c0 = fill(B * H, r, 0.5);
  if (masked) {
    // Lengths B..0 style: the last example is empty.
    c.mask = new Float32Array(B * T);
    for (let bb = 0; bb < B; bb++) c.mask.fill(1, bb * T, bb * T + Math.max(0, T - bb * 2));
  }
  return c;
}

const forward = (c: Case, save = true) =>
  sequenceForward({
    cell: c.cell,
    x: c.x,
    kernel: c.W,
    recurrentKernel: c.U,
    bias: c.b,
    ...(c.rb ? { recurrentBias: c.rb } : {}),
    h0: c.h0,
    ...(c.c0 ? { c0: c.c0 } : {}),
    ...(c.mask ? { mask: c.mask } : {}),
    batch: c.B,
    steps: c.T,
    inputSize: c.I,
    units: c.H,
    reverse: c.reverse,
    activation: c.relu ? 'relu' : 'tanh',
    save,
  });

/** A loss with a distinct fixed weight per output element. */
const weights = (n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i + 0.5));
const loss = (out: ArrayLike<number>, w: Float64Array) => {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (out[i] as number) * (w[i] as number);
  return s;
};

describe.skipIf(!status.loaded && !required)('native kernels', () => {
  it('reports what it runs on', () => {
    expect(status.loaded, `the addon is not loaded (SEQGEN_NATIVE_REQUIRED=1): ${status.reason}`).toBe(true);
    expect(status.reason).toBe('addon loaded');
    expect(['generic', 'avx2', 'avx512']).toContain(status.isa);
    expect(status.threads).toBeGreaterThanOrEqual(1);
  });

  it('picks its kernel set from the CPU alone (no timing), so every process on a machine computes the same bits', () => {
    if (process.env.SEQGEN_NATIVE_ISA) return; // a forced set is tested per set below
    const cpu = status.cpu as { avx2: boolean; fma: boolean; avx512f: boolean };
    const widest = cpu.avx512f && cpu.avx2 && cpu.fma ? 'avx512' : cpu.avx2 && cpu.fma ? 'avx2' : 'generic';
    expect(status.isa).toBe(widest);
    expect(status.isaReason).not.toMatch(/measured/);
  });

  for (const isa of isas) {
    describe(`${isa}`, () => {
      it('gemm matches a naive product for every shape edge, transpose and accumulate', () => {
        configureNative({ isa: isa as 'generic' });
        const r = random(3);
        for (const [M, N, K] of [
          [1, 1, 1],
          [1, 37, 300],
          [7, 33, 5],
          [13, 17, 257],
          [130, 70, 260],
          [64, 1024, 256],
        ] as const) {
          for (const transA of [false, true]) {
            for (const transB of [false, true]) {
              const A = fill(M * K, r);
              const Bm = fill(K * N, r);
              const C0 = fill(M * N, r);
              const C = C0.slice();
              gemm(M, N, K, A, Bm, C, { transA, transB, accumulate: true });
              const want = new Float64Array(M * N);
              for (let m = 0; m < M; m++)
                for (let n = 0; n < N; n++) {
                  let s = C0[m * N + n] as number;
                  for (let k = 0; k < K; k++)
                    s += (A[transA ? k * M + m : m * K + k] as number) * (Bm[transB ? n * K + k : k * N + n] as number);
                  want[m * N + n] = s;
                }
              expect(maxDiff(C, want), `${M}x${N}x${K} ${transA} ${transB}`).toBeLessThan(2e-4 * Math.sqrt(K));
            }
          }
        }
      });

      for (const cell of ['lstm', 'gru', 'rnn', 'rnn-relu'] as const) {
        for (const variant of ['plain', 'masked', 'reverse', 'masked reverse'] as const) {
          it(`${cell} (${variant}): forward matches the reference, backward matches finite differences`, () => {
            configureNative({ isa: isa as 'generic' });
            const kind: NativeCell = cell === 'rnn-relu' ? 'rnn' : cell;
            const c = makeCase(
              kind,
              3,
              5,
              4,
              6,
              variant.includes('masked'),
              variant.includes('reverse'),
              cell === 'rnn-relu',
            );
            const { out, saved } = forward(c);
            const ref = referenceForward(c);
            expect(maxDiff(out, ref)).toBeLessThan(1e-5);
            const w = weights(out.length);
            const g = sequenceBackward(saved!, Float32Array.from(w));
            // Central differences of the float64 reference.
            const params: Array<[string, Float32Array, Float32Array]> = [
              ['x', c.x, g.dx],
              ['W', c.W, g.dKernel],
              ['U', c.U, g.dRecurrentKernel],
              ['b', c.b, g.dBias],
              ['h0', c.h0, g.dh0],
            ];
            if (c.rb) params.push(['rb', c.rb, g.dRecurrentBias!]);
            if (c.c0) params.push(['c0', c.c0, g.dc0!]);
            const eps = 1e-3;
            for (const [name, value, grad] of params) {
              const v64 = Float64Array.from(value);
              let worst = 0;
              for (let i = 0; i < value.length; i++) {
                const orig = v64[i] as number;
                v64[i] = orig + eps;
                const up = loss(referenceForward({ ...c, [name === 'W' ? 'W' : name]: v64 } as RefParams), w);
                v64[i] = orig - eps;
                const down = loss(referenceForward({ ...c, [name]: v64 } as RefParams), w);
                v64[i] = orig;
                worst = Math.max(worst, Math.abs((up - down) / (2 * eps) - (grad[i] as number)));
              }
              expect(worst, name).toBeLessThan(cell === 'rnn-relu' ? 2e-3 : 2e-4);
            }
          });
        }
      }

      it('step matches one forward step for batch 1 and batch 3', () => {
        configureNative({ isa: isa as 'generic' });
        for (const cell of ['lstm', 'gru', 'rnn'] as const) {
          for (const B of [1, 3]) {
            const c = makeCase(cell, B, 1, 5, 40, false, false);
            const { out } = forward(c, false);
            const w = packStepWeights({
              cell,
              inputSize: c.I,
              units: c.H,
              kernel: c.W,
              recurrentKernel: c.U,
              bias: c.b,
              ...(c.rb ? { recurrentBias: c.rb } : {}),
            });
            const h = c.h0.slice();
            const cs = c.c0?.slice();
            stepForward(w, B, c.x, h, cs);
            const S = cell === 'lstm' ? 2 : 1;
            const wantH = new Float32Array(B * c.H);
            for (let bb = 0; bb < B; bb++)
              wantH.set(out.subarray((bb * (1 + S) + 1) * c.H, (bb * (1 + S) + 2) * c.H), bb * c.H);
            expect(maxDiff(h, wantH)).toBeLessThan(1e-5);
          }
        }
      });
      it('decodeStep matches embedding row → stepForward per layer → projection (tied and untied)', () => {
        configureNative({ isa: isa as 'generic' });
        const r = random(11);
        const V = 37;
        // The second shape's weights pass 512 KiB: batch 1 then runs split over two threads (odd unit counts).
        for (const [E, units] of [
          [9, [20, 35]],
          [33, [129, 121]],
        ] as [number, number[]][])
          for (const cell of ['lstm', 'gru', 'rnn'] as const) {
            for (const tied of [false, true]) {
              for (const B of [1, 3]) {
                const top = tied ? E : (units[1] as number);
                const layerUnits = tied ? [20, E] : units;
                const layers = decoderLayers(cell, E, layerUnits, r);
                const embedding = fill(V * E, r);
                const outputKernel = tied ? embedding : fill(top * V, r, 0.3);
                const outputBias = fill(V, r, 0.1);
                const d = packDecoder({
                  cell,
                  vocabSize: V,
                  embeddingSize: E,
                  layers,
                  embedding,
                  outputKernel,
                  outputTransposed: tied,
                  outputBias,
                });
                const S = cell === 'lstm' ? 2 : 1;
                const states = layerUnits.flatMap((H) => Array.from({ length: S }, () => fill(B * H, r, 0.5)));
                const want = states.map((s) => s.slice());
                const steps = layers.map((l, k) =>
                  packStepWeights({ cell, inputSize: k === 0 ? E : (layerUnits[k - 1] as number), ...l }),
                );
                for (const tokens of [Int32Array.from({ length: B }, (_, i) => (i * 7 + 3) % V), new Int32Array(B)]) {
                  const logits = new Float32Array(B * V);
                  decodeStep(d, tokens, states, logits);
                  let x = new Float32Array(B * E);
                  tokens.forEach((t, i) => {
                    x.set(embedding.subarray(t * E, (t + 1) * E), i * E);
                  });
                  steps.forEach((w, k) => {
                    stepForward(w, B, x, want[k * S] as Float32Array, S === 2 ? want[k * S + 1] : undefined);
                    x = (want[k * S] as Float32Array).slice();
                  });
                  const ref = referenceLogits(x, B, top, V, outputBias, (k, v) =>
                    tied ? (embedding[v * E + k] as number) : (outputKernel[k * V + v] as number),
                  );
                  expect(maxDiff(logits, ref)).toBeLessThan(1e-5);
                  states.forEach((s, k) => {
                    expect(maxDiff(s, want[k] as Float32Array)).toBeLessThan(1e-6);
                  });
                }
                expect(() => decodeStep(d, Int32Array.of(V), states.slice(0, 0), new Float32Array(V))).toThrow(
                  ShapeError,
                );
              }
            }
          }
      });
      it('a conditioned decodeStep reads [token embedding, condition embedding] into layer 0', () => {
        configureNative({ isa: isa as 'generic' });
        const r = random(12);
        const V = 29;
        const Vc = 7;
        // The second shape passes 512 KiB: batch 1 runs split over two threads.
        for (const [E, Ec, units] of [
          [8, 3, [21]],
          [40, 16, [130, 120]],
        ] as [number, number, number[]][])
          for (const cell of ['lstm', 'gru'] as const)
            for (const B of [1, 3]) {
              const layers = decoderLayers(cell, E + Ec, units, r);
              const top = units[units.length - 1] as number;
              const embedding = fill(V * E, r);
              const conditionEmbedding = fill(Vc * Ec, r);
              const outputKernel = fill(top * V, r, 0.3);
              const outputBias = fill(V, r, 0.1);
              const d = packDecoder({
                cell,
                vocabSize: V,
                embeddingSize: E,
                layers,
                embedding,
                outputKernel,
                outputBias,
                condition: { vocabSize: Vc, embeddingSize: Ec, embedding: conditionEmbedding },
              });
              expect(d.conditionVocabSize).toBe(Vc);
              const S = cell === 'lstm' ? 2 : 1;
              const states = units.flatMap((H) => Array.from({ length: S }, () => fill(B * H, r, 0.5)));
              const want = states.map((s) => s.slice());
              const steps = layers.map((l, k) =>
                packStepWeights({ cell, inputSize: k === 0 ? E + Ec : (units[k - 1] as number), ...l }),
              );
              const tokens = Int32Array.from({ length: B }, (_, i) => (i * 5 + 2) % V);
              const conditions = Int32Array.from({ length: B }, (_, i) => (i * 3 + 1) % Vc);
              const logits = new Float32Array(B * V);
              decodeStep(d, tokens, states, logits, conditions);
              let x = new Float32Array(B * (E + Ec));
              for (let i = 0; i < B; i++) {
                const t = tokens[i] as number;
                const c = conditions[i] as number;
                x.set(embedding.subarray(t * E, (t + 1) * E), i * (E + Ec));
                x.set(conditionEmbedding.subarray(c * Ec, (c + 1) * Ec), i * (E + Ec) + E);
              }
              steps.forEach((w, k) => {
                stepForward(w, B, x, want[k * S] as Float32Array, S === 2 ? want[k * S + 1] : undefined);
                x = (want[k * S] as Float32Array).slice();
              });
              const ref = referenceLogits(x, B, top, V, outputBias, (k, v) => outputKernel[k * V + v] as number);
              expect(maxDiff(logits, ref)).toBeLessThan(1e-5);
              states.forEach((s, k) => {
                expect(maxDiff(s, want[k] as Float32Array)).toBeLessThan(1e-6);
              });
              // The ids are required, in range, one per row.
              expect(() => decodeStep(d, tokens, states, logits)).toThrow(/conditions/);
              expect(() =>
                decodeStep(
                  d,
                  tokens,
                  states,
                  logits,
                  conditions.map(() => Vc),
                ),
              ).toThrow(ShapeError);
              expect(() => decodeStep(d, tokens, states, logits, new Int32Array(B + 1))).toThrow(ShapeError);
            }
      });

      it('an unconditioned decoder refuses condition ids', () => {
        const r = random(13);
        const d = packDecoder({
          cell: 'gru',
          vocabSize: 5,
          embeddingSize: 2,
          layers: [
            {
              units: 3,
              kernel: fill(18, r),
              recurrentKernel: fill(27, r),
              bias: fill(9, r),
              recurrentBias: fill(9, r),
            },
          ],
          embedding: fill(10, r),
          outputKernel: fill(15, r),
          outputBias: fill(5, r),
        });
        expect(d.conditionVocabSize).toBe(0);
        expect(() => decodeStep(d, Int32Array.of(1), [fill(3, r)], new Float32Array(5), Int32Array.of(0))).toThrow(
          /not conditioned/,
        );
      });
    });
  }

  it('counts the calls of each kernel that ran (nativeCallCounts)', () => {
    const c = makeCase('gru', 2, 3, 4, 5, false, false);
    const before = nativeCallCounts();
    const { out, saved } = forward(c);
    sequenceBackward(saved!, out);
    forward(c, false);
    const w = packStepWeights({
      cell: 'gru',
      inputSize: c.I,
      units: c.H,
      kernel: c.W,
      recurrentKernel: c.U,
      bias: c.b,
      recurrentBias: c.rb!,
    });
    stepForward(w, 2, c.x.subarray(0, 2 * c.I), c.h0.slice());
    gemm(1, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1));
    const d = packDecoder({
      cell: 'gru',
      vocabSize: 3,
      embeddingSize: c.I,
      layers: [{ units: c.H, kernel: c.W, recurrentKernel: c.U, bias: c.b, recurrentBias: c.rb! }],
      embedding: new Float32Array(3 * c.I).fill(0.1),
      outputKernel: new Float32Array(c.H * 3).fill(0.2),
      outputBias: new Float32Array(3),
    });
    decodeStep(d, Int32Array.of(0, 2), [c.h0.slice()], new Float32Array(2 * 3));
    decodeStep(d, Int32Array.of(1, 1), [c.h0.slice()], new Float32Array(2 * 3));
    expect(() => forward({ ...c, H: 0 })).toThrow(ShapeError); // rejected before any native code: not counted
    const after = nativeCallCounts();
    expect({
      sequenceForward: after.sequenceForward - before.sequenceForward,
      sequenceBackward: after.sequenceBackward - before.sequenceBackward,
      stepForward: after.stepForward - before.stepForward,
      decodeStep: after.decodeStep - before.decodeStep,
      gemm: after.gemm - before.gemm,
    }).toEqual({ sequenceForward: 2, sequenceBackward: 1, stepForward: 1, decodeStep: 2, gemm: 1 });
  });

  it('splits work over threads with the same results', () => {
    const c = makeCase('lstm', 8, 6, 20, 70, true, false);
    configureNative({ isa: 'auto', threads: 1 });
    const one = forward(c);
    const g1 = sequenceBackward(one.saved!, Float32Array.from(weights(one.out.length)));
    configureNative({ threads: 3 });
    const three = forward(c);
    const g3 = sequenceBackward(three.saved!, Float32Array.from(weights(three.out.length)));
    expect(maxDiff(one.out, three.out)).toBeLessThan(1e-6);
    expect(maxDiff(g1.dRecurrentKernel, g3.dRecurrentKernel)).toBeLessThan(1e-5);
    configureNative({ threads: status.threads! });
  });

  it('rejects bad shapes and handles with typed errors, and a backward runs once', () => {
    const c = makeCase('lstm', 2, 3, 4, 5, false, false);
    expect(() => forward({ ...c, x: c.x.subarray(1) })).toThrow(ShapeError);
    expect(() => forward({ ...c, H: 0 })).toThrow(/units must be a positive integer/);
    expect(() => forward({ ...c, c0: undefined } as unknown as Case)).toThrow(ShapeError);
    expect(() => forward({ ...c, x: [1, 2] as unknown as Float32Array })).toThrow(ShapeError);
    expect(() =>
      sequenceForward({ ...({} as Parameters<typeof sequenceForward>[0]), cell: 'cnn' as NativeCell }),
    ).toThrow(ShapeError);
    const { saved } = forward(c);
    expect(() => sequenceBackward(saved!, new Float32Array(3))).toThrow(ShapeError);
    const dy = new Float32Array(2 * 5 * 5);
    sequenceBackward(saved!, dy);
    expect(() => sequenceBackward(saved!, dy)).toThrow(SeqgenError);
    expect(() => sequenceBackward({} as never, dy)).toThrow(SeqgenError);
    expect(() => configureNative({ threads: 0 })).toThrow(ShapeError);
  });

  it('frees what it keeps: many forward/backward passes leave nothing behind', () => {
    const c = makeCase('gru', 4, 16, 8, 32, true, true);
    const before = nativeMemory();
    for (let i = 0; i < 200; i++) {
      const { out, saved } = forward(c);
      if (i % 2) sequenceBackward(saved!, out);
      else releaseSaved(saved!);
      forward(c, false);
    }
    expect(nativeMemory().liveSaved).toBe(before.liveSaved);
    expect(nativeMemory().liveBytes).toBe(before.liveBytes);
  });
});

describe('status without the addon', () => {
  it('says why it is not loaded instead of throwing', () => {
    const s = nativeStatus();
    expect(typeof s.reason).toBe('string');
    if (!s.loaded)
      expect(() => gemm(1, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1))).toThrow(SeqgenError);
  });
});
