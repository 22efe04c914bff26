import { initBackend, Rng } from '@seqgen/core';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { beamSearch } from './beam-search.js';
import { generate, generateBatch } from './generate.js';
import { logSoftmax } from './logits-math.js';
import { readLogitRows, stepModel } from './model-state.js';
import { HistoryModel } from './test-fixtures/history-model.js';
import { LookupModel } from './test-fixtures/lookup-model.js';

/** Exact log-probabilities of whole continuations, each row in its own batch slot (no state reordering). */
async function scoreSequences(model: HistoryModel, prompt: number[], continuations: number[][]): Promise<number[]> {
  const rows = continuations.map((c) => [...prompt, ...c]);
  const totals = rows.map(() => 0);
  let state = model.initialState(rows.length);
  for (let t = 0; t < (rows[0] as number[]).length - 1; t++) {
    const out = stepModel(
      model,
      rows.map((r) => r[t] as number),
      state,
    );
    state = out.state;
    const logits = await readLogitRows(out.logits, 'test');
    out.logits.dispose();
    if (t >= prompt.length - 1) {
      rows.forEach((r, i) => {
        totals[i]! += logSoftmax(logits[i]!)[r[t + 1]!]!;
      });
    }
  }
  tf.dispose(state);
  return totals;
}

const ln = Math.log;
const NEVER = ln(1e-9);
/** Token 3 is EOS. From the prompt token 0: EOS 0.4, token 1 0.6; after 1: token 1 0.9, EOS 0.1. */
const EOS_TABLE = [
  [NEVER, ln(0.6), NEVER, ln(0.4)],
  [NEVER, ln(0.9), NEVER, ln(0.1)],
  [0, 0, 0, 0],
  [0, 0, 0, 0],
];

