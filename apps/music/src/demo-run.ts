import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { plainLines } from '@seqgen/app-kit';
import { loadMusicModel, PRETRAINED_CHECKPOINT } from './checkpoint.js';
import { compose } from './compose.js';
import { evaluateMusic } from './evaluate-music.js';
import { writeMusic } from './music-files.js';
import { OPENMSX_DIR } from './pieces.js';
import { train } from './train.js';

/**
 * The demo: trains a small chord-conditioned model on the openmsx pieces for
 * `minutes`, has it and the shipped checkpoint play 15 s over "C G Am F"
 * (.mid, piano-roll .png, .wav each), and evaluates the shipped checkpoint
 * (held-out NLL per event beside the n-gram baseline). Everything goes
 * through the CLI's own functions.
 */
export async function runDemo(options: { minutes: number; dir?: string }): Promise<void> {
  const dir = options.dir ?? join(process.cwd(), 'runs', 'demo');
  const log = (line: string) => console.log(line);
  log(`seqgen music demo — the ${OPENMSX_DIR} pieces; ${options.minutes} min of training`);
  const summary = await train({
    midi: OPENMSX_DIR,
    out: join(dir, 'model'),
    force: true,
    cell: 'lstm',
    layers: 1,
    hidden: 128,
    embedding: 48,
    chordEmbedding: 16,
    dropout: 0,
    minutes: options.minutes,
    steps: 1,
    batch: 32,
    seqLen: 64,
    lr: 3e-3,
    seed: 1,
    transpose: 1,
    stretch: 0,
    noChordShare: 0.2,
    output: { info: log, result: log },
  });
  if (summary.interrupted) process.exit(130);
  const settings = {
    seconds: 15,
    chords: 'C G Am F',
    qpm: 120,
    beatsPerChord: 4,
    density: 1,
    temperature: 1,
    topP: 1,
    seed: 1,
  };
  for (const [label, checkpoint, stem] of [
    [`this demo's model (${summary.steps} steps)`, summary.out, 'demo-model'],
    ['the shipped checkpoint', PRETRAINED_CHECKPOINT, 'shipped'],
  ] as const) {
    if (!existsSync(checkpoint)) continue;
    const loaded = await loadMusicModel(checkpoint);
    try {
      const piece = await compose(loaded, settings);
      const files = writeMusic(piece.sequence, join(dir, `${stem}.mid`), { force: true, wav: true, warn: log });
      log(
        `\n--- ${label}: 15 s over "C G Am F" → ${Object.values(files).join(', ')} ` +
          `(${piece.sequence.notes.length} notes, ${(piece.musicSeconds / piece.computeSeconds).toFixed(0)}× real time)`,
      );
    } finally {
      loaded.model.dispose();
    }
  }
  const report = await evaluateMusic({ baselineOrder: 5, samples: 1, sampleSeconds: 15, key: 'C major', seed: 1 });
  const [name, baseline] = Object.entries(report.baselines)[0] ?? ['', { nll_per_event: Number.NaN }];
  log(
    `\nshipped checkpoint on ${report.examples} held-out pieces (${report.events} events): ` +
      `${report.metrics.nll_per_event.toFixed(3)} nats/event vs ${name} ${baseline.nll_per_event.toFixed(3)} ` +
      `(${(report.nll_reduction * 100).toFixed(1)}% lower)`,
  );
  plainLines().info(
    `try: node dist/cli.js generate --chords "Am F C G" --key "A minor" --seconds 20 --out my-piece.mid`,
  );
}
