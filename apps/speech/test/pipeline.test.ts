import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exitCodeFor } from '@seqgen/app-kit';
import { readWav } from '@seqgen/audio';
import { initBackend } from '@seqgen/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { espeakPhonemes } from '../src/espeak.js';
import { evaluate, OTHER_VOICE, type SpeechScores } from '../src/eval.js';
import { prepareCorpus } from '../src/prepared-corpus.js';
import { wordErrors, wordsOf } from '../src/recognizer.js';
import { cutPieces, piecesOf, speakText } from '../src/speak.js';
import { speakToFiles } from '../src/speak-files.js';
import { loadSpeechModel, type SpeechModel } from '../src/speech-model.js';
import { encodeSymbols, phonemeTable } from '../src/symbols.js';
import { train } from '../src/train.js';
import { runCli, speechToolsPresent } from './run-cli.js';

const present = speechToolsPresent();
let dir: string;
let data: string;
let run: string;
let speech: SpeechModel;
const quiet = { info: () => {}, result: () => {} };

// One tiny model trained for three steps on eight real Moby-Dick sentences spoken by espeak-ng, shared by every
// test below: they check the pipeline and its contracts, not speech quality (pretrained.test.ts checks that).
beforeAll(async () => {
  if (!present) return;
  await initBackend();
  dir = mkdtempSync(join(tmpdir(), 'seqgen-app-speech-'));
  data = join(dir, 'data');
  run = join(dir, 'run');
  prepareCorpus({ out: data, train: 8, valid: 2, test: 2, minChars: 12, maxChars: 24, seed: 1 });
  await train({ ...TINY, data, out: run });
  speech = await loadSpeechModel(run);
}, 60_000);

const TINY = {
  phonemes: false,
  maxFrames: 200,
  embedding: 16,
  encoderUnits: 8,
  decoderUnits: 16,
  prenetUnits: 16,
  attentionUnits: 8,
  postnetChannels: 8,
  reduction: 3,
  guidedAttention: 2,
  steps: 3,
  batch: 4,
  lr: 2e-3,
  seed: 1,
  quiet: true,
  output: quiet,
};

