import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '@seqgen/app-kit';
import {
  estimateKey,
  histogramDistance,
  keyName,
  type MusicalKey,
  type MusicStatistics,
  musicStatistics,
  type NoteSequence,
  parseKey,
} from '@seqgen/midi';
import { NgramModel } from '@seqgen/models';
import { loadMusicModel, PRETRAINED_CHECKPOINT } from './checkpoint.js';
import { compose } from './compose.js';
import { eventNll } from './event-batches.js';
import { encodePiece } from './event-data.js';
import { midiFiles, OPENMSX_DIR, type Piece, readPieces } from './pieces.js';

/** What `eval` takes. */
export type EvalOptions = {
  /** Default: the shipped pretrained checkpoint. */
  checkpoint?: string;
  /** The MIDI folder (default: the one the checkpoint was trained on, else openmsx). */
  midi?: string;
  /** Order of the n-gram event baseline. */
  baselineOrder: number;
  /** Pieces generated for the statistics (each with and without the key constraint). */
  samples: number;
  /** Seconds of each generated piece. */
  sampleSeconds: number;
  /** The key of the constrained samples. */
  key: string;
  /** Generate with `compose`'s `soundingReleases` (default true). */
  soundingReleases?: boolean;
  seed: number;
};

/** Statistics of some music, as `eval --json` prints them. */
export type StatisticsJson = {
  pitch_class_distance: number;
  note_density: number;
  polyphony: number;
  in_key_ratio: number;
};

/** `eval --json`'s object (APPS.md): metrics beside the baseline's, and the music statistics. */
export type EvalReport = {
  checkpoint: string;
  split: 'held-out';
  examples: number;
  events: number;
  metrics: { nll_per_event: number };
  baselines: Record<string, { nll_per_event: number }>;
  /** How much lower the model's NLL is than the baseline's (0.15 = 15% lower). */
  nll_reduction: number;
  /** Generated music against the training pieces: without a key constraint, with `--key`, and the training set itself. */
  statistics: {
    key: string;
    training: StatisticsJson;
    generated: StatisticsJson;
    generated_in_key: StatisticsJson;
  };
  held_out: string[];
  seconds: number;
};

/** Pooled statistics of pieces: histograms and ratios weighted by notes, density by seconds. */
function pooled(pieces: readonly NoteSequence[], keyOf: (s: NoteSequence) => MusicalKey) {
  const histogram = new Array<number>(12).fill(0);
  let notes = 0;
  let seconds = 0;
  let inKey = 0;
  let polyphony = 0;
  for (const s of pieces) {
    const stats: MusicStatistics = musicStatistics(s, keyOf(s));
    const n = s.notes.filter((x) => !x.isDrum).length;
    stats.pitchClassHistogram.forEach((share, pc) => {
      histogram[pc] = (histogram[pc] as number) + share * n;
    });
    notes += n;
    seconds += s.totalTime;
    inKey += stats.inKeyRatio * n;
    polyphony += stats.polyphony * n;
  }
  return {
    histogram: histogram.map((c) => (notes ? c / notes : 0)),
    noteDensity: seconds ? notes / seconds : 0,
    polyphony: notes ? polyphony / notes : 0,
    inKeyRatio: notes ? inKey / notes : 0,
  };
}

function asJson(p: ReturnType<typeof pooled>, reference: number[]): StatisticsJson {
  return {
    pitch_class_distance: histogramDistance(p.histogram, reference),
    note_density: p.noteDensity,
    polyphony: p.polyphony,
    in_key_ratio: p.inKeyRatio,
  };
}

/** The held-out pieces of a checkpoint: by name from its metadata when they are in the folder, else the folder's split. */
function heldOutPieces(midi: string, names: readonly string[] | undefined): { train: Piece[]; heldOut: Piece[] } {
  const split = readPieces(midi);
  const all = [...split.train, ...split.valid, ...split.heldOut];
  if (names && names.length > 0 && names.every((n) => all.some((p) => p.file === n))) {
    return {
      train: all.filter((p) => !names.includes(p.file) && !split.valid.includes(p)),
      heldOut: all.filter((p) => names.includes(p.file)),
    };
  }
  return { train: split.train, heldOut: split.heldOut };
}

/**
 * `eval`: negative log-likelihood per event of the held-out pieces under the
 * model (chords inferred from each piece) beside an n-gram event baseline
 * trained on the same training pieces (without augmentation), and statistics
 * of generated music — with and without a key constraint — against the
 * training pieces: pitch-class histogram distance, note density, polyphony,
 * in-key ratio (generated pieces against the key each seems to be in,
 * constrained ones against `--key`, training pieces against their own).
 */
export async function evaluateMusic(o: EvalOptions): Promise<EvalReport> {
  const started = performance.now();
  const checkpoint = o.checkpoint ?? PRETRAINED_CHECKPOINT;
  const key = parseKey(o.key, 'key');
  const loaded = await loadMusicModel(checkpoint);
  try {
    const midi = o.midi ?? (existsSync(loaded.metadata.midi ?? '') ? loaded.metadata.midi : OPENMSX_DIR);
    midiFiles(midi);
    const { train, heldOut } = heldOutPieces(midi, o.midi ? undefined : loaded.metadata.heldOut);
    if (heldOut.length === 0)
      throw new InputError(`--midi ${midi}: no held-out piece to evaluate (it needs two or more)`, midi);
    const encoded = heldOut.map((p) => encodePiece(p.sequence, loaded.codecs));
    const model = await eventNll(loaded.model, encoded);
    const symbols = (ids: number[]) => ids.map(String);
    const ngram = NgramModel.train(
      train.flatMap((p) => symbols(loaded.codecs.events.encode(p.sequence))),
      { order: o.baselineOrder },
    );
    // The baseline predicts every event of each piece from the piece's own past, as the model does.
    let nats = 0;
    let count = 0;
    for (const piece of encoded) {
      const s = symbols(piece.events);
      // The model predicts events 2… of each piece (the first has no past): so does the baseline.
      nats += ngram.evaluate(s).nats + Math.log(ngram.probability([], s[0] as string));
      count += s.length - 1;
    }
    const baseline = nats / count;
    const generated: NoteSequence[] = [];
    const inKey: NoteSequence[] = [];
    const base = {
      seconds: o.sampleSeconds,
      qpm: 120,
      beatsPerChord: 4,
      density: 1,
      temperature: 1,
      topP: 1,
      soundingReleases: o.soundingReleases !== false,
    };
    for (let i = 0; i < o.samples; i++) {
      generated.push((await compose(loaded, { ...base, seed: o.seed + i })).sequence);
      inKey.push((await compose(loaded, { ...base, key, seed: o.seed + i })).sequence);
    }
    const trainingStats = pooled(
      train.map((p) => p.sequence),
      (s) => estimateKey(s),
    );
    const reference = trainingStats.histogram;
    return {
      checkpoint,
      split: 'held-out',
      examples: heldOut.length,
      events: model.events,
      metrics: { nll_per_event: model.nllPerEvent },
      baselines: { [`ngram_${o.baselineOrder}`]: { nll_per_event: baseline } },
      nll_reduction: 1 - model.nllPerEvent / baseline,
      statistics: {
        key: keyName(key),
        training: asJson(trainingStats, reference),
        generated: asJson(
          pooled(generated, (s) => estimateKey(s)),
          reference,
        ),
        generated_in_key: asJson(
          pooled(inKey, () => key),
          reference,
        ),
      },
      held_out: heldOut.map((p) => join(midi, p.file)),
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    loaded.model.dispose();
  }
}
