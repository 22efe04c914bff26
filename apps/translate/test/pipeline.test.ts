import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor, InputError, UsageError } from '@seqgen/app-kit';
import { initBackend } from '@seqgen/core';
import { corpusBleu, corpusChrF } from '@seqgen/text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDirection, type LoadedTranslator, loadTranslator } from '../src/checkpoint.js';
import { evaluate } from '../src/eval.js';
import { explainSentence } from '../src/explain.js';
import { prepareData } from '../src/prepared-data.js';
import { train } from '../src/train.js';
import { translateLines } from '../src/translate.js';
import { appRoot, fixture, fixturePairs, readJson, runCli } from './run-cli.js';

let dir: string;
let data: string;
let run: string;
let translator: LoadedTranslator;
const quiet = { info: () => {}, result: () => {} };

// One tiny model trained for three steps on 120 real catalog pairs, shared by every test below: they check the
// pipeline and its contracts, not translation quality (pretrained.test.ts checks that).
beforeAll(async () => {
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-translate-'));
  data = join(dir, 'data');
  run = join(dir, 'run');
  prepareData({ out: data, pairsFile: fixturePairs, test: 10, valid: 10, vocab: 300, seed: 1 });
  await train({
    data,
    out: run,
    cell: 'gru',
    attention: 'bahdanau',
    layers: 1,
    hidden: 16,
    embedding: 8,
    bidirectional: false,
    inputFeeding: true,
    dropout: 0,
    labelSmoothing: 0,
    steps: 3,
    batch: 16,
    lr: 2e-3,
    maxLen: 24,
    seed: 1,
    quiet: true,
    output: quiet,
  });
  translator = await loadTranslator(run);
});

