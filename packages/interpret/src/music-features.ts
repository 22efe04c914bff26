import { assertPositiveInteger, ConfigError, ShapeError, TokenizerError } from '@seqgen/core';

/** Names of the per-event features of {@link musicFeatures}. */
export const MUSIC_FEATURE_NAMES = [
  'note-on',
  'note-off',
  'time-shift',
  'velocity-change',
  'beat-position',
  'on-beat',
  'bar-position',
  'notes-sounding',
  'pitch',
  'time-since-onset',
] as const;

/** One of {@link MUSIC_FEATURE_NAMES}. */
export type MusicFeatureName = (typeof MUSIC_FEATURE_NAMES)[number];

/** Timing of the event stream {@link musicFeatures} reads. */
export type MusicFeatureOptions = {
  /**
   * Time steps per second of `time-shift:<steps>` events (Performance RNN:
   * 100, the default). Ignored with `stepsPerToken`.
   */
  stepsPerSecond?: number;
  /**
   * Grid encodings (melody: `no-event`, `note-off`, `note-on:<pitch>`, one
   * token per grid step): each token lasts this many steps of
   * `stepsPerQuarter`. Absent (the default) only time shifts move time.
   */
  stepsPerToken?: number;
  /** Grid steps per quarter note with `stepsPerToken` (default 4: sixteenths). */
  stepsPerQuarter?: number;
  /** Tempo, quarter notes per minute, for beat positions of timed events (default 120). */
  qpm?: number;
  /** Beats per bar (default 4). */
  beatsPerBar?: number;
};

/**
 * Musical features of an event stream, one value per event, for neuron
 * search (`rankUnits`) on a music model's trace. Events are given by name, as
 * `@seqgen/midi`'s encodings write them (`encoding.tokenNames[id]`):
 * Performance RNN's `note-on:60`, `note-off:60`, `time-shift:10`,
 * `velocity:17`, and the melody grid's `no-event`, `note-off`,
 * `note-on:60`. The value at event t describes the music after it, as the
 * model's state after reading it does:
 *
 * - `note-on`, `note-off`, `time-shift`, `velocity-change`: 1 for that kind of event (`no-event` is none of them);
 * - `beat-position`: where the time is within its beat, 0 (on the beat) to 1 — the
 *   time after the event's time shifts, or the grid step a grid token sits on;
 * - `on-beat`: 1 when the time is on a beat (within half a grid step or 10 ms);
 * - `bar-position`: where the time is within its bar, 0 to 1;
 * - `notes-sounding`: notes started and not yet released;
 * - `pitch`: the pitch of the latest onset (0 before any);
 * - `time-since-onset`: beats since the latest onset.
 *
 * An empty stream is a ShapeError, a name outside these forms a TokenizerError.
 */
export function musicFeatures(
  tokenNames: readonly string[],
  options: MusicFeatureOptions = {},
): Record<MusicFeatureName, Float32Array> {
  const context = 'musicFeatures';
  if (!Array.isArray(tokenNames))
    throw new ShapeError('tokenNames', 'an array of event names', typeof tokenNames, context);
  const n = tokenNames.length;
  if (n === 0) throw new ShapeError('tokenNames', 'at least one event', 'none (empty input)', context);
  const qpm = options.qpm ?? 120;
  const beatsPerBar = options.beatsPerBar ?? 4;
  const stepsPerSecond = options.stepsPerSecond ?? 100;
  const stepsPerQuarter = options.stepsPerQuarter ?? 4;
  for (const [name, value] of [
    ['qpm', qpm],
    ['stepsPerSecond', stepsPerSecond],
  ] as const) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new ConfigError(name, `must be a positive number, got ${String(value)}`);
    }
  }
  assertPositiveInteger('beatsPerBar', beatsPerBar);
  assertPositiveInteger('stepsPerQuarter', stepsPerQuarter);
  if (options.stepsPerToken !== undefined) assertPositiveInteger('stepsPerToken', options.stepsPerToken);
  // Time is counted in beats; one shift step or one grid step is this many.
  const beatsPerShiftStep = qpm / 60 / stepsPerSecond;
  const beatsPerToken = options.stepsPerToken !== undefined ? options.stepsPerToken / stepsPerQuarter : 0;
  const onBeatTolerance = options.stepsPerToken !== undefined ? 0.5 / stepsPerQuarter : beatsPerShiftStep;
  const out = Object.fromEntries(MUSIC_FEATURE_NAMES.map((name) => [name, new Float32Array(n)])) as Record<
    MusicFeatureName,
    Float32Array
  >;
  let beats = 0;
  let pitch = 0;
  let lastOnset = Number.NaN;
  const sounding = new Map<number, number>();
  let monophonic: number | null = null; // the melody grid's one sounding note
  for (let t = 0; t < n; t++) {
    const name = tokenNames[t];
    const event = parseEvent(name, t, context);
    switch (event.kind) {
      case 'note-on':
        if (beatsPerToken > 0) {
          if (monophonic !== null) sounding.delete(monophonic);
          monophonic = event.value;
        }
        sounding.set(event.value, (sounding.get(event.value) ?? 0) + 1);
        pitch = event.value;
        lastOnset = beats;
        out['note-on'][t] = 1;
        break;
      case 'note-off': {
        const released = Number.isNaN(event.value) ? monophonic : event.value;
        if (released !== null) {
          const left = (sounding.get(released) ?? 0) - 1;
          if (left > 0) sounding.set(released, left);
          else sounding.delete(released);
        }
        if (Number.isNaN(event.value)) monophonic = null;
        out['note-off'][t] = 1;
        break;
      }
      case 'time-shift':
        beats += event.value * beatsPerShiftStep;
        out['time-shift'][t] = 1;
        break;
      case 'velocity':
        out['velocity-change'][t] = 1;
        break;
      default:
        break;
    }
    const inBeat = beats - Math.floor(beats);
    out['beat-position'][t] = inBeat;
    out['on-beat'][t] = Math.min(inBeat, 1 - inBeat) < onBeatTolerance - 1e-9 ? 1 : 0;
    out['bar-position'][t] = (beats % beatsPerBar) / beatsPerBar;
    let count = 0;
    for (const k of sounding.values()) count += k;
    out['notes-sounding'][t] = count;
    out.pitch[t] = pitch;
    out['time-since-onset'][t] = Number.isNaN(lastOnset) ? 0 : beats - lastOnset;
    // A grid token sits at the start of its step; the next one at the next step.
    beats += beatsPerToken;
  }
  return out;
}

type ParsedEvent = { kind: 'note-on' | 'note-off' | 'time-shift' | 'velocity' | 'no-event'; value: number };

const EVENT = /^(note-on|note-off|time-shift|velocity):(\d+)$/;

function parseEvent(name: unknown, t: number, context: string): ParsedEvent {
  if (name === 'no-event') return { kind: 'no-event', value: 0 };
  if (name === 'note-off') return { kind: 'note-off', value: Number.NaN };
  const match = typeof name === 'string' ? EVENT.exec(name) : null;
  if (!match) {
    throw new TokenizerError(
      'unknown-token',
      `${context}: tokenNames[${t}] must be an event name like note-on:60, note-off:60, time-shift:10, velocity:17, no-event or note-off, got ${JSON.stringify(name)}`,
    );
  }
  return { kind: match[1] as ParsedEvent['kind'], value: Number(match[2]) };
}
