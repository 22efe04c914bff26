// Writes the pieces the PyTorch peer trains and is scored on, exactly as seqgen-music reads them: the augmented
// training documents (transpose ±3, stretch ±5%, 20% with no chords, seed 1) and the held-out pieces, each as
// events and chord ids (int32, little-endian) with document lengths. Usage: tsx bench/export-events.ts OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { augmentedDocuments, encodePiece, musicCodecs } from '../src/event-data.js';
import { OPENMSX_DIR, readPieces } from '../src/pieces.js';

const out = process.argv[2] ?? 'runs/bench-data';
mkdirSync(out, { recursive: true });
const split = readPieces(process.env.MIDI ?? OPENMSX_DIR);
const codecs = musicCodecs();
const train = augmentedDocuments(split.train, codecs, { transpose: 3, stretch: 0.05, noChordShare: 0.2, seed: 1 });
const held = split.heldOut.map((p) => encodePiece(p.sequence, codecs));
const save = (name: string, docs: number[][]) => {
  writeFileSync(join(out, `${name}.i32`), Buffer.from(Int32Array.from(docs.flat()).buffer));
  writeFileSync(join(out, `${name}.lengths.json`), JSON.stringify(docs.map((d) => d.length)));
};
save('train-events', train.tokens);
save('train-chords', train.conditions);
save(
  'heldout-events',
  held.map((h) => h.events),
);
save(
  'heldout-chords',
  held.map((h) => h.chords),
);
console.log(
  `exported ${train.events} training events (${train.tokens.length} documents) and ${held.reduce((n, h) => n + h.events.length, 0)} held-out events to ${out}`,
);
