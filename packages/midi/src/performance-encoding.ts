import {
  assertNonNegativeInteger,
  assertPositiveInteger,
  type CodecJson,
  ConfigError,
  type DiscreteCodec,
  TokenizerError,
} from '@seqgen/base';
import { codecJson } from './codec-json.js';
import { MidiError } from './midi-error.js';
import { assertNoteSequence, compareNotes, DEFAULT_QPM, type Note, type NoteSequence } from './note-sequence.js';

/** Options of {@link PerformanceEncoding} (the defaults give Performance RNN's 388 events). */
export type PerformanceEncodingOptions = {
  /** Time steps per second (default 100: shifts of 10 ms). */
  stepsPerSecond?: number;
  /** Longest single time shift, in steps (default 100: 1 s); longer gaps take several shifts. */
  maxShiftSteps?: number;
  /** Velocity bins (default 32); 0 leaves velocity out (every note decodes at velocity 64). */
  velocityBins?: number;
  /** Encode drum notes too, as pitches (default false: Performance RNN is a melodic model). */
  includeDrums?: boolean;
  /** Most events one sequence may encode to (default 1,000,000), so that a hostile sequence cannot run without bound. */
  maxEvents?: number;
};

/** A note begins or ends. */
export type PerformanceNoteEvent = {
  /** Onset or release. */
  type: 'note-on' | 'note-off';
  /** MIDI pitch, 0–127. */
  pitch: number;
};

/** Time moves on. */
export type PerformanceShiftEvent = {
  /** A time shift. */
  type: 'time-shift';
  /** Steps (of 1 / stepsPerSecond s), 1 to maxShiftSteps. */
  steps: number;
};

/** Later onsets get this velocity bin. */
export type PerformanceVelocityEvent = {
  /** A velocity change. */
  type: 'velocity';
  /** The bin, 1 to velocityBins. */
  bin: number;
};

/** Options of {@link PerformanceEncoding.decode}. */
export type PerformanceDecodeOptions = {
  /** Longest a decoded note may sound, in seconds (default: no limit, so encode → decode keeps every note). */
  maxNoteSeconds?: number;
};

/** One decoded event of the performance vocabulary. */
export type PerformanceEvent = PerformanceNoteEvent | PerformanceShiftEvent | PerformanceVelocityEvent;

const PITCHES = 128;
const MAX_VELOCITY = 127;
const DEFAULT_VELOCITY = 64;

/**
 * Performance RNN's event encoding (Oore et al. 2018, Magenta's
 * `PerformanceOneHotEncoding`): a polyphonic performance as a stream of
 * `note-on` (128 pitches), `note-off` (128), `time-shift` (1–100 steps of
 * 10 ms) and `velocity` (32 bins) events — 388 ids, in that order. Timing is
 * absolute (seconds), so expressive timing and dynamics survive: a round trip
 * keeps every onset and release within one step (10 ms) and every velocity
 * within its bin. Notes last at least one step; releases come before onsets
 * at the same step, and decoding pairs releases with onsets first-in
 * first-out, as a MIDI file does.
 */
export class PerformanceEncoding implements DiscreteCodec<NoteSequence> {
  /** Registry type (kind `codec`). */
  readonly type = 'midi-performance';
  /** Number of event ids: 256 + `maxShiftSteps` + `velocityBins` (388 by default). */
  readonly vocabSize: number;
  /** Time steps per second. */
  readonly stepsPerSecond: number;
  /** Longest single time shift, in steps. */
  readonly maxShiftSteps: number;
  /** Number of velocity bins (0: none). */
  readonly velocityBins: number;
  /** Whether drum notes are encoded. */
  readonly includeDrums: boolean;
  /** Most events per encoded sequence. */
  readonly maxEvents: number;
  private readonly shiftOffset = 2 * PITCHES;
  private readonly velocityOffset: number;
  private readonly binSize: number;

  /** See {@link PerformanceEncodingOptions}; bad options are a `ConfigError`. */
  constructor(options: PerformanceEncodingOptions = {}) {
    this.stepsPerSecond = options.stepsPerSecond ?? 100;
    this.maxShiftSteps = options.maxShiftSteps ?? 100;
    this.velocityBins = options.velocityBins ?? 32;
    this.includeDrums = options.includeDrums ?? false;
    this.maxEvents = options.maxEvents ?? 1_000_000;
    assertPositiveInteger('stepsPerSecond', this.stepsPerSecond);
    assertPositiveInteger('maxShiftSteps', this.maxShiftSteps);
    assertNonNegativeInteger('velocityBins', this.velocityBins);
    assertPositiveInteger('maxEvents', this.maxEvents);
    if (this.velocityBins > MAX_VELOCITY) {
      throw new ConfigError('velocityBins', `must be at most ${MAX_VELOCITY}, got ${this.velocityBins}`);
    }
    if (typeof this.includeDrums !== 'boolean') {
      throw new ConfigError('includeDrums', `must be a boolean, got ${typeof this.includeDrums}`);
    }
    this.velocityOffset = this.shiftOffset + this.maxShiftSteps;
    this.vocabSize = this.velocityOffset + this.velocityBins;
    this.binSize = this.velocityBins ? Math.ceil(MAX_VELOCITY / this.velocityBins) : 0;
  }

