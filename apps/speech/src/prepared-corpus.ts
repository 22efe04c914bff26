import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, RunFolder } from '@seqgen/app-kit';
import { resample, writeWav } from '@seqgen/audio';
import { type CorpusSentence, mobyDickSentences, splitSentenceList } from './corpus.js';
import { ESPEAK_VOICE, espeakAudio } from './espeak.js';
import { SPEECH_FEATURES } from './features.js';

/** The file beside `metadata.csv` that records which clips are test, validation and training (absent in a plain LJSpeech folder). */
export const SPLIT_FILE = 'split.json';

/** What `split.json` holds. */
export type SplitRecord = {
  source: string;
  voice: string;
  seed: number;
  test: string[];
  valid: string[];
  train: string[];
};

/** Options of {@link prepareCorpus}. */
export type PrepareOptions = {
  out: string;
  force?: boolean;
  /** Training sentences (at most; the corpus may have fewer). */
  train: number;
  valid: number;
  test: number;
  minChars: number;
  maxChars: number;
  seed: number;
};

/**
 * Speaks Moby-Dick sentences with espeak-ng into an LJSpeech-format folder
 * (`metadata.csv` of `id|text|normalized`, `wavs/<id>.wav` at 16 kHz
 * 16-bit mono) plus `split.json`: the test and validation sentences are
 * drawn first from the shuffled distinct sentences, so no held-out sentence
 * is ever trained on. An existing prepared folder with the same settings is
 * reused (the cache); another one needs `--force`.
 */
export function prepareCorpus(o: PrepareOptions, log: (line: string) => void = () => {}): SplitRecord {
  const splitFile = join(o.out, SPLIT_FILE);
  if (existsSync(splitFile) && !o.force) {
    const record = JSON.parse(readFileSync(splitFile, 'utf8')) as SplitRecord & { settings?: unknown };
    if (JSON.stringify(record.settings) === JSON.stringify(settingsOf(o))) {
      log(`reusing the prepared corpus in ${o.out}`);
      return record;
    }
  }
  const run = RunFolder.create(o.out, { force: Boolean(o.force), isRun: (dir) => existsSync(join(dir, SPLIT_FILE)) });
  try {
    const record = speakInto(run.staging, o);
    run.publish();
    log(
      `spoke ${record.train.length + record.valid.length + record.test.length} sentences with espeak-ng -v ${ESPEAK_VOICE} (${record.train.length} train, ${record.valid.length} validation, ${record.test.length} test) → ${o.out}`,
    );
    return record;
  } finally {
    run.discard();
  }
}

function speakInto(dir: string, o: PrepareOptions): SplitRecord {
  const sentences = mobyDickSentences({ minChars: o.minChars, maxChars: o.maxChars });
  if (sentences.length < o.test + o.valid + 1) {
    throw new InputError(`only ${sentences.length} Moby-Dick sentences have ${o.minChars}–${o.maxChars} characters`);
  }
  const split = splitSentenceList(sentences, { test: o.test, valid: o.valid, train: o.train }, o.seed);
  mkdirSync(join(dir, 'wavs'), { recursive: true });
  const lines: string[] = [];
  const ids: Record<'test' | 'valid' | 'train', string[]> = { test: [], valid: [], train: [] };
  for (const part of ['test', 'valid', 'train'] as const) {
    split[part].forEach((s: CorpusSentence, i: number) => {
      const id = `${part}-${String(i + 1).padStart(5, '0')}`;
      const spoken = espeakAudio(s.normalized);
      const samples = resample(spoken.samples, spoken.sampleRate, SPEECH_FEATURES.sampleRate);
      writeFileSync(
        join(dir, 'wavs', `${id}.wav`),
        writeWav({ sampleRate: SPEECH_FEATURES.sampleRate, channels: [samples] }, { encoding: 'pcm16' }),
      );
      lines.push(`${id}|${s.text}|${s.normalized}`);
      ids[part].push(id);
    });
  }
  writeFileSync(join(dir, 'metadata.csv'), `${lines.join('\n')}\n`);
  const record = { source: 'moby-dick', voice: ESPEAK_VOICE, seed: o.seed, ...ids, settings: settingsOf(o) };
  writeFileSync(join(dir, SPLIT_FILE), `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

function settingsOf(o: PrepareOptions) {
  return { train: o.train, valid: o.valid, test: o.test, minChars: o.minChars, maxChars: o.maxChars, seed: o.seed };
}
