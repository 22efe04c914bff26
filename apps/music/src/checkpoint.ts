import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, resolveCheckpoint } from '@seqgen/app-kit';
import { SeqgenError } from '@seqgen/core';
import { ChordEncoding, PerformanceEncoding, registerMidiCodecs } from '@seqgen/midi';
import { ConditionedLanguageModel } from '@seqgen/models';
import type { MusicCodecs } from './event-data.js';

/** The app's root folder (this file runs from src/ under tsx and from dist/ when built). */
export const APP_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The shipped pretrained checkpoint: what `generate` and `eval` use without `--checkpoint`. */
export const PRETRAINED_CHECKPOINT = join(APP_ROOT, 'pretrained', 'openmsx-chord-lstm');

/** What `train` writes in a checkpoint's metadata. */
export type MusicMetadata = {
  app: '@seqgen/app-music';
  /** The MIDI folder trained on (absolute). */
  midi: string;
  /** File names of the pieces held out (what `eval` scores); absent from a trainer's resumable checkpoint. */
  heldOut: string[];
  /** File names of the pieces trained on. */
  train: string[];
  steps: number;
  seconds: number;
  cpuSeconds: number;
  backend: string;
  /** Validation negative log-likelihood per event after training (nats). */
  validNllPerEvent?: number;
};

/** A music model with its codecs and metadata. */
export type LoadedMusicModel = {
  model: ConditionedLanguageModel;
  codecs: MusicCodecs;
  metadata: MusicMetadata;
  path: string;
};

/** Loads a music checkpoint; every failure is a one-line {@link InputError} naming the path. */
export async function loadMusicModel(path: string, flag = '--checkpoint'): Promise<LoadedMusicModel> {
  const resolved = resolveCheckpoint(path, flag);
  registerMidiCodecs();
  let loaded: Awaited<ReturnType<typeof ConditionedLanguageModel.load>>;
  try {
    loaded = await ConditionedLanguageModel.load(resolved);
  } catch (err) {
    if (err instanceof SeqgenError) throw new InputError(`cannot load checkpoint ${path}: ${err.message}`, path);
    throw err;
  }
  const { events, chords } = loaded.preprocessors;
  // A trainer's resumable checkpoint carries the trainer's metadata, not train's: only the codecs identify the model.
  if (events?.type !== 'midi-performance' || chords?.type !== 'midi-chords') {
    loaded.model.dispose();
    throw new InputError(
      `checkpoint ${path} is not a seqgen-music model (no performance-event and chord codecs)`,
      path,
    );
  }
  const metadata = loaded.metadata as unknown as MusicMetadata;
  // Rebuilt from their JSON, so that they are this app's classes whichever copy the registry built them with.
  const codecs = {
    events: PerformanceEncoding.fromJSON(events.toJSON()),
    chords: ChordEncoding.fromJSON(chords.toJSON()),
  };
  return { model: loaded.model, codecs, metadata, path: resolved };
}