  /** Rebuilds an encoding from {@link PerformanceEncoding.toJSON}'s output. */
  static fromJSON(json: unknown): PerformanceEncoding {
    const j = codecJson(json, 'midi-performance');
    return new PerformanceEncoding({
      stepsPerSecond: j.stepsPerSecond as number,
      maxShiftSteps: j.maxShiftSteps as number,
      velocityBins: j.velocityBins as number,
      includeDrums: j.includeDrums as boolean,
      maxEvents: j.maxEvents as number,
    });
  }

  /** The options as JSON (`type` `midi-performance`, version 1). */
  toJSON(): CodecJson {
    return {
      type: this.type,
      version: 1,
      stepsPerSecond: this.stepsPerSecond,
      maxShiftSteps: this.maxShiftSteps,
      velocityBins: this.velocityBins,
      includeDrums: this.includeDrums,
      maxEvents: this.maxEvents,
    };
  }

  /** The event an id stands for. */
  event(id: number): PerformanceEvent {
    this.checkId(id, 0);
    if (id < PITCHES) return { type: 'note-on', pitch: id };
    if (id < this.shiftOffset) return { type: 'note-off', pitch: id - PITCHES };
    if (id < this.velocityOffset) return { type: 'time-shift', steps: id - this.shiftOffset + 1 };
    return { type: 'velocity', bin: id - this.velocityOffset + 1 };
  }

  /** The id of an event (the inverse of {@link PerformanceEncoding.event}). */
  id(event: PerformanceEvent): number {
    switch (event.type) {
      case 'note-on':
        return this.checked(event.pitch, 0, PITCHES - 1, 'pitch', event.pitch);
      case 'note-off':
        return this.checked(event.pitch, 0, PITCHES - 1, 'pitch', PITCHES + event.pitch);
      case 'time-shift':
        return this.checked(event.steps, 1, this.maxShiftSteps, 'steps', this.shiftOffset + event.steps - 1);
      case 'velocity':
        return this.checked(event.bin, 1, this.velocityBins, 'bin', this.velocityOffset + event.bin - 1);
      default:
        throw new TokenizerError('invalid-input', `unknown performance event ${JSON.stringify(event)}`);
    }
  }

  /** The name of an id: `note-on:60`, `note-off:60`, `time-shift:10` (steps), `velocity:17` (bin). */
  tokenName(id: number): string {
    const e = this.event(id);
    return e.type === 'time-shift'
      ? `time-shift:${e.steps}`
      : e.type === 'velocity'
        ? `velocity:${e.bin}`
        : `${e.type}:${e.pitch}`;
  }

  /** Every id's name, in id order (length {@link PerformanceEncoding.vocabSize}). */
  get tokenNames(): string[] {
    return Array.from({ length: this.vocabSize }, (_, id) => this.tokenName(id));
  }

  /** The velocity bin (1-based) of a MIDI velocity. */
  velocityToBin(velocity: number): number {
    return Math.floor((Math.min(MAX_VELOCITY, Math.max(1, velocity)) - 1) / this.binSize) + 1;
  }

  /** The velocity a bin decodes to: its lowest velocity, as in Magenta. */
  binToVelocity(bin: number): number {
    return 1 + (bin - 1) * this.binSize;
  }

