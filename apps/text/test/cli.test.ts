import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptAndResume } from '@seqgen/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRunFolder } from '../src/run-folder.js';
import { appRoot, cli, mobySlice, readJson, runCli } from './run-cli.js';

let dir: string;
let corpus: string;
let run: string;
const budget = ['--steps', '4', '--batch', '4', '--seq-len', '16', '--sample-length', '10'];
const tiny = [...budget, '--hidden', '16', '--embedding', '8'];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-text-'));
  corpus = join(dir, 'moby.txt');
  writeFileSync(corpus, mobySlice(20_000, 6_000));
  run = join(dir, 'run');
  const r = runCli(['train', '--corpus', corpus, ...tiny, '--validate-every', '2', '--out', run]);
  expect(r.stderr).not.toMatch(/error/);
  expect(r.status).toBe(0);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seqgen-text train / generate / eval', () => {
  it('writes a checkpoint with its tokenizer, a JSONL log and a loss curve', () => {
    const files = readdirSync(run);
    expect(files).toEqual(expect.arrayContaining(['checkpoint.json', 'train-log.jsonl', 'loss.svg']));
    expect(files).not.toContain('last'); // optimizer state stays out of the published run
    const manifest = readJson(join(run, 'checkpoint.json'));
    expect((manifest.preprocessors as { tokenizer: { type: string } }).tokenizer.type).toBe('char');
    expect((manifest.config as { type: string }).type).toBe('recurrent-lm');
    const log = readFileSync(join(run, 'train-log.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(log.filter((r) => r.kind === 'validation').length).toBe(2);
    expect(readFileSync(join(run, 'loss.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('streams a continuation of the prime, reproducibly with a seed', () => {
    const args = ['generate', '--checkpoint', run, '--prime', 'The whale', '--length', '30', '--seed', '3'];
    const a = runCli(args);
    expect(a.status).toBe(0);
    expect(a.stdout.startsWith('The whale')).toBe(true);
    expect(a.stdout.length).toBeGreaterThan('The whale'.length);
    expect(runCli(args).stdout).toBe(a.stdout);
    for (const extra of [
      ['--strategy', 'greedy'],
      ['--strategy', 'beam', '--beams', '3'],
      ['--top-k', '5', '--top-p', '0.9'],
    ]) {
      const r = runCli([...args, ...extra]);
      expect(r.status).toBe(0);
      expect(r.stdout.startsWith('The whale')).toBe(true);
    }
  });

  it('without --out, writes the run to runs/<corpus name>', () => {
    const name = `default-out-${process.pid}-${Date.now()}`;
    const named = join(dir, `${name}.txt`);
    writeFileSync(named, mobySlice(30_000, 6_000));
    const expected = join(appRoot, 'runs', name);
    try {
      const r = runCli(['train', '--corpus', named, ...tiny]);
      expect(r.status).toBe(0);
      expect(readdirSync(expected)).toEqual(expect.arrayContaining(['checkpoint.json', 'train-log.jsonl']));
    } finally {
      rmSync(expected, { recursive: true, force: true });
    }
    expect(defaultRunFolder('/data/texts/shakespeare.txt')).toBe(join('runs', 'shakespeare'));
    expect(defaultRunFolder('corpora/poems/')).toBe(join('runs', 'poems'));
  });

  it('evaluates held-out loss, perplexity and bits per character', () => {
    const r = runCli(['eval', '--checkpoint', run, '--corpus', corpus]);
    expect(r.status).toBe(0);
    const m = /loss ([\d.]+) nats\/token \| perplexity ([\d.]+) \| ([\d.]+) bits\/char/.exec(r.stdout);
    expect(m).not.toBeNull();
    const [loss, ppl, bpc] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
    expect(Math.abs(Math.exp(loss) - ppl)).toBeLessThan(0.01 * ppl);
    expect(Math.abs(loss / Math.LN2 - bpc)).toBeLessThan(0.01);
    // The training run recorded the same held-out figure.
    const meta = readJson(join(run, 'checkpoint.json')).metadata as { heldOut: { loss: number } };
    expect(Math.abs(meta.heldOut.loss - loss)).toBeLessThan(1e-3);
  });

  it('sizes a run from a CPU-time budget', () => {
    const out = join(dir, 'timed');
    const r = runCli(['train', '--corpus', corpus, ...tiny, '--minutes', '0.05', '--clock', 'cpu', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/budget 0\.05 min \(cpu clock\): ~[\d.]+ s per step → up to \d+ steps/);
    expect(existsSync(join(out, 'checkpoint.json'))).toBe(true);
  });

  it('fine-tunes on another corpus and reports the vocabulary change', () => {
    const other = join(dir, 'other.txt');
    writeFileSync(other, `${mobySlice(300_000, 5_000)} ~~ ÆØÅ ~~ ${mobySlice(400_000, 1_000)}`);
    const out = join(dir, 'tuned');
    const r = runCli(['finetune', '--from', run, '--corpus', other, ...budget, '--out', out]);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.status).toBe(0);
    const m = /vocabulary: kept (\d+), added (\d+), dropped (\d+) tokens/.exec(r.stdout);
    expect(Number(m?.[1])).toBeGreaterThan(20);
    expect(Number(m?.[2])).toBeGreaterThanOrEqual(4); // ~ Æ Ø Å
    expect(readJson(join(out, 'checkpoint.json')).metadata).toMatchObject({ finetunedFrom: run });
  });
});

describe('seqgen-text bad input: one line on stderr, non-zero exit, nothing written', () => {
  function expectError(args: string[], pattern: RegExp) {
    const r = runCli(args);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim()).toMatch(pattern);
    return r;
  }

  it('refuses an empty corpus, a binary file and a non-UTF-8 file', () => {
    const out = join(dir, 'never');
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '  \n');
    expectError(
      ['train', '--corpus', empty, ...tiny, '--out', out],
      /^seqgen-text: error: corpus .*empty\.txt is empty$/,
    );
    const binary = join(dir, 'blob.bin');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    expectError(
      ['train', '--corpus', binary, ...tiny, '--out', out],
      /blob\.bin looks binary \(NUL byte at offset 4\)/,
    );
    const latin1 = join(dir, 'latin1.txt');
    writeFileSync(latin1, Buffer.from('caf\xe9 au lait', 'latin1'));
    expectError(['train', '--corpus', latin1, ...tiny, '--out', out], /latin1\.txt is not valid UTF-8/);
    expectError(['train', '--corpus', join(dir, 'nope.txt'), ...tiny, '--out', out], /corpus not found/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a corpus too small for the batch without creating --out', () => {
    const out = join(dir, 'never2');
    expectError(['train', '--corpus', corpus, ...tiny, '--batch', '512', '--out', out], /too small for --batch 512/);
    expect(existsSync(out)).toBe(false);
  });

  it('never overwrites a folder that is not a checkpoint', () => {
    const out = join(dir, 'precious');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    expectError(
      ['train', '--corpus', corpus, ...tiny, '--out', out],
      /refusing to overwrite --out .*not a seqgen checkpoint/,
    );
    expect(readdirSync(out)).toEqual(['notes.txt']);
  });

  it('reports a missing checkpoint and a tokenizer that does not match the model', () => {
    expectError(['generate', '--checkpoint', join(dir, 'missing')], /^seqgen-text: error: checkpoint not found: /);
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    for (const f of readdirSync(run)) writeFileSync(join(broken, f), readFileSync(join(run, f)));
    const manifest = readJson(join(broken, 'checkpoint.json'));
    const tokenizer = (manifest.preprocessors as { tokenizer: { vocab: string[] } }).tokenizer;
    tokenizer.vocab = tokenizer.vocab.slice(0, -1);
    writeFileSync(join(broken, 'checkpoint.json'), JSON.stringify(manifest));
    const r = expectError(['generate', '--checkpoint', broken], /^seqgen-text: error: cannot load checkpoint .*token/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expectError(['eval', '--checkpoint', broken, '--corpus', corpus], /cannot load checkpoint/);
  });

  it('rejects unknown options and bad values', () => {
    expectError(['train', '--corpus', corpus, '--out', join(dir, 'x'), '--bogus'], /unknown option '--bogus'/);
    expectError(['generate', '--checkpoint', run, '--top-p', '2'], /--top-p.*expected a number in \(0, 1\]/);
    expectError(
      ['train', '--corpus', corpus, '--out', join(dir, 'x'), '--cell', 'transformer'],
      /--cell.*lstm, gru, rnn/,
    );
  });
});

describe('seqgen-text and the app contract (APPS.md)', () => {
  it("--version prints this app package's version", () => {
    const { version } = readJson(join(appRoot, 'package.json'));
    const r = runCli(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${version}\n`);
  });

  it('never overwrites a previous run without --force', () => {
    const r = runCli(['train', '--corpus', corpus, ...tiny, '--out', run]);
    expect(r.status).toBe(3);
    expect(r.stderr.trim()).toMatch(
      /^seqgen-text: error: refusing to overwrite --out .*run: it holds a previous run \(--force/,
    );
    const copy = join(dir, 'forced');
    mkdirSync(copy);
    for (const f of readdirSync(run)) writeFileSync(join(copy, f), readFileSync(join(run, f)));
    const forced = runCli(['train', '--corpus', corpus, ...tiny, '--out', copy, '--force', '--quiet']);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toBe('');
    expect(readdirSync(copy)).toEqual(expect.arrayContaining(['checkpoint.json', 'run.json']));
    expect(readdirSync(dir).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('eval --json prints one object: metrics and an n-gram baseline under the same names', () => {
    const r = runCli(['eval', '--checkpoint', run, '--corpus', corpus, '--json', '--baseline-order', '3']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] as string);
    expect(report).toMatchObject({ checkpoint: run, split: 'held-out' });
    expect(report.examples).toBeGreaterThan(100);
    const names = ['nats_per_token', 'bits_per_char', 'perplexity'];
    expect(Object.keys(report.metrics).sort()).toEqual([...names].sort());
    expect(Object.keys(report.baselines)).toEqual(['kneser_ney_3gram_char']);
    expect(Object.keys(report.baselines.kneser_ney_3gram_char).sort()).toEqual([...names].sort());
    expect(report.metrics.perplexity).toBeCloseTo(Math.exp(report.metrics.nats_per_token), 6);
  });

  it('train --json and generate --json print one object each', () => {
    const t = runCli(['train', '--corpus', corpus, ...tiny, '--out', join(dir, 'json-run'), '--json']);
    expect(t.status).toBe(0);
    expect(JSON.parse(t.stdout)).toMatchObject({
      steps: 4,
      interrupted: false,
      metrics: { perplexity: expect.any(Number) },
    });
    const g = runCli(['generate', '--checkpoint', run, '--prime', 'The', '--length', '5', '--seed', '1', '--json']);
    expect(g.status).toBe(0);
    expect(JSON.parse(g.stdout)).toMatchObject({ prime: 'The', tokens: 5, strategy: 'sample', seed: 1 });
  });

  it('refuses options that do not apply, and warns about prime characters outside the vocabulary', () => {
    const beam = runCli(['generate', '--checkpoint', run, '--strategy', 'beam', '--top-p', '0.9']);
    expect(beam.status).toBe(2);
    expect(beam.stderr.trim()).toBe('seqgen-text: error: --top-p is a sampling setting; beam search is deterministic');
    const greedy = runCli(['generate', '--checkpoint', run, '--strategy', 'greedy', '--temperature', '0.5']);
    expect(greedy.status).toBe(2);
    expect(greedy.stderr).toMatch(/--temperature does not apply to --strategy greedy/);
    const oov = runCli(['generate', '--checkpoint', run, '--prime', 'The Ωhale', '--length', '5', '--seed', '1']);
    expect(oov.status).toBe(0);
    expect(oov.stderr).toMatch(
      /warning: --prime holds 1 character \("Ω" \(U\+03A9\)\) outside the model's vocabulary; they become <unk>/,
    );
    const strict = runCli(['generate', '--checkpoint', run, '--prime', 'The Ωhale', '--strict']);
    expect(strict.status).toBe(2);
    const resume = runCli(['train', '--resume', run, '--hidden', '8']);
    expect(resume.status).toBe(2);
    expect(resume.stderr).toMatch(/--hidden does not apply with --resume/);
    const finished = runCli(['train', '--resume', run]);
    expect(finished.status).toBe(3);
    expect(finished.stderr).toMatch(/no resumable checkpoint/);
  });

  it('Ctrl-C saves a resumable checkpoint and says where; --resume continues exactly', async () => {
    const small = ['--batch', '4', '--seq-len', '16', '--sample-length', '10', '--hidden', '16', '--embedding', '8'];
    const steps = 12;
    await interruptAndResume({
      cli,
      name: 'seqgen-text',
      train: ['train', '--corpus', corpus, ...small, '--validate-every', '1', '--steps', String(steps)],
      steps,
      out: join(dir, 'interrupted', 'run'),
      straightOut: join(dir, 'straight'),
      when: /step 2: held-out/,
    });
  });
});
