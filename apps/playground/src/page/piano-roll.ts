import type { PlayedNote } from '../protocol.js';

/**
 * Draws notes as a piano roll: time left to right, pitch bottom to top (the range the notes
 * use, a few semitones of margin), velocity as shade; C rows are marked to read octaves.
 */
export function drawPianoRoll(canvas: HTMLCanvasElement, notes: readonly PlayedNote[], seconds: number): void {
  const context = canvas.getContext('2d');
  if (!context) return;
  const { width, height } = canvas;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  canvas.dataset.notes = String(notes.length);
  if (notes.length === 0) return;
  const low = Math.min(...notes.map((n) => n.pitch)) - 2;
  const high = Math.max(...notes.map((n) => n.pitch)) + 2;
  const rowHeight = height / (high - low + 1);
  const x = (t: number) => (t / Math.max(seconds, 1e-3)) * width;
  const y = (pitch: number) => height - (pitch - low + 1) * rowHeight;
  context.fillStyle = '#eef1f6';
  for (let pitch = low; pitch <= high; pitch++) if (pitch % 12 === 0) context.fillRect(0, y(pitch), width, rowHeight);
  for (const note of notes) {
    const shade = 0.35 + 0.65 * (note.velocity / 127);
    context.fillStyle = `rgba(43, 108, 214, ${shade.toFixed(3)})`;
    context.fillRect(
      x(note.start),
      y(note.pitch),
      Math.max(2, x(note.end) - x(note.start)),
      Math.max(2, rowHeight - 1),
    );
  }
}
