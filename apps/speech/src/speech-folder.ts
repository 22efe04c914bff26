import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import { type Matrix, parseLjspeechMetadata, readWav } from '@seqgen/audio';
import { normalizeForSpeech } from '@seqgen/text';
import { splitSentenceList } from './corpus.js';
import { logMelOf, type SpeechFeatures } from './features.js';
import { SPLIT_FILE, type SplitRecord } from './prepared-corpus.js';

/** One clip of a speech folder: its transcript as the model reads it and its log-mel frames. */
export type SpeechClip = {
  id: string;
  /** The transcript as written. */
  text: string;
  /** `normalizeForSpeech` of the folder's normalized transcript. */
  normalized: string;
  /** Log-mel frames (`frames × nMels`) of `wavs/<id>.wav`. */
  mel: Matrix;
};

/** Which clips are held out. */
export type SpeechSplit = { train: string[]; valid: string[]; test: string[] };

/** An LJSpeech-format folder read for training or evaluation. */
export type SpeechFolder = {
  dir: string;
  /** `split.json` when the folder has one (a prepared corpus), else a seeded 90/5/5 split (up to 100 held out each). */
  split: SpeechSplit;
  /** `prepared` (spoken by espeak-ng here) or `ljspeech` (a user's recordings). */
  kind: 'prepared' | 'ljspeech';
  /** Transcripts by id. */
  entries: Map<string, { text: string; normalized: string }>;
};

/** Reads `metadata.csv` and the split of an LJSpeech-format folder (no audio yet). */
export function openSpeechFolder(dir: string, flag = '--data'): SpeechFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`${flag} ${dir}: no such folder`, dir);
  const metadataFile = join(dir, 'metadata.csv');
  if (!existsSync(metadataFile)) {
    throw new InputError(`${flag} ${dir}: no metadata.csv (an LJSpeech-format folder has metadata.csv and wavs/)`, dir);
  }
  const metadata = parseLjspeechMetadata(readFileSync(metadataFile), metadataFile);
  const entries = new Map(
    metadata.map((e) => [e.id, { text: e.text, normalized: normalizeForSpeech(e.normalizedText) }] as const),
  );
  const splitFile = join(dir, SPLIT_FILE);
  let split: SpeechSplit;
  let kind: SpeechFolder['kind'] = 'ljspeech';
  if (existsSync(splitFile)) {
    let record: SplitRecord;
    try {
      record = JSON.parse(readFileSync(splitFile, 'utf8')) as SplitRecord;
    } catch (error) {
      throw new InputError(`${splitFile}: not valid JSON (${(error as Error).message})`, splitFile);
    }
    for (const part of ['train', 'valid', 'test'] as const) {
      const ids = record[part];
      if (!Array.isArray(ids)) throw new InputError(`${splitFile}: "${part}" must list clip ids`, splitFile);
      const missing = ids.find((id) => !entries.has(id));
      if (missing !== undefined) {
        throw new InputError(`${splitFile}: clip ${JSON.stringify(missing)} is not in metadata.csv`, splitFile);
      }
    }
    split = { train: record.train, valid: record.valid, test: record.test };
    kind = 'prepared';
  } else {
    const ids = [...entries.keys()];
    const held = Math.min(100, Math.max(1, Math.floor(ids.length * 0.05)));
    if (ids.length < 3) throw new InputError(`${metadataFile}: at least 3 clips are needed (train, validation, test)`);
    split = splitSentenceList(ids, { test: held, valid: held, train: ids.length }, 1);
  }
  return { dir, split, kind, entries };
}

/** Reads and featurizes the clips `ids` of a folder; a missing or corrupt WAV is an error naming the file. */
export function readClips(folder: SpeechFolder, ids: readonly string[], features: SpeechFeatures): SpeechClip[] {
  return ids.map((id) => {
    const entry = folder.entries.get(id);
    if (!entry) throw new InputError(`${folder.dir}: clip ${JSON.stringify(id)} is not in metadata.csv`);
    const file = join(folder.dir, 'wavs', `${id}.wav`);
    if (!existsSync(file)) throw new InputError(`${file}: missing (metadata.csv lists clip ${id})`, file);
    const wav = readWav(readFileSync(file), { name: file });
    const mono =
      wav.channels.length === 1
        ? (wav.channels[0] as Float32Array)
        : Float32Array.from(wav.channels[0] as Float32Array, (_, i) => {
            let sum = 0;
            for (const c of wav.channels) sum += c[i] as number;
            return sum / wav.channels.length;
          });
    return { id, ...entry, mel: logMelOf(mono, wav.sampleRate, features) };
  });
}
