// Test-only: a minimal app built on the kit, run as a child process by interrupt.test.ts.
// `train --out DIR [--steps N] [--resume DIR]` trains TinyModel, publishing into DIR; Ctrl-C saves `last/`.
import { initBackend } from '@seqgen/core';
import { Trainer } from '@seqgen/trainer';
import {
  addCommonOptions,
  createProgram,
  InterruptedError,
  integerOption,
  Output,
  RunFolder,
  resumableCheckpoint,
  runProgram,
  stopOnInterrupt,
  yieldToEventLoop,
} from '../index.js';
import { TinyData, TinyModel } from './tiny-model.js';

const program = createProgram('tiny-app', 'a test app');
addCommonOptions(
  program
    .command('train')
    .option('--steps <n>', 'steps', integerOption(1), 1_000_000)
    .option('--resume <dir>', 'resume an interrupted run')
    .option('--step-ms <ms>', 'sleep per step', integerOption(0), 0),
  { out: { description: 'run folder' }, progress: true },
).action(async (flags) => {
  await initBackend({ backend: 'cpu' });
  const output = new Output({ name: 'tiny-app', json: flags.json, quiet: flags.quiet });
  const out: string = flags.out ?? flags.resume;
  const resumeFrom = flags.resume ? resumableCheckpoint(flags.resume) : undefined;
  const run = RunFolder.create(out, { force: Boolean(flags.force || flags.resume) });
  const model = new TinyModel();
  const data = new TinyData();
  const trainer = new Trainer(
    model,
    {
      optimizer: { type: 'sgd', learningRate: 0.01 },
      maxSteps: flags.steps,
      checkpointDir: run.staging,
      progressBar: false,
    },
    {
      onStep: async (m) => {
        output.info(`step ${m.step} loss ${m.loss.toFixed(6)}`);
        if (flags.stepMs) await new Promise((r) => setTimeout(r, flags.stepMs));
        await yieldToEventLoop();
      },
    },
  );
  const interrupt = stopOnInterrupt(trainer);
  let result: Awaited<ReturnType<typeof trainer.fit>>;
  try {
    if (resumeFrom) {
      // The trainer reads its log and checkpoint from the staging copy of the run.
      const { cpSync } = await import('node:fs');
      cpSync(flags.resume, run.staging, { recursive: true });
    }
    result = await trainer.fit(data, resumeFrom ? { resumeFrom: run.path('last') } : {});
  } catch (error) {
    run.discard();
    throw error;
  } finally {
    interrupt.close();
    trainer.dispose();
  }
  run.publish();
  output.printJson({ steps: result.steps, stoppedBy: result.stoppedBy, w: Array.from(model.variables.w!.dataSync()) });
  output.result(`trained ${result.steps} steps, w ${Array.from(model.variables.w!.dataSync()).join(',')}`);
  if (interrupt.interrupted) {
    throw new InterruptedError(`interrupted at step ${result.steps}; resume with: tiny-app train --resume ${out}`);
  }
});

await runProgram(program);
