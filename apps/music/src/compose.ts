import { UsageError } from '@seqgen/app-kit';
import {
  allowedPerformanceEvents,
  type ChordAnnotation,
  chordAt,
  type MusicalKey,
  NO_CHORD_ID,
  type NoteSequence,
  noteDensityProcessor,
  parseChordSymbols,
  progressionTimeline,
  soundingReleasesProcessor,
} from '@seqgen/midi';
import { type ConditionSchedule, ScheduledConditionModel } from '@seqgen/models';
import { stream } from '@seqgen/samplers';
import type { LoadedMusicModel } from './checkpoint.js';

/** What shapes the music `generate` writes. */
export type ComposeOptions = {
  /** Seconds of new music after the primer. */
  seconds: number;
  /** The primer, already read (its events are the prompt; its end is where new music begins). */
  primer?: NoteSequence;
  /** A chord progression such as "C G Am F" (looped); without it the model plays with no chords (N.C.). */
  chords?: string;
  /** Tempo of the progression, quarter notes per minute. */
  qpm: number;
  /** Beats each chord of the progression lasts. */
  beatsPerChord: number;
  /** Only onsets in this key's scale. */
  key?: MusicalKey;
  /** Only onsets of these pitch classes. */
  pitchClasses?: number[];
  /** Onsets only within this range of MIDI pitches (inclusive). */
  pitchRange?: [number, number];
  /** Onsets this many times as likely as the model says (1: unchanged). */
  density: number;
  /** Longest a note may sound, in seconds (default {@link DEFAULT_MAX_NOTE_SECONDS}); a release the model forgets ends it there. */
  maxNoteSeconds?: number;
  /**
   * Release only sounding pitches, keeping the model's chance of a release
   * ({@link soundingReleasesProcessor}). Default true; false samples releases as the model gives them.
   */
  soundingReleases?: boolean;
  temperature: number;
  topK?: number;
  topP: number;
  seed: number;
};

/** Magenta's performance generator caps notes at 5 s: without a cap, one forgotten release holds a note to the end. */
export const DEFAULT_MAX_NOTE_SECONDS = 5;

/** What {@link compose} returns: the music (primer included) and how long it took. */
export type Composition = {
  sequence: NoteSequence;
  /** All event ids, primer included. */
  events: number[];
  /** Events generated (primer excluded). */
  generated: number;
  /** Seconds of music generated (primer excluded). */
  musicSeconds: number;
  /** Wall-clock seconds the generation took. */
  computeSeconds: number;
};

/** The chord timeline of `--chords` over `seconds`, or none (N.C. throughout). */
export function chordTimelineOf(o: ComposeOptions, seconds: number): ChordAnnotation[] | undefined {
  if (o.chords === undefined) return undefined;
  let chords: ReturnType<typeof parseChordSymbols>;
  try {
    chords = parseChordSymbols(o.chords);
  } catch (error) {
    throw new UsageError(`--chords: ${(error as Error).message}`);
  }
  if (chords.length === 0) throw new UsageError('--chords: give at least one chord, e.g. "C G Am F"');
  return progressionTimeline(chords, { qpm: o.qpm, beatsPerChord: o.beatsPerChord, seconds: seconds + 1 });
}

/**
 * Generates `seconds` of music after the primer (or from silence), conditioned
 * on the chord progression, keeping onsets in the key, scale and range through
 * the samplers' allowed-token hook and scaling their odds by `density`.
 */
export async function compose(loaded: LoadedMusicModel, o: ComposeOptions): Promise<Composition> {
  const { events: encoding, chords: chordCodec } = loaded.codecs;
  const prompt = o.primer ? encoding.encode(o.primer) : [];
  const primerSeconds = o.primer ? o.primer.totalTime : 0;
  // An empty primer (or none) starts from a velocity event, as most training pieces do.
  if (prompt.length === 0) prompt.push(encoding.id({ type: 'velocity', bin: encoding.velocityToBin(80) }));
  const end = primerSeconds + o.seconds;
  const timeline = chordTimelineOf(o, end);
  let chordIdAt: (t: number) => number = () => NO_CHORD_ID;
  if (timeline) {
    // Check every chord of the progression against the model's chord vocabulary before generating.
    try {
      chordCodec.encode(timeline.map((c) => c.chord));
    } catch (error) {
      throw new UsageError(`--chords: ${(error as Error).message}`);
    }
    chordIdAt = (t) => chordCodec.encode([chordAt(timeline, t)])[0] as number;
  }
  const schedule: ConditionSchedule = {
    advance: (t, id) => {
      const e = encoding.event(id);
      return e.type === 'time-shift' ? t + e.steps / encoding.stepsPerSecond : t;
    },
    conditionAt: chordIdAt,
  };
  const constrained = o.key !== undefined || o.pitchClasses !== undefined || o.pitchRange !== undefined;
  const allowedIds = constrained
    ? allowedPerformanceEvents(encoding, {
        ...(o.key ? { key: o.key } : {}),
        ...(o.pitchClasses ? { pitchClasses: o.pitchClasses } : {}),
        ...(o.pitchRange ? { minPitch: o.pitchRange[0], maxPitch: o.pitchRange[1] } : {}),
      }).flatMap((ok, id) => (ok ? [id] : []))
    : undefined;
  const processors = [
    ...(o.density !== 1 ? [noteDensityProcessor(encoding, o.density)] : []),
    ...(o.soundingReleases !== false ? [soundingReleasesProcessor(encoding)] : []),
  ];
  const model = new ScheduledConditionModel(loaded.model, schedule);
  const started = performance.now();
  // Music runs ~40 events a second; the bound only stops a model that never moves time on.
  const maxNewTokens = Math.ceil(o.seconds * 400) + 16;
  const tokens = stream(
    model,
    prompt,
    {
      maxNewTokens,
      temperature: o.temperature,
      topK: o.topK ?? null,
      topP: o.topP,
      seed: o.seed,
      ...(allowedIds ? { allowedTokens: () => allowedIds } : {}),
    },
    processors.length > 0 ? { logitsProcessors: processors } : {},
  );
  const events = [...prompt];
  let clock = prompt.reduce((t, id) => schedule.advance(t, id), 0);
  for await (const { token } of tokens) {
    events.push(token);
    clock = schedule.advance(clock, token);
    if (clock >= end) break;
  }
  const computeSeconds = (performance.now() - started) / 1000;
  const decoded = encoding.decode(events, { maxNoteSeconds: o.maxNoteSeconds ?? DEFAULT_MAX_NOTE_SECONDS });
  // Notes still sounding at the end stop there; the piece lasts exactly primer + seconds.
  const notes = decoded.notes
    .filter((n) => n.start < end)
    .map((n) => ({ ...n, end: Math.min(Math.max(n.end, n.start + 1 / encoding.stepsPerSecond), end) }));
  const sequence: NoteSequence = {
    ...decoded,
    notes,
    chords: timeline ? timeline.filter((c) => c.time < end) : [],
    totalTime: end,
  };
  return {
    sequence,
    events,
    generated: events.length - prompt.length,
    musicSeconds: Math.min(clock, end) - primerSeconds,
    computeSeconds,
  };
}