afterAll(() => {
  speech?.model.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('text front end', () => {
  it('splits long text into sentences and cuts over-long sentences at commas or spaces', () => {
    expect(piecesOf('Call me Ishmael. Dr. Ahab paid $3 on the 2nd!')).toEqual([
      'call me ishmael.',
      'doctor ahab paid three dollars on the second!',
    ]);
    const long = `${'the whale, '.repeat(30)}swam.`;
    const pieces = cutPieces(long, 40);
    expect(pieces.every((p) => p.length <= 40)).toBe(true);
    expect(pieces.join(' ').replace(/,/g, '')).toBe(long.replace(/,/g, ''));
  });
  it('refuses empty text with a UsageError', () => {
    expect(() => piecesOf(' ... ')).toThrow(/nothing to speak/);
  });
  it('counts word errors as an edit distance', () => {
    expect(wordErrors(wordsOf('call me ishmael'), wordsOf('Call me, Ishmael!'))).toBe(0);
    expect(wordErrors(wordsOf('call me ishmael'), wordsOf('golly it ishmael now'))).toBe(3);
  });
});

describe.skipIf(!present)('seqgen-speech pipeline', () => {
  it('prepares an LJSpeech-format corpus with held-out sentences never trained on', () => {
    const split = JSON.parse(readFileSync(join(data, 'split.json'), 'utf8'));
    const lines = readFileSync(join(data, 'metadata.csv'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(12);
    const text = new Map(lines.map((l) => [l.split('|')[0], l.split('|')[2]]));
    const trained = new Set(split.train.map((id: string) => text.get(id)));
    for (const id of [...split.test, ...split.valid]) expect(trained.has(text.get(id))).toBe(false);
    const wav = readWav(readFileSync(join(data, 'wavs', `${split.train[0]}.wav`)));
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.channels[0]?.length).toBeGreaterThan(8000);
  });

  it('--phonemes reads espeak-ng -x phonemes through a symbol table built from them', () => {
    const phonemes = espeakPhonemes('Call me Ishmael.');
    expect(phonemes).toMatch(/^k'O:l m,i:;? 'ISmeIl$/);
    const table = phonemeTable([phonemes]);
    expect(table.decode(encodeSymbols(table, phonemes, 'phoneme'))).toBe(phonemes);
    expect(() => encodeSymbols(table, 'Z', 'phoneme')).toThrow(/cannot speak "Z" \(U\+005A\)/);
  });

  it('speaks a long text as several pieces within the maximum-length guard', async () => {
    const result = await speakText(speech, 'Call me Ishmael. Some years ago, I went to sea!', {
      maxFramesPerSymbol: 2,
    });
    expect(result.pieces).toEqual(['call me ishmael.', 'some years ago, i went to sea!']);
    // An untrained model never says stop: the guard ends each piece at ⌈2 · symbols / 3⌉ steps of 3 frames at
    // most, cut where its attention first reached the last symbol.
    const most = 3 * Math.ceil((2 * 16) / 3) + 12 + 3 * Math.ceil((2 * 30) / 3);
    expect(result.mel.rows).toBeLessThanOrEqual(most);
    expect(result.alignments.map((a) => a[0]?.length)).toEqual([16, 30]);
    expect(result.mel.rows).toBe(
      3 * (result.alignments[0]?.length ?? 0) + 12 + 3 * (result.alignments[1]?.length ?? 0),
    );
    expect(result.samples.length).toBeGreaterThan((result.mel.rows - 2) * 256);
  });

  it('speak writes a WAV and the mel and alignment PNGs; the CLI refuses unknown characters in one line', async () => {
    const out = join(dir, 'hello.wav');
    const report = await speakToFiles({ checkpoint: run, text: 'Call me Ishmael.', out, maxFramesPerSymbol: 2 });
    expect(report.pieces).toEqual(['call me ishmael.']);
    expect(report.realTimeFactor).toBeGreaterThan(0);
    expect(readWav(readFileSync(out)).sampleRate).toBe(16_000);
    for (const png of ['hello.mel.png', 'hello.alignment.png']) {
      expect(readFileSync(join(dir, png)).subarray(1, 4).toString()).toBe('PNG');
    }
    const r = runCli(['speak', '--checkpoint', run, '--text', 'Ahab 船', '--out', join(dir, 'never.wav')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^seqgen-speech: error: cannot speak "船" \(U\+8239\)/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'never.wav'))).toBe(false);
  });

  it("eval scores held-out sentences beside the reference and vocoder-floor baselines, in eval --json's shape", async () => {
    const report = await evaluate({ checkpoint: run, limit: 1, iterations: 4, maxFramesPerSymbol: 3 });
    expect(report.split).toBe('test');
    expect(report.examples).toBe(1);
    for (const name of [
      'mel_l1',
      'mcd_db',
      'mcd_db_teacher_forced',
      'wer',
      'stop_accuracy',
      'alignment_diagonality',
      'real_time_factor',
    ]) {
      expect(Number.isFinite(report.metrics[name as keyof typeof report.metrics])).toBe(true);
    }
    const floor = report.baselines['Griffin-Lim of the reference mel (vocoder floor)'] as SpeechScores;
    expect(floor.mcd_db).toBeGreaterThan(0);
    // Three steps of training are far from the vocoder's floor.
    expect(floor.mcd_db).toBeLessThan(report.metrics.mcd_db);
    expect(report.baselines['espeak-ng reference audio']).toMatchObject({ mel_l1: 0, mcd_db: 0 });
    expect(Object.keys(report.baselines['espeak-ng reference audio'] ?? {})).toEqual(['mel_l1', 'mcd_db', 'wer']);
    // Another voice saying the same words: farther than the vocoder's floor, nearer than nothing at all.
    const voice = report.baselines[`espeak-ng's ${OTHER_VOICE} voice (DTW-aligned)`] as SpeechScores;
    expect(voice.mcd_db).toBeGreaterThan(floor.mcd_db);
    expect(voice.mel_l1).toBeGreaterThan(floor.mel_l1);
    expect(voice.mcd_db).toBeLessThan(20);
  });

  it('bad input: a typed error naming the problem, the exit code it maps to, and no file written', async () => {
    const out = join(dir, 'bad.wav');
    const speakWith = (checkpoint: string, text: string, force = false) =>
      speakToFiles({ checkpoint, text, out, force, maxFramesPerSymbol: 1, iterations: 1 });
    const cases: Array<[() => Promise<unknown>, number, RegExp]> = [
      [() => speakWith(run, '  ...  '), 2, /--text: nothing to speak/],
      [() => speakWith(run, 'Ahab 船'), 2, /cannot speak "船" \(U\+8239\)/],
      [() => speakWith(join(dir, 'nowhere'), 'hi'), 3, /nowhere/],
      [() => speakWith(data, 'hi'), 3, /data holds no checkpoint\.json/],
    ];
    for (const [call, status, message] of cases) {
      const error = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(exitCodeFor(error)).toBe(status);
      expect((error as Error).message).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
    writeFileSync(out, 'mine');
    await expect(speakWith(run, 'hi')).rejects.toThrow(
      /refusing to overwrite --out .*bad\.wav: it exists \(--force replaces it\)/,
    );
    expect(readFileSync(out, 'utf8')).toBe('mine');
  });

  it('train --from fine-tunes a checkpoint (its size and symbols) with scheduled sampling; the CLI refuses size flags with it', async () => {
    const tuned = join(dir, 'tuned');
    // Size options that disagree with the checkpoint: the checkpoint's win.
    const summary = await train({
      ...TINY,
      decoderUnits: 99,
      data,
      out: tuned,
      from: run,
      scheduledSampling: 0.5,
      scheduledSamplingSteps: 1,
      steps: 2,
    });
    expect(summary.steps).toBe(2);
    const after = await loadSpeechModel(tuned);
    try {
      expect(after.model.config).toEqual(speech.model.config);
      expect(after.symbols.toJSON()).toEqual(speech.symbols.toJSON());
      const kernel = (m: SpeechModel) => Array.from(m.model.variables['decoder/frames/kernel']!.dataSync());
      expect(kernel(after)).not.toEqual(kernel(speech));
      const log = readFileSync(join(tuned, 'train-log.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const ratios = log.filter((e) => e.kind === 'step').map((e) => e.teacherForcingRatio);
      expect(ratios).toEqual([1, 0.5]);
      const info = JSON.parse(readFileSync(join(tuned, 'run.json'), 'utf8'));
      expect(info.options).toMatchObject({
        from: run,
        scheduledSampling: 0.5,
        scheduledSamplingSteps: 1,
        decoderUnits: 16,
      });
    } finally {
      after.model.dispose();
    }
    const r = runCli(['train', '--data', data, '--from', run, '--decoder-units', '32', '--out', join(dir, 'never')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /--decoder-units does not apply with --from \(the model and its symbols come from the checkpoint\)/,
    );
    const missing = await train({ ...TINY, data, out: join(dir, 'never'), from: join(dir, 'nothing') }).catch((e) => e);
    expect((missing as Error).message).toMatch(/checkpoint not found: .*nothing/);
    expect(exitCodeFor(missing)).toBe(3);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('names a corrupt WAV or a malformed metadata.csv of an LJSpeech folder', async () => {
    const broken = join(dir, 'broken');
    cpSync(data, broken, { recursive: true });
    rmSync(join(broken, 'split.json'));
    const split = JSON.parse(readFileSync(join(data, 'split.json'), 'utf8'));
    const victim = join(broken, 'wavs', `${split.train[0]}.wav`);
    writeFileSync(victim, readFileSync(victim).subarray(0, 60));
    const tiny = { ...TINY, data: broken, out: join(dir, 'never') };
    const truncated = await train(tiny).catch((e: unknown) => e);
    expect(exitCodeFor(truncated)).toBe(3);
    expect((truncated as Error).message).toContain(victim);
    writeFileSync(join(broken, 'metadata.csv'), 'a|one|1\nb\n');
    const malformed = await train(tiny).catch((e: unknown) => e);
    expect(exitCodeFor(malformed)).toBe(3);
    expect((malformed as Error).message).toMatch(/metadata\.csv: line 2: expected id\|transcript/);
    rmSync(join(broken, 'metadata.csv'));
    await expect(train(tiny)).rejects.toThrow(/no metadata\.csv/);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
