import { describe, expect, it } from 'vitest';
import * as api from './index.js';

// The curated public surface: adding or removing an export is a deliberate,
// reviewed change (update this list, the README's API table and a changeset).
describe('@seqgen/midi public API', () => {
  it('exports exactly these values', () => {
    expect(Object.keys(api).sort()).toEqual([
      'CHORD_INTERVALS',
      'CHORD_QUALITIES',
      'ChordEncoding',
      'DEFAULT_MAX_MIDI_BYTES',
      'DEFAULT_MAX_MIDI_EVENTS',
      'DEFAULT_QPM',
      'MELODY_NOTE_OFF',
      'MELODY_NO_EVENT',
      'MelodyEncoding',
      'MidiError',
      'NO_CHORD_ID',
      'PerformanceEncoding',
      'allowedPerformanceEvents',
      'assertNoteSequence',
      'assertQuantized',
      'chordName',
      'chordTrack',
      'estimateKey',
      'histogramDistance',
      'inferChords',
      'isChord',
      'isQuantized',
      'keyName',
      'midiCodecFromJSON',
      'musicStatistics',
      'parseChordSymbol',
      'parseChordSymbols',
      'parseKey',
      'quantizeNoteSequence',
      'readMidi',
      'readMidiFile',
      'registerMidiCodecs',
      'scalePitchClasses',
      'stretchNoteSequence',
      'transposeNoteSequence',
      'writeMidi',
    ]);
  });
});