describe('beamSearch', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('with one beam equals greedy (tokens and log-prob), also with a stop token', async () => {
    const model = new HistoryModel(new Rng(21), 10);
    const greedy = (await generate(model, [1, 2], { temperature: 0, maxNewTokens: 40 })).sequences[0]!;
    const beam = (await beamSearch(model, [1, 2], { numBeams: 1, maxNewTokens: 40 })).sequences[0]!;
    expect(beam.tokens).toEqual(greedy.tokens);
    expect(beam.logProb).toBeCloseTo(greedy.logProb, 4);
    const stop = greedy.tokens[7]!;
    const greedyStop = (await generate(model, [1, 2], { temperature: 0, maxNewTokens: 40, stopTokens: [stop] }))
      .sequences[0]!;
    const beamStop = (
      await beamSearch(model, [1, 2], { numBeams: 1, maxNewTokens: 40, stopTokens: [stop], earlyStopping: true })
    ).sequences[0]!;
    expect(beamStop).toMatchObject({ tokens: greedyStop.tokens, finishReason: 'stop-token' });
    model.dispose();
  });

  it('is exact when the beam holds every prefix: the n-best list equals brute force (state reordering)', async () => {
    // 4 tokens, 3 steps: 16 beams hold all 2-token prefixes, so the 16 best of the 64 sequences must come out,
    // with log-probs that match scoring each sequence in its own batch row. A beam continued from the wrong
    // parent's state would get a different log-prob.
    const model = new HistoryModel(new Rng(5), 4, 0.9);
    const all: number[][] = [];
    for (let a = 0; a < 4; a++) for (let b = 0; b < 4; b++) for (let c = 0; c < 4; c++) all.push([a, b, c]);
    const truth = await scoreSequences(model, [2, 1], all);
    const ranked = all.map((tokens, i) => ({ tokens, logProb: truth[i]! })).sort((x, y) => y.logProb - x.logProb);
    const { sequences } = await beamSearch(model, [2, 1], { numBeams: 16, numReturnSequences: 16, maxNewTokens: 3 });
    expect(sequences.map((s) => s.tokens)).toEqual(ranked.slice(0, 16).map((r) => r.tokens));
    sequences.forEach((s, i) => {
      expect(s.logProb).toBeCloseTo(ranked[i]!.logProb, 4);
      expect(s.score).toBeCloseTo(s.logProb / 3, 5);
      expect(s.finishReason).toBe('length');
    });
    model.dispose();
  });

  it('returns consistent n-best lists with narrow beams on a stateful model', async () => {
    const model = new HistoryModel(new Rng(9), 8);
    const { sequences } = await beamSearch(model, [3], { numBeams: 4, numReturnSequences: 4, maxNewTokens: 8 });
    expect(sequences).toHaveLength(4);
    expect(new Set(sequences.map((s) => s.tokens.join())).size).toBe(4);
    const scores = sequences.map((s) => s.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const truth = await scoreSequences(
      model,
      [3],
      sequences.map((s) => s.tokens),
    );
    for (const [i, s] of sequences.entries()) expect(s.logProb).toBeCloseTo(truth[i]!, 4);
    model.dispose();
  });

  it('length penalty decides between a short finished beam and a long one', async () => {
    const model = new LookupModel(EOS_TABLE);
    const base = { numBeams: 2, maxNewTokens: 5, stopTokens: [3] };
    // EOS at once: ln 0.4 = −0.92 (length 1); five 1s: ln 0.6 + 4 ln 0.9 = −0.93 (length 5).
    const favourLong = (await beamSearch(model, [0], { ...base, lengthPenalty: 1 })).sequences[0]!;
    expect(favourLong).toMatchObject({ tokens: [1, 1, 1, 1, 1], finishReason: 'length' });
    expect(favourLong.score).toBeCloseTo((ln(0.6) + 4 * ln(0.9)) / 5, 5);
    const raw = (await beamSearch(model, [0], { ...base, lengthPenalty: 0 })).sequences[0]!;
    expect(raw).toMatchObject({ tokens: [3], finishReason: 'stop-token' });
    expect(raw.score).toBeCloseTo(ln(0.4), 5);
    model.dispose();
  });

  it('early stopping ends once numBeams hypotheses finished; otherwise it searches on', async () => {
    const model = new LookupModel(EOS_TABLE);
    const base = { numBeams: 2, numReturnSequences: 2, maxNewTokens: 5, stopTokens: [3] };
    let calls = model.stepCalls;
    const early = await beamSearch(model, [0], { ...base, earlyStopping: true });
    expect(model.stepCalls - calls).toBe(2); // the prompt, then one step: [3] and [1, 3] have finished
    expect(early.sequences.map((s) => s.tokens)).toEqual([[3], [1, 3]]);
    calls = model.stepCalls;
    const full = await beamSearch(model, [0], base);
    expect(model.stepCalls - calls).toBe(5);
    expect(full.sequences[0]!.tokens).toEqual([1, 1, 1, 1, 1]);
    model.dispose();
  });

  it('runs through generate and generateBatch, decodes text, and leaks no tensors', async () => {
    const model = new HistoryModel(new Rng(2), 6);
    const before = tf.memory().numTensors;
    const decode = (ids: readonly number[]) => ids.map((i) => 'uvwxyz'[i]).join('');
    const config = { numBeams: 3, numReturnSequences: 2, maxNewTokens: 6 };
    const viaGenerate = await generate(model, [0, 1], config, { decode });
    expect(viaGenerate).toEqual(await beamSearch(model, [0, 1], config, { decode }));
    expect(viaGenerate.sequences[0]!.text).toBe(decode(viaGenerate.sequences[0]!.tokens));
    const batch = await generateBatch(model, [[0, 1], [4]], config, { decode });
    expect(batch[0]).toEqual(viaGenerate);
    expect(batch[1]).toEqual(await beamSearch(model, [4], config, { decode }));
    const controller = new AbortController();
    controller.abort();
    await expect(beamSearch(model, [0], config, { signal: controller.signal })).rejects.toThrow(/abort/i);
    await expect(beamSearch(model, [0], { ...config, allowedTokens: () => [] })).rejects.toThrow(/removed/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses sampling settings and more sequences than beams', async () => {
    const model = new LookupModel(EOS_TABLE);
    await expect(beamSearch(model, [0], { numBeams: 2, topP: 0.9 })).rejects.toMatchObject({ field: 'topP' });
    await expect(beamSearch(model, [0], { numBeams: 1, temperature: 0.5 })).rejects.toMatchObject({
      field: 'temperature',
    });
    await expect(beamSearch(model, [0], { numBeams: 2, numReturnSequences: 3 })).rejects.toMatchObject({
      field: 'numReturnSequences',
    });
    model.dispose();
  });
});
