import { initBackend } from '@seqgen/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeBatcher, makeModel } from '../../test/fixtures/setup.js';
import { fitOptions, trainBatcher } from '../../test/fixtures/validation.js';
import { TOKEN_METRICS } from '../metrics.js';
import { Trainer } from '../trainer.js';
import type { TrainingCallback } from './callback.js';

beforeAll(async () => {
  await initBackend();
});

describe('TrainingCallback', () => {
  it('hears the run in order, with a live context', async () => {
    const model = makeModel({ poison: (step) => (step === 2 ? 'gradient' : undefined) });
    const events: string[] = [];
    const recorder: TrainingCallback = {
      onTrainBegin: (ctx) => void events.push(`begin@${ctx.step}/${ctx.maxSteps}`),
      onStepEnd: async (m, ctx) => {
        await Promise.resolve(); // hooks may be async
        expect(ctx.step).toBe(m.step);
        expect(ctx.lastStep).toBe(m);
        events.push(`step@${m.step}${ctx.validationDue ? '+' : ''}`);
      },
      onNonFinite: (e) => void events.push(`non-finite@${e.step}`),
      onValidationEnd: (m, ctx) => {
        expect(ctx.lastValidation).toBe(m);
        expect(ctx.bestValidationLoss).toBeLessThanOrEqual(m.loss);
        events.push(`validation@${m.step}`);
      },
      onTrainStop: (ctx) => void events.push(`stop@${ctx.step}`),
      onTrainEnd: (e, ctx) => {
        expect(ctx.metrics).toEqual(TOKEN_METRICS);
        events.push(`end:${e.stoppedBy}`);
      },
    };
    const trainer = new Trainer(
      model,
      { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 4, validateEvery: 2 },
      [recorder],
    );
    await trainer.fit(trainBatcher(), fitOptions);
    expect(events).toEqual([
      'begin@0/4',
      'step@1',
      'step@2+', // a validation follows at this step
      'validation@2',
      'non-finite@3', // skipped: no onStepEnd
      'step@4+',
      'validation@4',
      'stop@4',
      'end:max-steps',
    ]);
    trainer.dispose();
    model.dispose();
  });

  it('still accepts the event-object form (onStep, onValidation, onCheckpoint, onNonFinite, onEnd)', async () => {
    const model = makeModel();
    const seen: string[] = [];
    const trainer = new Trainer(
      model,
      { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 2, validateEvery: 2 },
      {
        onStep: (m) => void seen.push(`step ${m.step} ppl ${m.perplexity !== undefined}`),
        onValidation: (m) => void seen.push(`validation ${m.step}`),
        onEnd: (r) => void seen.push(`end ${r.stoppedBy}`),
      },
    );
    await trainer.fit(trainBatcher(), fitOptions);
    expect(seen).toEqual(['step 1 ppl true', 'step 2 ppl true', 'validation 2', 'end max-steps']);
    trainer.dispose();
    model.dispose();
  });

  it('stops within one step when stop() is called from outside, with no callback that awaits', async () => {
    const model = makeModel({ embed: 4, hidden: 8 });
    // Finite, so that a loop that never yields ends by itself (at max-steps) and fails below rather than hangs.
    const trainer = new Trainer(model, { optimizer: { type: 'adam', learningRate: 0.01 }, maxSteps: 1500 });
    let stepAtStop = -1;
    // Like a SIGINT handler: runs only if the loop gives the event loop a turn.
    const timer = setTimeout(() => {
      stepAtStop = trainer.step;
      trainer.stop();
    }, 300);
    const result = await trainer.fit(makeBatcher({ batchSize: 2, seqLength: 4 }));
    clearTimeout(timer);
    expect(result.stoppedBy).toBe('stop-requested');
    expect(stepAtStop).toBeGreaterThan(0);
    expect(result.steps - stepAtStop).toBeLessThanOrEqual(1);
    trainer.dispose();
    model.dispose();
  });
});
