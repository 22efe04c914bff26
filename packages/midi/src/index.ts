export type { AllowedEventsOptions } from './allowed-events.js';
export { allowedPerformanceEvents } from './allowed-events.js';
export { stretchNoteSequence, transposeNoteSequence } from './augment.js';
export type { ChordEncodingOptions } from './chord-encoding.js';
export { ChordEncoding, NO_CHORD_ID } from './chord-encoding.js';
export type { Chord, ChordQuality } from './chord-symbols.js';
export {
  CHORD_INTERVALS,
  CHORD_QUALITIES,
  chordName,
  isChord,
  parseChordSymbol,
  parseChordSymbols,
} from './chord-symbols.js';
export type { ProgressionTimelineOptions } from './event-chords.js';
export { chordAt, chordTimeline, eventChords, performanceEventTimes, progressionTimeline } from './event-chords.js';
export type { ChordInferenceOptions } from './infer-chords.js';
export { chordTrack, inferChords } from './infer-chords.js';
export type { MelodyEncodingOptions } from './melody-encoding.js';
export { MELODY_NO_EVENT, MELODY_NOTE_OFF, MelodyEncoding } from './melody-encoding.js';
export type { MidiFailure } from './midi-error.js';
export { MidiError } from './midi-error.js';
export type { MusicStatistics } from './music-statistics.js';
export { estimateKey, histogramDistance, musicStatistics } from './music-statistics.js';
export type { MusicalKey } from './musical-key.js';
export { keyName, parseKey, scalePitchClasses } from './musical-key.js';
export type { NoteDensityProcessor } from './note-density.js';
export { noteDensityProcessor } from './note-density.js';
export type { ChordAnnotation, Note, NoteSequence, TempoChange, TimeSignatureChange } from './note-sequence.js';
export { assertNoteSequence, DEFAULT_QPM } from './note-sequence.js';
export type {
  PerformanceDecodeOptions,
  PerformanceEncodingOptions,
  PerformanceEvent,
  PerformanceNoteEvent,
  PerformanceShiftEvent,
  PerformanceVelocityEvent,
} from './performance-encoding.js';
export { PerformanceEncoding } from './performance-encoding.js';
export type { PianoRollOptions, RgbaImage } from './piano-roll.js';
export { pianoRollImage } from './piano-roll.js';
export type {
  QuantizedChordAnnotation,
  QuantizedNote,
  QuantizedNoteSequence,
  QuantizeOptions,
} from './quantize.js';
export { assertQuantized, isQuantized, quantizeNoteSequence } from './quantize.js';
export type { MidiReadOptions } from './read-midi.js';
export { DEFAULT_MAX_MIDI_BYTES, DEFAULT_MAX_MIDI_EVENTS, readMidi, readMidiFile } from './read-midi.js';
export type { MidiCodec } from './register-midi-codecs.js';
export { midiCodecFromJSON, registerMidiCodecs } from './register-midi-codecs.js';
export type { RenderWavOptions } from './render-wav.js';
export { DEFAULT_SOUND_FONT, renderWav } from './render-wav.js';
export type { SoundingReleasesProcessor } from './sounding-releases.js';
export { soundingReleasesProcessor } from './sounding-releases.js';
export type { MidiWriteOptions } from './write-midi.js';
export { writeMidi } from './write-midi.js';
