import { join } from 'node:path';
import { writeOutputFile } from '@seqgen/app-kit';
import { encodePng, sceneImage } from '@seqgen/vision';
import { captionFiles } from './caption-files.js';
import { loadCaptioner, PRETRAINED_CHECKPOINT } from './captioner-checkpoint.js';
import { evaluate } from './eval.js';
import { evalScenes } from './scene-data.js';
import { train } from './train.js';

/** Test scenes the demo captions with overlays. */
const DEMO_SCENES = 4;
/** Scenes of the eval figure the demo prints (the README's uses all 500). */
const DEMO_EVAL_SCENES = 200;

/**
 * The demo: composes scenes from the Fashion-MNIST and MNIST images installed
 * here, trains a small attention captioner on the pretrained CNN (frozen)
 * for `minutes`, captions a few test scenes with it and with the shipped
 * checkpoint (writing each scene and one attention overlay per word), and
 * prints the shipped checkpoint's eval figure beside the baselines. Everything
 * goes through the CLI's own functions.
 */
export async function runDemo(options: { minutes: number; out: string; force?: boolean }): Promise<void> {
  const dir = options.out;
  const log = (line: string) => console.log(line);
  log(`seqgen caption demo — scenes of Fashion-MNIST and MNIST images; ${options.minutes} min of training`);
  const summary = await train({
    out: join(dir, 'model'),
    force: true,
    attention: 'bahdanau',
    encoder: 'pretrained',
    encoderLr: 0,
    hidden: 128,
    embedding: 64,
    attentionPenalty: 1,
    scenes: 5000,
    minutes: options.minutes,
    steps: 100_000,
    batch: 32,
    lr: 3e-3,
    seed: 1,
    output: { info: log, result: log },
  });
  if (summary.interrupted) process.exit(130);
  const scenes = await evalScenes('test', DEMO_SCENES);
  const files = Array.from({ length: DEMO_SCENES }, (_, i) => {
    const input = sceneImage(scenes, i);
    const name = join(dir, `scene-${i + 1}.png`);
    writeOutputFile(name, encodePng(input), { force: true });
    return { name, input };
  });
  for (const [label, checkpoint] of [
    [`this demo's model (${summary.steps} steps)`, summary.out],
    ['the shipped checkpoint', PRETRAINED_CHECKPOINT],
  ] as const) {
    const run = await loadCaptioner(checkpoint);
    try {
      const overlayDir = join(dir, checkpoint === PRETRAINED_CHECKPOINT ? 'overlays-shipped' : 'overlays-demo');
      const out = await captionFiles(run, files, { beams: 3, overlayDir, force: true });
      log(`\n--- ${label} (beam 3; overlays in ${overlayDir}) ---`);
      out.forEach((r, i) => {
        log(`${r.image}: "${r.caption}"   (reference: "${scenes.captions[i]?.[0]}")`);
      });
    } finally {
      run.model.dispose();
    }
  }
  const report = await evaluate({ beams: 3, limit: DEMO_EVAL_SCENES });
  const m = report.metrics;
  log(
    `\nshipped checkpoint on ${report.examples} test scenes (beam 3): BLEU-4 ${m.bleu_4.toFixed(3)}, CIDEr-D ${m.cider_d.toFixed(3)}`,
  );
  for (const [name, b] of Object.entries(report.baselines)) {
    log(`  baseline ${name}: BLEU-4 ${b.bleu_4.toFixed(3)}, CIDEr-D ${b.cider_d.toFixed(3)}`);
  }
}