afterAll(() => {
  translator?.model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function lines(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => l.split('\t'));
}

describe('prepare', () => {
  it('writes the splits, ids and joint tokenizer, with no test or validation source in train', () => {
    for (const f of ['train.tsv', 'valid.tsv', 'test.tsv', 'train.ids', 'tokenizer.json', 'target-tokens.json']) {
      expect(existsSync(join(data, f))).toBe(true);
    }
    const counts = readJson(join(data, 'prepared.json')).counts as { train: number; valid: number; test: number };
    expect(counts.test).toBeGreaterThanOrEqual(10);
    expect(counts.train + counts.valid + counts.test).toBe(fixture().length);
    const train = new Set(lines(join(data, 'train.tsv')).map(([s]) => s?.toLowerCase()));
    for (const f of ['test.tsv', 'valid.tsv']) {
      for (const [s] of lines(join(data, f))) expect(train.has(s?.toLowerCase())).toBe(false);
    }
    // The ids file is the TSV tokenized (for the PyTorch peer): one line per pair, two id lists.
    const ids = readFileSync(join(data, 'train.ids'), 'utf8').trimEnd().split('\n');
    expect(ids).toHaveLength(counts.train);
    expect(ids[0]).toMatch(/^\d+( \d+)*\t\d+( \d+)*$/);
  });

  it('refuses an --out that holds something else, and a missing --pairs file, writing nothing', () => {
    expect(() =>
      prepareData({ out: appRoot, pairsFile: fixturePairs, test: 1, valid: 1, vocab: 300, seed: 1 }),
    ).toThrow(/refusing to overwrite --out .*not a seqgen checkpoint folder/);
    const missing = join(dir, 'nope.tsv');
    const out = join(dir, 'never');
    expect(() => prepareData({ out, pairsFile: missing, test: 1, valid: 1, vocab: 300, seed: 1 })).toThrow(InputError);
    expect(readdirSync(dir).filter((f) => f.includes('never'))).toEqual([]);
  });
});

describe('train', () => {
  it('publishes the checkpoint with both tokenizers, its test split, run record and log; no trainer state', () => {
    const files = readdirSync(run);
    expect(files).toEqual(expect.arrayContaining(['checkpoint.json', 'test.tsv', 'run.json', 'train-log.jsonl']));
    expect(files).not.toContain('last');
    const manifest = readJson(join(run, 'checkpoint.json'));
    expect(Object.keys(manifest.preprocessors as object).sort()).toEqual(['source', 'target']);
    expect((manifest.config as { type: string }).type).toBe('seq2seq');
    expect(translator.metadata).toMatchObject({ source: 'en', target: 'de', maxSourceTokens: 24 });
    expect(readFileSync(join(run, 'test.tsv'), 'utf8')).toBe(readFileSync(join(data, 'test.tsv'), 'utf8'));
  });
});

describe('translate', () => {
  it('passes empty lines through, cuts a 10,000-character line with a warning, names characters never seen', async () => {
    const warnings: string[] = [];
    const long = 'Open the file. '.repeat(667).slice(0, 10_000);
    const out = await translateLines(translator, ['Save file', '', long, '   ', '日本語'], {
      beams: 2,
      nBest: 1,
      warn: (m) => warnings.push(m),
    });
    expect(out).toHaveLength(5);
    expect(out[1]?.candidates).toEqual([{ text: '', score: 0, tokens: [] }]);
    expect(out[3]?.candidates[0]?.text).toBe('');
    expect(out[2]?.truncated).toBe(true);
    expect(out[2]?.sourceIds).toHaveLength(24);
    expect(warnings).toContainEqual(
      expect.stringMatching(/^line 3: 10000 characters make \d+ source tokens; translating only the first 24/),
    );
    // Byte-level BPE has no unknown tokens, but no Japanese byte occurs in the German/English training data.
    expect(warnings).toContainEqual(
      expect.stringMatching(/^line 5: "日" \(U\+65E5\).*never occurred in the training data/),
    );
    expect(warnings).toHaveLength(2);
  });

  it('returns the n best translations, best first, each with its score', async () => {
    const [line] = await translateLines(translator, ['Show hidden files'], { beams: 3, nBest: 3, warn: () => {} });
    const scores = line?.candidates.map((c) => c.score) ?? [];
    expect(scores).toHaveLength(3);
    expect(scores.every(Number.isFinite)).toBe(true);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});

describe('eval', () => {
  it('scores the held-out test set beside the copy-the-source baseline, with @seqgen/text metrics', async () => {
    const report = await evaluate({ checkpoint: run, beams: 1 });
    const test = lines(join(run, 'test.tsv'));
    const sources = test.map(([s = '']) => s);
    const refs = test.map(([, t = '']) => t);
    expect(report).toMatchObject({ split: 'test', examples: test.length, decoding: 'greedy' });
    expect(report.metrics.chrf).toBeGreaterThanOrEqual(0);
    expect(report.baselines.copy_source?.bleu).toBeCloseTo(corpusBleu(sources, refs).score, 9);
    expect(report.baselines.copy_source?.chrf).toBeCloseTo(corpusChrF(sources, refs).score, 9);
    // --hypotheses scores another system's lines on the same test set: the references themselves score 100.
    const perfect = join(dir, 'refs.txt');
    writeFileSync(perfect, `${refs.join('\n')}\n`);
    const scored = await evaluate({ test: join(run, 'test.tsv'), hypotheses: perfect, beams: 1 });
    expect(scored.metrics.bleu).toBeCloseTo(100, 9);
    writeFileSync(perfect, 'one line\n');
    await expect(evaluate({ test: join(run, 'test.tsv'), hypotheses: perfect, beams: 1 })).rejects.toThrow(
      /1 lines for \d+ test pairs/,
    );
  });
});

describe('checkpoint checks', () => {
  it('refuses a checkpoint that translates another way as a usage error (exit 2)', () => {
    expect(() => checkDirection(translator, 'en-de')).not.toThrow();
    let error: unknown;
    try {
      checkDirection(translator, 'de-en');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(exitCodeFor(error)).toBe(2);
    expect((error as Error).message).toMatch(/translates en→de, not de→en \(--direction de-en\)/);
    expect(() => checkDirection(translator, 'english')).toThrow(/--direction must look like en-de/);
  });

  it('refuses a folder without a checkpoint (exit 3)', async () => {
    const error = await loadTranslator(data).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect(exitCodeFor(error)).toBe(3);
    expect((error as Error).message).toMatch(/checkpoint not found: .*data holds no checkpoint\.json/);
  });
});

describe('explain', () => {
  it('writes an SVG heat map labelled with the source and output tokens, never over an existing file', async () => {
    const svg = join(dir, 'attention.svg');
    const html = join(dir, 'explorer.html');
    const result = await explainSentence({
      checkpoint: run,
      sentence: 'Save file',
      beams: 1,
      out: svg,
      html,
      warn: () => {},
    });
    // The explorer page embeds the same matrix, captioned with the sentence and its translation.
    const page = readFileSync(html, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain(JSON.stringify(`Save file → ${result.translation}`).slice(1, -1).replace(/</g, '\\u003c'));
    const text = readFileSync(svg, 'utf8');
    expect(text.startsWith('<svg')).toBe(true);
    expect(result.sourceTokens.join('')).toBe('Save file');
    for (const token of result.sourceTokens) expect(text).toContain(`>${token.replace(/ /g, '·')}</text>`);
    const cells = text.match(/<rect x="[\d.]+" y="[\d.]+" width="26" height="26"/g) ?? [];
    expect(cells).toHaveLength(result.sourceTokens.length * result.targetTokens.length);
    for (const row of result.weights) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
    await expect(
      explainSentence({ checkpoint: run, sentence: 'Save file', beams: 1, out: svg, warn: () => {} }),
    ).rejects.toThrow(/refusing to overwrite --out .*attention\.svg: it exists/);
  });
});

describe('the CLI (child processes)', () => {
  it('translates stdin line by line, one output line per input line, warnings on stderr', () => {
    const input = ['Save file', '', 'x'.repeat(10_000), 'Could not open %s'].join('\n');
    const r = runCli(['translate', '--checkpoint', run, '--beams', '2'], `${input}\n`);
    expect(r.status).toBe(0);
    const out = r.stdout.split('\n');
    expect(out).toHaveLength(5); // four translations and the final newline
    expect(out[1]).toBe('');
    expect(r.stderr).toMatch(/^seqgen-translate: warning: line 3: 10000 characters/m);
  });

  it('refuses a text language-model checkpoint with one line on stderr and exit 3', () => {
    const lm = join(appRoot, '..', 'text', 'pretrained', 'moby-char-lstm');
    const r = runCli(['translate', '--checkpoint', lm, '--json', 'Save file']);
    expect(r.status).toBe(3);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/holds a model of type "recurrent-lm" \(not a translation model\)/);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { exitCode: 3 } });
  });

  it('eval --json prints one object with the metric names of every app', () => {
    const r = runCli(['eval', '--checkpoint', run, '--beams', '1', '--limit', '4', '--json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ split: 'test', examples: 4 });
    expect(Object.keys(report.metrics).sort()).toEqual(['bleu', 'chrf']);
    expect(Object.keys(report.baselines.copy_source).sort()).toEqual(['bleu', 'chrf']);
  });
});
