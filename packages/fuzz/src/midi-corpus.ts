/**
 * Writes hand-made hostile MIDI files into the regression corpus, made from
 * the synthetic seeds (never from the GPL openttd-openmsx pieces): format 2,
 * a header claiming 65,535 tracks, a chunk claiming 4 GiB, a running status
 * with no status byte, a tempo of 0, 0 ticks per SMPTE frame, an event cut
 * off by its chunk, and the longest delta times at the slowest tempo (hours
 * of silence: the encoders and the writer must bound their work rather than
 * loop). None failed when written; the replay keeps it so.
 *
 *   pnpm --filter @seqgen/fuzz exec tsx src/midi-corpus.ts
 */
import { syntheticMidiSeeds } from './midi-target.js';
import { inputId, Sandbox, saveFinding } from './runner.js';
import { targetNamed } from './targets.js';

const sandbox = new Sandbox({ timeoutMs: 20_000 });
const target = targetNamed('midi');

async function save(bytes: Uint8Array, description: string): Promise<void> {
  const result = await sandbox.run(target, bytes);
  const file = saveFinding({ target: target.name, id: inputId(bytes), bytes, description, result });
  console.log(`${result.outcome.padEnd(7)} ${description} -> ${file}`);
}

/** A one-track format-0 file at `division` holding `events` (raw track bytes). */
function file(events: number[], division = 96, format = 0): Uint8Array {
  return Uint8Array.from([
    ...[0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, format, 0, 1, division >> 8, division & 0xff],
    ...[0x4d, 0x54, 0x72, 0x6b],
    ...[(events.length >>> 24) & 0xff, (events.length >> 16) & 0xff, (events.length >> 8) & 0xff, events.length & 0xff],
    ...events,
  ]);
}

const END = [0x00, 0xff, 0x2f, 0x00];
const LONGEST_DELTA = [0xff, 0xff, 0xff, 0x7f];

try {
  const seed = syntheticMidiSeeds()[0]?.bytes as Uint8Array;
  const formatTwo = new Uint8Array(seed);
  formatTwo[9] = 2;
  await save(formatTwo, 'format 2 (independent patterns)');
  const manyTracks = new Uint8Array(seed);
  manyTracks.set([0xff, 0xff], 10);
  await save(manyTracks, 'a header claiming 65,535 tracks');
  const hugeChunk = new Uint8Array(seed);
  hugeChunk.set([0xff, 0xff, 0xff, 0xf0], 18);
  await save(hugeChunk, 'a track chunk claiming 4 GiB');
  await save(file([0x00, 0x3c, 0x40, ...END]), 'running status with no status byte before it');
  await save(
    file([0x00, 0xff, 0x51, 0x03, 0, 0, 0, 0x00, 0x90, 0x3c, 0x40, 0x60, 0x80, 0x3c, 0x00, ...END]),
    'a tempo of 0 µs per quarter',
  );
  const smpte = file([0x00, 0x90, 0x3c, 0x40, 0x60, 0x80, 0x3c, 0x00, ...END]);
  smpte.set([0xe7, 0x00], 12);
  await save(smpte, 'SMPTE division with 0 ticks per frame');
  await save(file([0x00, 0x90, 0x3c]), 'a note-on cut off by the end of its chunk');
  await save(
    file(
      [
        0x00,
        0xff,
        0x51,
        0x03,
        0xff,
        0xff,
        0xff,
        0x00,
        0x90,
        0x3c,
        0x40,
        ...LONGEST_DELTA,
        0x80,
        0x3c,
        0x00,
        ...LONGEST_DELTA,
        0x90,
        0x3e,
        0x40,
        ...END,
      ],
      1,
    ),
    'the longest delta times at 1 tick per quarter and the slowest tempo (a note of 142 years)',
  );
  await save(
    file([0x00, 0xff, 0x01, 0xfe, 0xff, 0xff, 0x7f, 0x41, ...END]),
    'a text event claiming far more bytes than the chunk holds',
  );
} finally {
  sandbox.close();
}