  /**
   * Event ids of a sequence (seconds; a quantized sequence works too).
   * Drum notes are left out unless `includeDrums`. A sequence that would
   * take more than `maxEvents` events is a {@link MidiError} `too-many-events`.
   */
  encode(sequence: NoteSequence): number[] {
    assertNoteSequence(sequence);
    const notes = sequence.notes.filter((n) => this.includeDrums || !n.isDrum);
    type Mark = { step: number; on: boolean; note: Note; order: number };
    const marks: Mark[] = [];
    let lastStep = 0;
    notes.forEach((note, order) => {
      const start = Math.round(note.start * this.stepsPerSecond);
      const end = Math.max(start + 1, Math.round(note.end * this.stepsPerSecond));
      marks.push({ step: start, on: true, note, order }, { step: end, on: false, note, order });
      lastStep = Math.max(lastStep, end);
    });
    // Bound the work before doing it: every shift covers at most maxShiftSteps.
    const estimate = Math.ceil(lastStep / this.maxShiftSteps) + 3 * notes.length;
    if (!(estimate <= this.maxEvents)) {
      throw new MidiError(
        'too-many-events',
        'sequence',
        `would encode to about ${estimate} performance events (${notes.length} notes over ${(lastStep / this.stepsPerSecond).toFixed(1)} s), over maxEvents ${this.maxEvents}`,
      );
    }
    // Releases before onsets at a step; onsets in pitch order; FIFO order of equal pitches kept.
    marks.sort(
      (a, b) => a.step - b.step || Number(a.on) - Number(b.on) || a.note.pitch - b.note.pitch || a.order - b.order,
    );
    const ids: number[] = [];
    let step = 0;
    let bin = 0;
    for (const mark of marks) {
      for (let gap = mark.step - step; gap > 0; gap -= this.maxShiftSteps) {
        ids.push(this.shiftOffset + Math.min(gap, this.maxShiftSteps) - 1);
      }
      step = mark.step;
      if (mark.on) {
        if (this.velocityBins) {
          const wanted = this.velocityToBin(mark.note.velocity);
          if (wanted !== bin) ids.push(this.velocityOffset + wanted - 1);
          bin = wanted;
        }
        ids.push(mark.note.pitch);
      } else {
        ids.push(PITCHES + mark.note.pitch);
      }
    }
    return ids;
  }

  /**
   * The sequence a stream of event ids plays (tempo 120, one track, program
   * 0). A release pairs with the earliest sounding onset of its pitch; a
   * release with none is ignored; a note still sounding at the end ends
   * there (one step after its onset at least). With `maxNoteSeconds`, a
   * note that would sound longer ends that long after its onset (a model
   * that forgets a release would otherwise hold the note to the end; Magenta's
   * performance generator caps notes at 5 s the same way, though it drops
   * them). An id outside the vocabulary is a `TokenizerError`.
   */
  decode(ids: readonly number[], options: PerformanceDecodeOptions = {}): NoteSequence {
    if (!Array.isArray(ids)) throw new TokenizerError('invalid-input', `event ids must be an array, got ${typeof ids}`);
    const maxNote = options.maxNoteSeconds;
    if (maxNote !== undefined && !(Number.isFinite(maxNote) && maxNote > 0)) {
      throw new ConfigError('maxNoteSeconds', `must be a positive number of seconds, got ${maxNote}`);
    }
    ids.forEach((id, i) => {
      this.checkId(id, i);
    });
    const open = new Map<number, Array<{ step: number; velocity: number }>>();
    const notes: Note[] = [];
    let step = 0;
    let velocity = DEFAULT_VELOCITY;
    const add = (pitch: number, on: { step: number; velocity: number }, endStep: number) =>
      notes.push({
        pitch,
        velocity: on.velocity,
        start: on.step / this.stepsPerSecond,
        end: endStep / this.stepsPerSecond,
        track: 0,
        channel: 0,
        program: 0,
        isDrum: false,
      });
    for (const id of ids) {
      if (id < PITCHES) {
        let queue = open.get(id);
        if (!queue) open.set(id, (queue = []));
        queue.push({ step, velocity });
      } else if (id < this.shiftOffset) {
        const on = open.get(id - PITCHES)?.shift();
        if (on) add(id - PITCHES, on, step);
      } else if (id < this.velocityOffset) {
        step += id - this.shiftOffset + 1;
      } else {
        velocity = this.binToVelocity(id - this.velocityOffset + 1);
      }
    }
    for (const [pitch, queue] of open) for (const on of queue) add(pitch, on, Math.max(step, on.step + 1));
    if (maxNote !== undefined) for (const n of notes) n.end = Math.min(n.end, n.start + maxNote);
    notes.sort(compareNotes);
    const totalTime = notes.reduce((t, n) => Math.max(t, n.end), step / this.stepsPerSecond);
    return { notes, tempos: [{ time: 0, qpm: DEFAULT_QPM }], timeSignatures: [], chords: [], totalTime };
  }

  private checkId(id: number, position: number): void {
    if (!(Number.isInteger(id) && id >= 0 && id < this.vocabSize)) {
      throw new TokenizerError(
        'unknown-token',
        `performance event id ${String(id)} at position ${position} is outside the vocabulary [0, ${this.vocabSize})`,
      );
    }
  }

  private checked(value: number, min: number, max: number, field: string, id: number): number {
    if (!(Number.isInteger(value) && value >= min && value <= max)) {
      throw new TokenizerError(
        'invalid-input',
        `performance event ${field} must be an integer in [${min}, ${max}], got ${String(value)}`,
      );
    }
    return id;
  }
}
