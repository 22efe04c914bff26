import type { PlayedNote } from '../protocol.js';

/** Seconds of attack and release: short enough for fast passages, long enough not to click. */
const ATTACK = 0.01;
const RELEASE = 0.12;

/** MIDI pitch → frequency in Hz (A4 = 69 = 440 Hz). */
export function pitchToHertz(pitch: number): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

/**
 * Plays notes with WebAudio: one triangle oscillator per note through a gain envelope
 * (attack, decay to a sustain level set by velocity, release). Returns a function that stops it.
 */
export function playNotes(notes: readonly PlayedNote[]): () => void {
  const audio = new AudioContext();
  const master = audio.createGain();
  // Many voices at once: keep the sum below clipping.
  master.gain.value = 0.18;
  master.connect(audio.destination);
  const start = audio.currentTime + 0.05;
  for (const note of notes) {
    const at = start + note.start;
    const end = start + Math.max(note.end, note.start + 0.05);
    const peak = 0.2 + 0.8 * (note.velocity / 127);
    const oscillator = audio.createOscillator();
    oscillator.type = 'triangle';
    oscillator.frequency.value = pitchToHertz(note.pitch);
    const envelope = audio.createGain();
    envelope.gain.setValueAtTime(0, at);
    envelope.gain.linearRampToValueAtTime(peak, at + ATTACK);
    envelope.gain.exponentialRampToValueAtTime(peak * 0.5, Math.max(at + ATTACK + 0.01, end - 0.01));
    envelope.gain.linearRampToValueAtTime(0, end + RELEASE);
    oscillator.connect(envelope).connect(master);
    oscillator.start(at);
    oscillator.stop(end + RELEASE);
  }
  return () => void audio.close();
}
